import type { components } from '../../api/schema';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  KIND_LABELS,
  PERSON_ACTION_LABELS,
  REASON_LABELS,
  type Category,
} from '../../domain/labels';

// 实名制 without React: what the people pages and a people request's page say, computed from the API's answers
// (GET /v1/people, /v1/people/:id, /v1/statistics/monthly, POST /v1/people/reconcile, the request's payload).

export type PersonView = components['schemas']['PersonView'];
export type PersonDetail = components['schemas']['PersonDetail'];
export type HistoryEntry = components['schemas']['PersonHistoryEntry'];
export type MonthlyReport = components['schemas']['MonthlyReport'];
export type MoveCount = components['schemas']['MoveCount'];
export type MonthTableRow = components['schemas']['MonthTableRow'];
export type ReconcileResult = components['schemas']['ReconcileResult'];
export type ReconcileFinding = components['schemas']['ReconcileFinding'];

type UnitName = (id?: string) => string;

export const categoryLabel = (c?: string | null): string => (c ? (CATEGORY_LABELS[c as Category] ?? c) : '—');
export const kindLabel = (k?: string | null): string =>
  k ? ((KIND_LABELS as Record<string, string>)[k] ?? (k === 'UNKNOWN' ? '已撤销的单位' : k)) : '—';
export const channelLabel = (c?: string | null): string =>
  c ? ((CHANNEL_LABELS as Record<string, string>)[c] ?? c) : '';
export const reasonLabel = (r?: string | null): string =>
  r ? ((REASON_LABELS as Record<string, string>)[r] ?? r) : '';

// ---- a people request's payload in words ------------------------------------------------------------------------

/** One person of a people request as its page lists them. */
export interface PayloadPerson {
  key: string;
  personId?: string;
  name: string;
  idNumberMasked: string;
  /** Where the person is on when the request was filed (下编, 调动); absent when the records had them off. */
  fromUnitId?: string;
  fromCategory?: string;
  /** Where the person goes (上编, 调动). */
  unitId?: string;
  category?: string;
  channel?: string;
  reason?: string;
  date?: string;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The saved payload (one person, or `lines`) as a row per person. */
export function payloadPeople(type: string, payload: Json | null | undefined): PayloadPerson[] {
  const p = payload ?? {};
  const lines = Array.isArray(p.lines) && p.lines.length ? (p.lines as Json[]) : [p];
  return lines.map((l, i) => {
    const person = (l.person ?? {}) as Json;
    const row: PayloadPerson = {
      key: String(i),
      personId: str(l.personId),
      name: str(person.name) ?? '（申请时查无在编记录）',
      idNumberMasked: str(person.idNumberMasked) ?? '',
    };
    if (type === 'ENROL_PERSON')
      return { ...row, unitId: str(l.unitId), category: str(l.category), channel: str(l.channel) };
    const from = { fromUnitId: str(person.unitId), fromCategory: str(person.category) };
    if (type === 'DISENROL_PERSON') return { ...row, ...from, reason: str(l.reason), date: str(l.date) };
    return { ...row, ...from, unitId: str(l.toUnitId), category: str(l.category) };
  });
}

/** The request's people in one sentence (the 申请内容 line). */
export function payloadSummary(type: string, people: PayloadPerson[], unitName: UnitName): string {
  const first = people[0];
  if (!first) return '';
  const more = people.length > 1 ? `等 ${people.length} 人` : '';
  if (type === 'ENROL_PERSON')
    return `${first.name}${more}上编到${unitName(first.unitId)}${categoryLabel(first.category)}`;
  if (type === 'DISENROL_PERSON')
    return `${first.name}${more}从${first.fromUnitId ? unitName(first.fromUnitId) : '原单位'}下编`;
  return `${first.name}${more}调动到${unitName(first.unitId)}${categoryLabel(first.category)}`;
}

// ---- a person's history ---------------------------------------------------------------------------------------

/** A move of a person's history in words: where from, where to, why. */
export function historySentence(h: HistoryEntry, unitName: UnitName): string {
  const place = `${unitName(h.unitId)} ${categoryLabel(h.category)}`;
  const fromUnit = h.fromUnitId ?? undefined;
  const from = fromUnit ? `${unitName(fromUnit)} ${categoryLabel(h.fromCategory ?? h.category)}` : '';
  switch (h.action) {
    case 'IMPORTED':
      return `导入实名制信息：${place}`;
    case 'ENROLLED':
      return `上编到 ${place}${h.channel ? `（${channelLabel(h.channel)}）` : ''}`;
    case 'DISENROLLED': {
      const why = [reasonLabel(h.reason), h.date ?? ''].filter(Boolean).join('，');
      return `从 ${place} 下编${why ? `（${why}）` : ''}`;
    }
    case 'TRANSFERRED':
      return from ? `从 ${from} 调动到 ${place}` : `调动到 ${place}`;
    case 'MOVED_WITH_UNIT':
      return from ? `${unitName(fromUnit)}撤并，随单位转入 ${place}` : `随单位转入 ${place}`;
    default:
      return `${PERSON_ACTION_LABELS[h.action] ?? h.action}：${place}`;
  }
}

// ---- 实有, 实名, 未实名 of a unit -------------------------------------------------------------------------------

export interface NamedRow {
  category: Category;
  /** 实有: the unit's occupied count (the registry). */
  occupied: number;
  /** 实名: its people on record by name. */
  named: number;
  /** 未实名: 实有 − 实名 (a unit loaded with a count before its people were). */
  unnamed: number;
}

/** Per category the unit has anything in: 实有, 实名, 未实名. */
export function namedRows(
  occupied: Record<string, number> | undefined,
  people: { category: string | null }[],
): NamedRow[] {
  const named = new Map<string, number>();
  for (const p of people) if (p.category) named.set(p.category, (named.get(p.category) ?? 0) + 1);
  return CATEGORIES.filter((c) => (occupied?.[c] ?? 0) > 0 || (named.get(c) ?? 0) > 0).map((c) => {
    const o = occupied?.[c] ?? 0;
    const n = named.get(c) ?? 0;
    return { category: c, occupied: o, named: n, unnamed: Math.max(0, o - n) };
  });
}

// ---- 月报 ------------------------------------------------------------------------------------------------------

export interface MoveRow {
  key: string;
  unitKind: string;
  /** Empty on the 合计 row. */
  category: string;
  count: number;
}

/** A section of the month's moves (上编, 下编, 调动) by unit kind and category, then 合计. */
export function moveRows(list: MoveCount[]): MoveRow[] {
  const rows = [...list]
    .sort(
      (a, b) =>
        kindOrder(a.unitKind) - kindOrder(b.unitKind) ||
        CATEGORIES.indexOf(a.category as Category) - CATEGORIES.indexOf(b.category as Category),
    )
    .map((m): MoveRow => ({
      key: `${m.unitKind}/${m.category}`,
      unitKind: m.unitKind,
      category: m.category,
      count: m.count,
    }));
  if (rows.length > 1)
    rows.push({ key: 'sum', unitKind: 'sum', category: '', count: rows.reduce((n, r) => n + r.count, 0) });
  return rows;
}

const KINDS = Object.keys(KIND_LABELS);
const kindOrder = (k: string) => (KINDS.includes(k) ? KINDS.indexOf(k) : KINDS.length);

export interface MonthTableLine extends Omit<MonthTableRow, 'category'> {
  key: string;
  /** Empty on the 合计 row. */
  category: string;
  /** 未实名: 实有 − 实名. */
  unnamed: number;
}

/** The seed-004 table by unit kind and category, in the office's order, then 合计. */
export function monthTable(table: MonthTableRow[]): MonthTableLine[] {
  const rows = [...table]
    .sort(
      (a, b) =>
        kindOrder(a.unitKind) - kindOrder(b.unitKind) ||
        CATEGORIES.indexOf(a.category as Category) - CATEGORIES.indexOf(b.category as Category),
    )
    .map((r): MonthTableLine => ({
      ...r,
      key: `${r.unitKind}/${r.category}`,
      unnamed: Math.max(0, r.occupied - r.named),
    }));
  if (rows.length > 1) {
    const sum = (f: keyof MonthTableRow) => rows.reduce((n, r) => n + (r[f] as number), 0);
    const occupied = sum('occupied');
    const named = sum('named');
    rows.push({
      key: 'sum',
      unitKind: 'sum',
      category: '',
      approved: sum('approved'),
      occupied,
      vacant: sum('vacant'),
      pending: sum('pending'),
      actualVacant: sum('actualVacant'),
      named,
      unnamed: Math.max(0, occupied - named),
    });
  }
  return rows;
}

/** This month and the months before it, as the picker offers them (YYYY-MM, the office's clock). */
export function thisMonth(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 7);
}

// ---- 核查 ------------------------------------------------------------------------------------------------------

export const FINDING_LABELS = {
  notOnEstablishment: '在册不在编',
  notOnRoster: '在编不在册',
  unitDiffers: '单位不一致',
} as const;
export type FindingKind = keyof typeof FINDING_LABELS;

export const FINDING_HINTS: Record<FindingKind, string> = {
  notOnEstablishment: '花名册（工资、人事）上有，但实名制中没有在编记录：核实是否未办上编，或花名册有误。',
  notOnRoster: '实名制中在编，但花名册上没有：核实是否已离开而未办下编。',
  unitDiffers: '两边都有，但单位不同：核实是否调动后未办调动手续。',
};

/** A roster's row as the clerk finds it in the file: the header is line 1. */
export const rosterLine = (row?: number) => (row === undefined ? '' : `第 ${row + 2} 行`);

// ---- 人员导入 (the admin's) -------------------------------------------------------------------------------------

export interface ImportLine {
  /** The file's row: a CSV's line (index + 2, after the header), a JSON file's person (index + 1); null: the file. */
  row: number | null;
  column: string;
  problem: string;
}

const IMPORT_COLUMNS: Record<string, string> = {
  name: '姓名',
  idNumber: '公民身份号码',
  unitId: '单位（ID）',
  category: '编制类别',
};

/** The columns of a people file, for the template and the report. */
export const PEOPLE_COLUMNS = ['name', 'idNumber', 'unitId', 'category'] as const;
export const peopleColumnLabel = (c: string) => IMPORT_COLUMNS[c] ?? (c === 'people' ? '人员列表' : '文件');

const categoriesText = CATEGORIES.map((c) => `${c}（${CATEGORY_LABELS[c]}）`).join('、');

/** One problem of a people file in words: by its rule where the API names one, else by its wording. */
export function importProblem(d: { problem?: unknown; rule?: unknown }): string {
  const problem = String(d.problem ?? '');
  const rule = typeof d.rule === 'string' ? d.rule : '';
  if (rule === 'INVALID_ID_NUMBER' || /INVALID_ID_NUMBER/.test(problem)) return idProblemInWords(problem);
  if (rule === 'DUPLICATE_PERSON') {
    const twice = problem.match(/the same person as people\[(\d+)\]/);
    if (twice) return `与第 ${Number(twice[1]) + 2} 行是同一人（公民身份号码相同）`;
    return '此人已在实名制中（已下编）：重新上编请通过“上编”申请办理';
  }
  if (rule === 'PERSON_ALREADY_ON') {
    const where = problem.match(/already on the establishment of (.+)$/);
    return `此人已在${where ? where[1] : '其他单位'}在编，一人只能占用一个编制`;
  }
  if (rule === 'UNIT_NOT_FOUND') return '没有这个 ID 的单位';
  if (rule === 'UNIT_NOT_ACTIVE') return '该单位已撤销或已合并';
  if (rule === 'QUOTA_FULL') {
    const m = problem.match(/^(.+?) has (\d+) \w+ places to fill beyond its (\d+) on .*this file puts (\d+) on/);
    return m
      ? `${m[1]}该类编制实有 ${m[3]} 人、尚可进 ${m[2]} 人，文件中共 ${m[4]} 人，超出的部分不能导入（满编、超编单位不得进人）`
      : '该单位该类编制已满，不能再导入人员';
  }
  if (/must be one of the following values/.test(problem)) return `应填以下之一：${categoriesText}`;
  if (/must be a UUID/.test(problem)) return '应填单位的 ID（可在机构编制台账的单位页面复制）';
  if (/must be longer than or equal to 18|must be shorter than or equal to 18|must be 18 characters/.test(problem))
    return '公民身份号码应为 18 位';
  if (/name must be longer|name should not be empty|name must be a string/.test(problem)) return '缺少姓名';
  if (/control characters/.test(problem)) return '含有不可见的控制字符';
  if (/must be a string/.test(problem)) return '不能为空';
  if (/should not exist/.test(problem)) return '文件中有系统不认识的列';
  if (/people must be an array|people should not be empty/.test(problem))
    return '文件须为 CSV（name,idNumber,unitId,category），或 JSON 对象 { people: [...] }';
  return '格式不正确';
}

function idProblemInWords(problem: string): string {
  const check = problem.match(/the check character is (\w), the number's is (\w)/);
  if (check) return `公民身份号码校验码不符：末位是 ${check[1]}，应为 ${check[2]}`;
  const born = problem.match(/the birth date (\S+) is after today/);
  if (born) return `出生日期 ${born[1]} 晚于今天`;
  const date = problem.match(/(\d+) is no birth date/);
  if (date) return `公民身份号码中的 ${date[1]} 不是有效的出生日期`;
  const region = problem.match(/(\d+) is no region code/);
  if (region) return `公民身份号码前 6 位 ${region[1]} 不是行政区划代码`;
  return '公民身份号码应为 17 位数字加 1 位校验码（数字或 X）';
}

/** The check's problems (400 VALIDATION_FAILED `details`), one line each, by row. */
export function importLines(details: Record<string, unknown>[], format: 'csv' | 'json'): ImportLine[] {
  const lines: ImportLine[] = [];
  const seen = new Set<string>();
  for (const d of details) {
    const field = typeof d.field === 'string' ? d.field : '';
    const m = field.match(/^(?:body\.)?people\[(\d+)\]\.?(\w*)/);
    const index = m ? Number(m[1]) : typeof d.row === 'number' ? d.row : null;
    const row = index === null ? null : index + (format === 'csv' ? 2 : 1);
    const column = m ? peopleColumnLabel(m[2] || '') : field === 'csv' ? '文件格式' : peopleColumnLabel(field);
    const problem = field === 'csv' ? '文件不是有效的 CSV：请按模板填写，逗号分隔，UTF-8 编码' : importProblem(d);
    const key = `${row}|${column}|${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push({ row, column: m && !m[2] ? '整行' : column, problem });
  }
  return lines.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/** The template of a people file: the header and an example row, as Excel opens it. */
export function peopleTemplateCsv(exampleUnitId = '（单位 ID）'): string {
  return (
    '\uFEFF' +
    [PEOPLE_COLUMNS.join(','), ['张三', '11010519491231002X', exampleUnitId, 'ADMIN'].join(',')].join('\r\n') +
    '\r\n'
  );
}
