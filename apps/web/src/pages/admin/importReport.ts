import {
  CATEGORIES,
  CATEGORY_LABELS,
  FUNDING_LABELS,
  GRADE_LABELS,
  KIND_LABELS,
  type Category,
} from '../../domain/labels';
import { problemInWords } from '../../domain/errors';
import { ruleSentence } from '../../domain/rule-sentences';

// The registry import's check (POST /v1/registry/import?dryRun=true, apps/api/src/registry/import.service.ts)
// answers 400 with every problem of the file as `{ field: 'units[3].PUBLIC_INSTITUTION', problem }`. Here each
// becomes a line of the report: the file's row, the column, and the problem in words.

/** The CSV's columns, in the template's order (the ones unitsFromCsv reads). */
export const TEMPLATE_COLUMNS = [
  'ref',
  'name',
  'kind',
  'grade',
  'parentRef',
  'parentId',
  'funding',
  'creditCode',
  ...CATEGORIES,
  ...CATEGORIES.map((c) => `occupied_${c}`),
  ...CATEGORIES.map((c) => `pending_${c}`),
  'leadershipPosts',
  'sections',
  'namePlates',
];

const COLUMN_LABELS: Record<string, string> = {
  ref: '行标识',
  name: '机构名称',
  kind: '机构类别',
  grade: '规格',
  parentRef: '上级（本文件中的行标识）',
  parentId: '上级（已有单位的 ID）',
  funding: '经费形式',
  creditCode: '统一社会信用代码',
  leadershipPosts: '领导职数',
  sections: '内设机构',
  namePlates: '加挂牌子',
  csv: '文件格式',
  body: '文件内容',
  units: '单位列表',
  'totals.year': '年度',
  'totals.bodyLimit': '机构限额',
};

const cat = (c?: string): string => CATEGORY_LABELS[c as Category] ?? c ?? '编制';

/** A column of the CSV (or a field of the JSON file's totals) in words. */
export function columnLabel(column: string): string {
  if (COLUMN_LABELS[column]) return COLUMN_LABELS[column];
  if ((CATEGORIES as string[]).includes(column)) return `${cat(column)}（核定）`;
  const occ = column.match(/^(occupied|pending)_(\w+)$/);
  if (occ) return `${cat(occ[2])}（${occ[1] === 'occupied' ? '实有' : '待入编'}）`;
  const pool = column.match(/^totals\.turnoverPool\.(\w+)$/);
  if (pool) return `周转池${cat(pool[1])}`;
  const total = column.match(/^totals\.(?:totals\.)?(\w+)$/);
  if (total && (CATEGORIES as string[]).includes(total[1])) return `${cat(total[1])}总额`;
  return column;
}

/** A unit's field path (`quotas.ADMIN`, `leadershipPosts[0].grade`) as the CSV column it came from. */
export function columnOf(rest: string): string {
  const nested = rest.match(/^(quotas|occupied|pending)\.(\w+)$/);
  if (nested) return nested[1] === 'quotas' ? nested[2] : `${nested[1]}_${nested[2]}`;
  const list = rest.match(/^(leadershipPosts|sections|namePlates)\b/);
  if (list) return list[1];
  return rest;
}

const choices = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([code, label]) => `${code}（${label}）`)
    .join('、');

const CHOICES: Record<string, string> = {
  kind: choices(KIND_LABELS),
  grade: choices(GRADE_LABELS),
  funding: choices(FUNDING_LABELS),
};

/** What a column takes, for the template's help. */
export function columnHint(column: string): string {
  if (CHOICES[column]) return CHOICES[column];
  const hints: Record<string, string> = {
    ref: '本文件内唯一，如 edu',
    name: '必填',
    parentRef: '本文件中另一行的 ref',
    parentId: '已在台账中的单位的 ID',
    creditCode: '18 位，可空',
    leadershipPosts: '规格:正职数:副职数，如 SECTION:1:2；多项以分号分隔',
    sections: '以分号分隔，如 办公室;基础教育股',
    namePlates: '以分号分隔',
  };
  return hints[column] ?? '不小于 0 的整数，可空';
}

type Say = string | ((m: RegExpMatchArray, column: string) => string);

const PROBLEMS: [RegExp, Say][] = [
  [/^(.*) is not a whole number$/, (m) => `“${m[1]}”不是整数，请填写不小于 0 的整数`],
  [/write posts as GRADE:principal:deputy/, '领导职数写作“规格:正职数:副职数”，如 SECTION:1:2，多项以分号分隔'],
  [/ref (.+) appears twice/, (m) => `行标识 ${m[1]} 与前面的行重复`],
  [/check character does not match/, '校验位不正确（GB 32100-2015），请核对统一社会信用代码'],
  [/creditCode must be 18 characters/, '须为 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）'],
  [/an active unit is already named (.+)/, (m) => `已有名为“${m[1]}”的机构（在用），不能重复导入`],
  [/no row has ref (.+)/, (m) => `文件中没有行标识为 ${m[1]} 的行`],
  [/unit (.+) does not exist/, () => '没有这个 ID 的单位'],
  [
    /^(\w+) must be one of the following values/,
    (m) => (CHOICES[m[1]] ? `应填以下之一：${CHOICES[m[1]]}` : '请按模板填写可选的值'),
  ],
  [/a JSON object .* or a text\/csv body/, '文件须为 CSV，或 JSON 对象 { totals?, units: [...] }'],
  [
    /Invalid Record Length: expect(?:ed)? (\d+), got (\d+) on line (\d+)/,
    (m) => `第 ${m[3]} 行有 ${m[2]} 列，与表头的 ${m[1]} 列不符（含逗号的内容请加英文双引号）`,
  ],
  [/must be a string/, '不能为空'],
  [/must be an integer/, '请填写整数'],
  [
    /the county has (\d+) free \w+ quota, not (\d+)/,
    (m, column) =>
      `全县${columnLabel(column).replace(/总额$/, '')}未分配的只有 ${m[1]} 名，文件中各单位合计 ${m[2]} 名，超出核定总额`,
  ],
  [
    /units hold (\d+) \w+ quota: the county total may not be (\d+)/,
    (m) => `各单位已核定 ${m[1]} 名，总额不能定为 ${m[2]}`,
  ],
  [
    /(\d+) \w+ places of the turnover pool are lent: its size may not be (\d+)/,
    (m) => `周转池已借出 ${m[1]} 名，规模不能定为 ${m[2]}`,
  ],
  [
    /may have (\d+) party and government bodies and has (\d+): not (\d+) more/,
    (m) => `机构限额为 ${m[1]} 个，现有党政机构 ${m[2]} 个，文件中又有 ${m[3]} 个，超出机构限额`,
  ],
  [
    /has (\d+) party and government bodies: the body limit may not be (\d+)/,
    (m) => `现有党政机构 ${m[1]} 个，机构限额不能定为 ${m[2]}`,
  ],
];

/** One problem of the file in words; the column names the category of a county-wide one. */
export function importProblemInWords(problem: string, column = ''): string {
  for (const [re, say] of PROBLEMS) {
    const m = problem.match(re);
    if (m) return typeof say === 'string' ? say : say(m, column);
  }
  // A registry rule worded otherwise than above: its sentence, without the figures.
  const rule = problem.match(/\(([A-Z_]+)\)$/);
  if (rule)
    return ruleSentence({ rule: rule[1], category: column.split('.').pop() }, undefined, cat).replace(/。$/, '');
  if (column === 'csv') return '文件不是有效的 CSV：请按模板填写，逗号分隔，UTF-8 编码';
  return problemInWords(problem);
}

export interface ReportLine {
  /** The file's row: a CSV's line (index + 2, after the header), a JSON file's unit (index + 1); null: the file. */
  row: number | null;
  /** The CSV column or the JSON field, as in the file. */
  column: string;
  columnLabel: string;
  problem: string;
}

/** The check's problems, one line each, by row; a row's column said once per distinct problem. */
export function importReport(details: Record<string, unknown>[], format: 'csv' | 'json'): ReportLine[] {
  const parsed = details.map((d) => {
    const field = typeof d.field === 'string' ? d.field : '';
    const m = field.match(/^units\[(\d+)\]\.?(.*)$/);
    const row = m ? Number(m[1]) + (format === 'csv' ? 2 : 1) : null;
    const column = m ? columnOf(m[2]) : field;
    return { row, column, whole: !!m && !m[2], nested: !!m && /^(quotas|occupied|pending)\./.test(m[2]), raw: d };
  });
  // A CSV cell that is no whole number ("x") is named once: the count it became is refused again by the DTO
  // (not an integer, not within 0..1000000), which says nothing more.
  const notWhole = new Set(
    parsed.filter((p) => /is not a whole number/.test(String(p.raw.problem))).map((p) => `${p.row}|${p.column}`),
  );
  const lines: ReportLine[] = [];
  const seen = new Set<string>();
  for (const p of parsed) {
    if (p.nested && notWhole.has(`${p.row}|${p.column}`)) continue;
    const problem = importProblemInWords(String(p.raw.problem ?? ''), p.column);
    const key = `${p.row}|${p.column}|${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push({ row: p.row, column: p.column, columnLabel: p.whole ? '整行' : columnLabel(p.column), problem });
  }
  return lines.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/** The template: the header and two example rows (a bureau and an institution under it), as Excel opens it. */
export function templateCsv(): string {
  const example = (values: Record<string, string>) => TEMPLATE_COLUMNS.map((c) => values[c] ?? '').join(',');
  return (
    '\uFEFF' +
    [
      TEMPLATE_COLUMNS.join(','),
      example({
        ref: 'edu',
        name: '县教育体育局',
        kind: 'GOVERNMENT',
        grade: 'SECTION',
        ADMIN: '12',
        occupied_ADMIN: '10',
        leadershipPosts: 'SECTION:1:2',
        sections: '办公室;基础教育股',
        namePlates: '县体育局',
      }),
      example({
        ref: 'k4',
        name: '县第四幼儿园',
        kind: 'PUBLIC_INSTITUTION',
        grade: 'STOCK',
        parentRef: 'edu',
        funding: 'FULL',
        creditCode: '91350100M000100Y43',
        SCHOOL_STAFF: '20',
        occupied_SCHOOL_STAFF: '12',
        pending_SCHOOL_STAFF: '3',
        leadershipPosts: 'STOCK:1:1',
      }),
    ].join('\r\n') +
    '\r\n'
  );
}

/** Whether a file is the JSON form `{ totals?, units }` rather than a units CSV. */
export function isJsonFile(name: string, text: string): boolean {
  return /\.json$/i.test(name) || /^\s*\{/.test(text.replace(/^\uFEFF/, ''));
}
