import type { components } from '../../api/schema';
import type { ChartOption } from '../../charts/echarts';
import { CATEGORIES, CATEGORY_LABELS } from '../../domain/labels';
import type { Summary } from './figures';
import type { ByStage } from './stages';

// The numbers page's charts as ECharts options: pure functions of what the API answered.

type RequestMonth = components['schemas']['RequestMonthView'];

// antd's palette, so the charts sit with the rest of the console.
const BLUE = '#1677ff';
const GOLD = '#faad14';
const GREEN = '#52c41a';
const RED = '#ff4d4f';
const GREY = '#8c8c8c';
const PURPLE = '#722ed1';
const CYAN = '#13c2c2';

const horizontal = {
  grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
  legend: { top: 0 },
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
} satisfies ChartOption;

/** 编制使用情况: per category, what units are approved split into 实有, 待入编 and 实际空编 (stacked). */
export function quotaUseOption(summary: Summary): ChartOption {
  const cats = [...CATEGORIES].reverse(); // a horizontal bar chart draws its first category at the bottom
  const series = (name: string, field: 'occupied' | 'pending' | 'actualVacant', color: string) => ({
    name,
    type: 'bar' as const,
    stack: 'allocated',
    color,
    emphasis: { focus: 'series' as const },
    data: cats.map((c) => summary.categories[c]?.[field] ?? 0),
  });
  return {
    ...horizontal,
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: cats.map((c) => CATEGORY_LABELS[c]) },
    series: [
      series('实有', 'occupied', BLUE),
      series('待入编', 'pending', GOLD),
      series('实际空编', 'actualVacant', GREEN),
    ],
  };
}

/** 周转池使用情况: per category with a pool, lent against still available; null when the county has no pool. */
export function poolUseOption(summary: Summary): ChartOption | null {
  const cats = CATEGORIES.filter((c) => {
    const p = summary.turnoverPool[c];
    return p && (p.size > 0 || p.lent > 0);
  }).reverse();
  if (!cats.length) return null;
  const series = (name: string, field: 'lent' | 'available', color: string) => ({
    name,
    type: 'bar' as const,
    stack: 'pool',
    color,
    barMaxWidth: 40,
    label: { show: true, position: 'inside' as const },
    data: cats.map((c) => summary.turnoverPool[c][field]),
  });
  return {
    ...horizontal,
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: cats.map((c) => CATEGORY_LABELS[c]) },
    series: [series('已借出', 'lent', GOLD), series('可借', 'available', GREEN)],
  };
}

const STATUS_COLORS: Record<string, string> = {
  draft: GREY,
  returned: GOLD,
  demonstration: CYAN,
  committee: PURPLE,
  office_decision: '#2f54eb',
  awaiting_higher_approval: '#eb2f96',
  implementing: BLUE,
  implemented: GREEN,
  rejected: RED,
  withdrawn: '#bfbfbf',
};

/** 申请事项按环节: a column per stage (and 已办结), stacked by status. */
export function stageOption(byStage: ByStage): ChartOption {
  return {
    grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'plain' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: [...byStage.columns] },
    yAxis: { type: 'value', minInterval: 1 },
    series: byStage.series.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'stage',
      barMaxWidth: 48,
      color: STATUS_COLORS[s.status],
      // ECharts draws a zero of a stacked bar as nothing; '-' keeps the tooltip to the status that is there.
      data: s.data.map((n) => (n === 0 ? '-' : n)),
    })),
  };
}

/** `2026-01` → 2026年1月 (a year's first month, or the first shown), else 2月, 3月…: twelve labels fit. */
export function monthLabel(month: string, index: number): string {
  const [y, m] = month.split('-');
  return index === 0 || m === '01' ? `${y}年${Number(m)}月` : `${Number(m)}月`;
}

/** 申请事项按月: filed, implemented, rejected and withdrawn per month, oldest first. */
export function monthOption(byMonth: RequestMonth[]): ChartOption {
  const series = (name: string, field: keyof Omit<RequestMonth, 'month'>, color: string) => ({
    name,
    type: 'bar' as const,
    color,
    barMaxWidth: 16,
    data: byMonth.map((m) => m[field]),
  });
  return {
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: byMonth.map((m, i) => monthLabel(m.month, i)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      series('新建', 'created', BLUE),
      series('已实施', 'implemented', GREEN),
      series('未通过', 'rejected', RED),
      series('已撤回', 'withdrawn', GREY),
    ],
  };
}
