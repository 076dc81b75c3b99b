import {
  CATEGORIES,
  CATEGORY_LABELS,
  FUNDING_LABELS,
  GRADE_LABELS,
  KIND_LABELS,
  type Category,
} from '../../domain/labels';

// The registry pages' logic without React: the date the registry is shown at (查看某日台账), the tree of units
// (parent → subordinate), the over-quota and over-posts marks and the changes between two versions of a unit.

/** The figures of a unit the marks and the tree read (a subset of the API's UnitView). */
export interface UnitFigures {
  id: string;
  name: string;
  kind: string;
  grade: string;
  parentId: string | null;
  status: string;
  quotas: Record<Category, number>;
  occupied: Record<Category, number>;
  pending: Record<Category, number>;
  loaned: Record<Category, number>;
  leadershipPosts: { grade: string; principal: number; deputy: number }[];
  sections: string[];
  namePlates: string[];
  funding?: string | null;
  creditCode?: string | null;
  mergedInto?: string | null;
  /** What the unit must correct, as the API marks it (超编, 超职数). */
  corrections: {
    overQuota: { category: string; by: number }[];
    overPosts: { posts: number; limit: number; by: number } | null;
  };
}

/** Labels of the registry pages that labels.ts does not have (it is not this page's to edit). */
export const UNIT_STATUS_LABELS: Record<string, string> = { active: '正常', abolished: '已撤销', merged: '已合并' };
export const CAUSE_LABELS: Record<string, string> = {
  import: '台账导入',
  request: '批准事项实施',
  loan_return: '周转池编制到期收回',
};
/** Short category names for the narrow places (the tree's figures). */
export const CATEGORY_SHORT: Record<Category, string> = {
  ADMIN: '行政',
  POLITICAL_LEGAL: '政法',
  PUBLIC_INSTITUTION: '事业',
  SCHOOL_STAFF: '中小学',
  CONTRACT: '聘用',
};

const label = (table: Record<string, string>, key: string | null | undefined) => (key ? (table[key] ?? key) : '—');
export const kindLabel = (k?: string | null) => label(KIND_LABELS, k);
export const gradeLabel = (g?: string | null) => label(GRADE_LABELS, g);
export const statusLabel = (s?: string | null) => label(UNIT_STATUS_LABELS, s);
export const causeLabel = (c?: string | null) => label(CAUSE_LABELS, c);

// ---------------------------------------------------------------------------------------------------------------
// 查看某日台账: the moment the registry is shown at, kept in the URL as ?asOf=YYYY-MM-DD (the end of that day in
// China time) or ?asOf=<ISO timestamp> (an exact moment, e.g. "just before this request was implemented").

const CHINA_OFFSET_MS = 8 * 3600_000; // China keeps UTC+8 all year, no summer time
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

export interface AsOf {
  /** What the API is asked for (`asOf=`): an ISO timestamp. */
  instant: string;
  /** The calendar day in China of that moment, for the date picker. */
  day: string;
  /** A moment given exactly rather than a day (shown with its time). */
  exact: boolean;
}

/** The calendar day (YYYY-MM-DD) in China at `ms`. */
export function chinaDay(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A timestamp as the office reads it: China time, to the minute (or the second). */
export function chinaTime(iso: string, seconds = false): string {
  const t = new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, seconds ? 19 : 16)}`;
}

/** The last moment of a China calendar day, as the API takes it. */
export function endOfChinaDay(day: string): string {
  return `${day}T23:59:59.999+08:00`;
}

/** `?asOf=` read: undefined when absent (now), 'invalid' when it is neither a real day nor a timestamp. */
export function parseAsOf(param: string | null | undefined): AsOf | 'invalid' | undefined {
  if (!param) return undefined;
  // A '+' typed into an address bar arrives as a space.
  const value = param.trim().replace(/ (\d{2}(:?\d{2})?)$/, '+$1');
  if (DAY.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return 'invalid';
    return { instant: endOfChinaDay(value), day: value, exact: false };
  }
  if (INSTANT.test(value)) {
    const ms = new Date(value).getTime();
    if (Number.isNaN(ms)) return 'invalid';
    return { instant: new Date(ms).toISOString(), day: chinaDay(ms), exact: true };
  }
  return 'invalid';
}

/** How the page names the moment it shows: "2026-05-01" or "2026-05-01 10:30:05". */
export function asOfText(a: AsOf): string {
  return a.exact ? chinaTime(a.instant, true) : a.day;
}

/** The query string that keeps the moment on a link (empty for now). */
export function asOfQuery(param: string | null | undefined): string {
  return param ? `?asOf=${encodeURIComponent(param)}` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The tree of units: each under its parent (parentId); a unit whose parent is not in the list (or that sits on a
// loop of parents, which the registry should never hold) is a root, so every unit shows exactly once.

export interface UnitNode<U> {
  unit: U;
  children: UnitNode<U>[];
  /** False for a unit kept only because a subordinate matched the filter. */
  matched: boolean;
}

export function buildForest<U extends { id: string; parentId: string | null }>(units: U[]): UnitNode<U>[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const onLoop = (u: U): boolean => {
    const seen = new Set<string>();
    for (let p = u.parentId; p && byId.has(p); p = byId.get(p)!.parentId) {
      if (p === u.id) return true;
      if (seen.has(p)) return false; // a loop above u, not through it
      seen.add(p);
    }
    return false;
  };
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [], matched: true } as UnitNode<U>]));
  const roots: UnitNode<U>[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent && parent !== node && !onLoop(u)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The roots grouped by kind (党委机构, 政府机构, …, in the API's order of kinds), for the tree's first level. */
export function groupByKind<U extends { kind: string }>(
  roots: UnitNode<U>[],
): { kind: string; nodes: UnitNode<U>[] }[] {
  const order = Object.keys(KIND_LABELS);
  const groups = new Map<string, UnitNode<U>[]>();
  for (const n of roots) groups.set(n.unit.kind, [...(groups.get(n.unit.kind) ?? []), n]);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([kind, nodes]) => ({ kind, nodes }));
}

/** How many units a forest holds. */
export function countUnits(nodes: UnitNode<unknown>[]): number {
  return nodes.reduce((n, x) => n + 1 + countUnits(x.children), 0);
}

/**
 * The forest cut down to the units that match, with their superiors for context (marked `matched: false`), and
 * the ids of the units to open so that every match shows.
 */
export function pruneForest<U extends { id: string }>(
  roots: UnitNode<U>[],
  keep: (u: U) => boolean,
): { roots: UnitNode<U>[]; open: string[] } {
  const open: string[] = [];
  const prune = (n: UnitNode<U>): UnitNode<U> | null => {
    const children = n.children.map(prune).filter((c): c is UnitNode<U> => c !== null);
    const matched = keep(n.unit);
    if (!matched && children.length === 0) return null;
    if (children.length > 0) open.push(n.unit.id);
    return { unit: n.unit, children, matched };
  };
  return { roots: roots.map(prune).filter((n): n is UnitNode<U> => n !== null), open };
}

// ---------------------------------------------------------------------------------------------------------------
// 超编 and 超职数, as the API marks each unit (`corrections`, from the domain's `unitCorrections`: the rule the
// summary counts with, in one place).

/** The categories in which a unit is over quota (超编). */
export function overQuota(u: Pick<UnitFigures, 'corrections'>): Category[] {
  return (u.corrections?.overQuota ?? []).map((o) => o.category as Category);
}

export function totalPosts(posts: { principal: number; deputy: number }[]): number {
  return posts.reduce((n, p) => n + p.principal + p.deputy, 0);
}

/** 超职数: the unit's leadership posts over what its quota allows (invariant 3), as the API marks it. */
export function overPosts(u: Pick<UnitFigures, 'corrections'>): { posts: number; limit: number } | null {
  const o = u.corrections?.overPosts;
  return o ? { posts: o.posts, limit: o.limit } : null;
}

/** The quota a unit's posts count against, in words. */
export function postsLimitName(kind: string): string {
  return kind === 'PUBLIC_INSTITUTION' ? '事业编制与中小学教职工编制' : '行政编制与政法专项编制';
}

/** 领导职数 as the office writes them: "正科 1正2副；副科 0正1副". */
export function postsText(posts: { grade: string; principal: number; deputy: number }[]): string {
  if (!posts.length) return '未核定';
  return posts.map((p) => `${gradeLabel(p.grade)} ${p.principal}正${p.deputy}副`).join('；');
}

/** A table cell's figures: 核定/实有, with the turnover-pool loan beside them when there is one. */
export function quotaCell(u: Pick<UnitFigures, 'quotas' | 'occupied' | 'loaned'>, c: Category): string {
  const q = u.quotas[c] ?? 0;
  const o = u.occupied[c] ?? 0;
  const l = u.loaned?.[c] ?? 0;
  if (!q && !o && !l) return '—';
  return `${q}/${o}${l ? `（借${l}）` : ''}`;
}

/** Whether a unit matches a search text: its name or one of its name plates (挂牌), as the API's `q` does. */
export function matchesText(u: Pick<UnitFigures, 'name' | 'namePlates'>, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (!t) return true;
  return u.name.toLowerCase().includes(t) || (u.namePlates ?? []).some((p) => p.toLowerCase().includes(t));
}

// ---------------------------------------------------------------------------------------------------------------
// 沿革: what a version changed from the one before it, in words.

const FIGURES: [keyof Pick<UnitFigures, 'quotas' | 'occupied' | 'pending' | 'loaned'>, string][] = [
  ['quotas', '核定'],
  ['occupied', '实有'],
  ['pending', '待入编'],
  ['loaned', '周转池借入'],
];

export function versionChanges(
  prev: UnitFigures | undefined,
  next: UnitFigures,
  unitName: (id: string) => string = () => '其他单位',
): string[] {
  if (!prev) return [];
  const out: string[] = [];
  const was = (what: string, a: string, b: string) => {
    if (a !== b) out.push(`${what}：${a} → ${b}`);
  };
  was('名称', prev.name, next.name);
  was('机构类别', kindLabel(prev.kind), kindLabel(next.kind));
  was('机构规格', gradeLabel(prev.grade), gradeLabel(next.grade));
  was('经费形式', fundingText(prev.funding), fundingText(next.funding));
  was('主管部门', prev.parentId ? unitName(prev.parentId) : '无', next.parentId ? unitName(next.parentId) : '无');
  was('统一社会信用代码', prev.creditCode || '未登记', next.creditCode || '未登记');
  if (prev.status !== next.status) {
    const into = next.status === 'merged' && next.mergedInto ? `（并入${unitName(next.mergedInto)}）` : '';
    out.push(`状态：${statusLabel(prev.status)} → ${statusLabel(next.status)}${into}`);
  }
  for (const c of CATEGORIES)
    for (const [field, what] of FIGURES) {
      const a = prev[field]?.[c] ?? 0;
      const b = next[field]?.[c] ?? 0;
      if (a !== b) out.push(`${CATEGORY_LABELS[c]}${what}：${a} → ${b}`);
    }
  was('领导职数', postsText(prev.leadershipPosts ?? []), postsText(next.leadershipPosts ?? []));
  listChange(out, '内设机构', prev.sections ?? [], next.sections ?? [], '增设', '撤销');
  listChange(out, '加挂牌子', prev.namePlates ?? [], next.namePlates ?? [], '加挂', '摘除');
  return out;
}

function listChange(out: string[], what: string, a: string[], b: string[], added: string, removed: string) {
  const plus = b.filter((x) => !a.includes(x));
  const minus = a.filter((x) => !b.includes(x));
  if (plus.length) out.push(`${what}${added}：${plus.join('、')}`);
  if (minus.length) out.push(`${what}${removed}：${minus.join('、')}`);
}

export const fundingText = (f?: string | null) => label(FUNDING_LABELS, f);

// ---------------------------------------------------------------------------------------------------------------
// The registry's filters (kept in the URL beside the date, so that "back" from a unit finds the list as it was).

export interface RegistryFilter {
  /** Name or name plate. */
  q?: string;
  kind?: string;
  grade?: string;
  /** active (the default), abolished, merged, or all. */
  status?: string;
  /** Only units marked 超编 or 超职数. */
  over?: boolean;
}

export function readFilter(p: URLSearchParams): RegistryFilter {
  return {
    q: p.get('q') ?? '',
    kind: p.get('kind') ?? undefined,
    grade: p.get('grade') ?? undefined,
    status: p.get('status') ?? 'active',
    over: p.get('over') === '1',
  };
}

/** A filter beyond the default one (every active unit). */
export function isNarrowed(f: RegistryFilter): boolean {
  return !!(f.q?.trim() || f.kind || f.grade || f.over);
}

export function matchesFilter(u: UnitFigures, f: RegistryFilter): boolean {
  const status = f.status ?? 'active';
  if (status !== 'all' && u.status !== status) return false;
  if (f.kind && u.kind !== f.kind) return false;
  if (f.grade && u.grade !== f.grade) return false;
  if (f.over && overQuota(u).length === 0 && !overPosts(u)) return false;
  return matchesText(u, f.q ?? '');
}
