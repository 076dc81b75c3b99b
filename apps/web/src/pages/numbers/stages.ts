import { STAGES, STATUS_LABELS, stageOf } from '../../domain/labels';

// 申请事项按环节: the requests standing in each status now (GET /v1/statistics/requests → byStatus), grouped into
// the procedure's four stages (动议、论证、审议决定、组织实施) and, apart, the ones that are over. A request
// implemented, rejected or withdrawn no longer stands in a stage, whatever stage it ended in.

export const CLOSED_STATUSES = ['implemented', 'rejected', 'withdrawn'];
export const STAGE_COLUMNS = [...STAGES, '已办结'] as const;

export interface StatusCount {
  status: string;
  count: number;
}

export interface StageSeries {
  status: string;
  /** The status in words (STATUS_LABELS), the series' name in the legend. */
  name: string;
  /** Index into STAGE_COLUMNS. */
  column: number;
  /** One number per column: the count in its own column, 0 elsewhere (the bars are stacked). */
  data: number[];
}

export interface ByStage {
  columns: readonly string[];
  series: StageSeries[];
  /** Requests per column. */
  totals: number[];
}

const ORDER = Object.keys(STATUS_LABELS);
const rank = (status: string) => (ORDER.includes(status) ? ORDER.indexOf(status) : ORDER.length);

export function columnOf(status: string): number {
  return CLOSED_STATUSES.includes(status) ? STAGES.length : stageOf(status);
}

/** A series per status with requests, in the procedure's order; counts of a status given twice are added. */
export function requestsByStage(byStatus: StatusCount[]): ByStage {
  const counts = new Map<string, number>();
  for (const { status, count } of byStatus) counts.set(status, (counts.get(status) ?? 0) + count);
  const series = [...counts]
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([status, count]) => {
      const column = columnOf(status);
      const data = STAGE_COLUMNS.map((_, i) => (i === column ? count : 0));
      return { status, name: STATUS_LABELS[status] ?? status, column, data };
    });
  const totals = STAGE_COLUMNS.map((_, i) => series.reduce((n, s) => n + s.data[i], 0));
  return { columns: STAGE_COLUMNS, series, totals };
}
