import type { components } from '../../api/schema';
import { CATEGORIES, CATEGORY_LABELS, KIND_LABELS, type Category } from '../../domain/labels';

// The numbers page's rows, computed from what the API answers: the county summary (GET /v1/establishment/summary)
// and, for the lists the summary only counts, the units (GET /v1/units).

export type Summary = components['schemas']['EstablishmentSummary'];
export type UnitView = components['schemas']['UnitView'];
export type PoolLoan = components['schemas']['PoolLoanView'];

const DAY = 86_400_000;
/** The office's clock (东八区): a date in the console is a date in China, whatever the browser's zone. */
const CHINA_OFFSET = 8 * 3_600_000;

/** Today's date in China, YYYY-MM-DD. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + CHINA_OFFSET).toISOString().slice(0, 10);
}

/** The date in China of an instant. */
export function chinaDateOf(instant: string): string {
  return chinaToday(Date.parse(instant));
}

/** An instant as the office's clock reads it: `2026-05-01 18:30`. */
export function chinaTimeOf(instant: string): string {
  return new Date(Date.parse(instant) + CHINA_OFFSET).toISOString().slice(0, 16).replace('T', ' ');
}

/** The end of a day in China (23:59:59.999 +08:00) as the instant the API's `asOf` takes. */
export function endOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY - 1 - CHINA_OFFSET).toISOString();
}

// ---- 编制总体情况: the seed-004 table --------------------------------------------------------------------------

export const SUMMARY_FIELDS = [
  ['total', '核定编制'],
  ['allocated', '已分配'],
  ['free', '未分配'],
  ['occupied', '实有'],
  ['vacant', '空编'],
  ['pending', '待入编'],
  ['actualVacant', '实际空编'],
  ['unitsOverQuota', '超编单位数'],
] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number][0];

export interface SummaryRow {
  key: Category | 'sum';
  label: string;
  /** null where a sum means nothing: a unit over quota in two categories is one unit, not two. */
  figures: Record<SummaryField, number | null>;
}

/** One row per category, then 合计. */
export function summaryRows(summary: Summary): SummaryRow[] {
  const rows: SummaryRow[] = CATEGORIES.map((c) => {
    const s = summary.categories[c];
    const figures = Object.fromEntries(SUMMARY_FIELDS.map(([f]) => [f, s?.[f] ?? 0])) as SummaryRow['figures'];
    return { key: c, label: CATEGORY_LABELS[c], figures };
  });
  const sum = Object.fromEntries(
    SUMMARY_FIELDS.map(([f]) => [f, f === 'unitsOverQuota' ? null : rows.reduce((n, r) => n + (r.figures[f] ?? 0), 0)]),
  ) as SummaryRow['figures'];
  return [...rows, { key: 'sum', label: '合计', figures: sum }];
}

// ---- 周转池 -----------------------------------------------------------------------------------------------------

export interface PoolRow {
  key: Category | 'sum';
  label: string;
  size: number;
  lent: number;
  available: number;
}

/** The categories that have a turnover pool (or places still lent from one), then 合计; none: no rows. */
export function poolRows(summary: Summary): PoolRow[] {
  const rows: PoolRow[] = CATEGORIES.filter((c) => {
    const p = summary.turnoverPool[c];
    return p && (p.size > 0 || p.lent > 0);
  }).map((c) => ({ key: c, label: CATEGORY_LABELS[c], ...summary.turnoverPool[c] }));
  if (!rows.length) return [];
  const add = (f: 'size' | 'lent' | 'available') => rows.reduce((n, r) => n + r[f], 0);
  return [...rows, { key: 'sum', label: '合计', size: add('size'), lent: add('lent'), available: add('available') }];
}

// ---- 借出的周转池编制 ---------------------------------------------------------------------------------------------

export type DueState = 'overdue' | 'soon' | null;
export const DUE_LABELS: Record<Exclude<DueState, null>, string> = { overdue: '已到期', soon: '即将到期' };

/** Due within 30 days of `today` (both YYYY-MM-DD, China): 即将到期; past it: 已到期. */
export function dueState(dueDate: string, today: string): DueState {
  const days = Math.round((Date.parse(dueDate) - Date.parse(today)) / DAY);
  if (days < 0) return 'overdue';
  return days <= 30 ? 'soon' : null;
}

export interface LoanRow extends PoolLoan {
  key: string;
  unitName: string;
  due: DueState;
}

/** The outstanding loans, soonest due first; `today` is the day the figures stand at. */
export function loanRows(loans: PoolLoan[], unitName: (id: string) => string, today: string): LoanRow[] {
  return [...loans]
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || unitName(a.unitId).localeCompare(unitName(b.unitId), 'zh'))
    .map((l, i) => ({
      ...l,
      key: `${l.requestId}:${l.unitId}:${l.category}:${i}`,
      unitName: unitName(l.unitId),
      due: dueState(l.dueDate, today),
    }));
}

// ---- 超编单位 ---------------------------------------------------------------------------------------------------

export interface OverQuotaRow {
  key: string;
  unitId: string;
  unitName: string;
  category: Category;
  quotas: number;
  loaned: number;
  occupied: number;
  pending: number;
  /** occupied + pending − (approved + loaned) */
  excess: number;
}

/**
 * The active units over quota in a category, as the API marks them (`corrections`, the rule the summary's
 * `unitsOverQuota` counts with): people on it and places promised beyond approved + loaned. Largest excess first.
 */
export function overQuotaRows(units: UnitView[]): OverQuotaRow[] {
  const rows: OverQuotaRow[] = [];
  for (const u of units) {
    if (u.status !== 'active') continue;
    for (const { category, by } of u.corrections?.overQuota ?? []) {
      const c = category as Category;
      rows.push({
        key: `${u.id}:${c}`,
        unitId: u.id,
        unitName: u.name,
        category: c,
        quotas: u.quotas?.[c] ?? 0,
        loaned: u.loaned?.[c] ?? 0,
        occupied: u.occupied?.[c] ?? 0,
        pending: u.pending?.[c] ?? 0,
        excess: by,
      });
    }
  }
  return rows.sort((a, b) => b.excess - a.excess || a.unitName.localeCompare(b.unitName, 'zh'));
}

// ---- 领导职数超过编制 -------------------------------------------------------------------------------------------

export interface PostsRow {
  key: string;
  unitId: string;
  unitName: string;
  kind: string;
  posts: number;
  /** Which quota the posts are held against. */
  against: string;
  limit: number;
  excess: number;
}

/**
 * The active units whose leadership posts (all grades, principal and deputy) exceed the quota they count against
 * (a body's 行政 + 政法专项, a public institution's 事业 + 中小学教职工: invariant 3), as the API marks them. The API
 * refuses a change that would break it, but a registry loaded as it stood may, and the office lists them to correct.
 */
export function postsOverQuotaRows(units: UnitView[]): PostsRow[] {
  const rows: PostsRow[] = [];
  for (const u of units) {
    const over = u.corrections?.overPosts;
    if (u.status !== 'active' || !over) continue;
    rows.push({
      key: u.id,
      unitId: u.id,
      unitName: u.name,
      kind: KIND_LABELS[u.kind] ?? u.kind,
      posts: over.posts,
      against: u.kind === 'PUBLIC_INSTITUTION' ? '事业编制＋中小学教职工编制' : '行政编制＋政法专项编制',
      limit: over.limit,
      excess: over.by,
    });
  }
  return rows.sort((a, b) => b.excess - a.excess || a.unitName.localeCompare(b.unitName, 'zh'));
}
