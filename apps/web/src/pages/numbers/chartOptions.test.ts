import { describe, expect, it } from 'vitest';
import { monthLabel, monthOption, poolUseOption, quotaUseOption, stageOption } from './chartOptions';
import type { Summary } from './figures';
import { requestsByStage } from './stages';

// The charts' options: the API's numbers in the right series.

const cat = (occupied: number, pending: number, actualVacant: number) => ({
  total: 0,
  allocated: 0,
  free: 0,
  occupied,
  pending,
  vacant: 0,
  actualVacant,
  unitsOverQuota: 0,
});
const pool = (size: number, lent: number) => ({ size, lent, available: size - lent });
const summary: Summary = {
  asOf: '2026-05-01T00:00:00Z',
  year: 2026,
  categories: {
    ADMIN: cat(100, 3, 17),
    POLITICAL_LEGAL: cat(48, 0, 2),
    PUBLIC_INSTITUTION: cat(71, 2, 7),
    SCHOOL_STAFF: cat(0, 0, 0),
    CONTRACT: cat(0, 0, 0),
  },
  turnoverPool: {
    ADMIN: pool(0, 0),
    POLITICAL_LEGAL: pool(0, 0),
    PUBLIC_INSTITUTION: pool(20, 5),
    SCHOOL_STAFF: pool(0, 0),
    CONTRACT: pool(0, 0),
  },
  loans: [],
  bodyLimit: null,
  bodies: 0,
};

type Series = { name: string; data: unknown[]; stack?: string }[];

describe('chart options', () => {
  it('stacks 实有, 待入编, 实际空编 per category (the first category at the top)', () => {
    const o = quotaUseOption(summary);
    expect((o.yAxis as { data: string[] }).data.at(-1)).toBe('行政编制');
    const series = o.series as Series;
    expect(series.map((s) => [s.name, s.stack, s.data.at(-1)])).toEqual([
      ['实有', 'allocated', 100],
      ['待入编', 'allocated', 3],
      ['实际空编', 'allocated', 17],
    ]);
  });

  it('shows the pool of the categories that have one, or nothing', () => {
    const o = poolUseOption(summary)!;
    expect((o.yAxis as { data: string[] }).data).toEqual(['事业编制']);
    expect((o.series as Series).map((s) => [s.name, s.data])).toEqual([
      ['已借出', [5]],
      ['可借', [15]],
    ]);
    expect(poolUseOption({ ...summary, turnoverPool: {} })).toBeNull();
  });

  it('draws a stage column per status, a zero as no bar', () => {
    const o = stageOption(requestsByStage([{ status: 'demonstration', count: 2 }]));
    expect((o.xAxis as { data: string[] }).data).toEqual(['动议', '论证', '审议决定', '组织实施', '已办结']);
    expect(o.series).toEqual([expect.objectContaining({ name: '论证中', data: ['-', 2, '-', '-', '-'] })]);
  });

  it('labels months short, with the year on the first and on January', () => {
    expect(['2025-11', '2025-12', '2026-01', '2026-02'].map(monthLabel)).toEqual([
      '2025年11月',
      '12月',
      '2026年1月',
      '2月',
    ]);
    const o = monthOption([{ month: '2026-05', created: 3, implemented: 1, rejected: 0, withdrawn: 1 }]);
    expect((o.series as Series).map((s) => [s.name, s.data])).toEqual([
      ['新建', [3]],
      ['已实施', [1]],
      ['未通过', [0]],
      ['已撤回', [1]],
    ]);
  });
});
