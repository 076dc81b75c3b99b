import { normaliseIdNumber, officeToday } from '../domain/id-number';
import type { FormType } from '../domain/labels';
import { parseRoster } from './roster';

// What each change type's form holds and the payload it sends (docs/api.md "Change request payloads"). The form's
// fields are named as the payload's, so the API's VALIDATION_FAILED `payload.x` lands on the field named x.

export type FieldKind =
  | 'unit'
  | 'units'
  | 'category'
  | 'grade'
  | 'kind'
  | 'funding'
  | 'text'
  | 'tags'
  | 'int'
  | 'count'
  | 'date'
  | 'quotas'
  | 'posts'
  | 'transferLines'
  | 'loanLines'
  | 'channel'
  | 'reason'
  | 'enrolPeople'
  | 'person';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  optional?: boolean;
  /** A person picked fills in the form's category with theirs (调动 mostly keeps it). */
  fillsCategory?: boolean;
}

const unit = (label = '单位'): FieldSpec => ({ name: 'unitId', label, kind: 'unit' });

export const FORM_FIELDS: Record<FormType, FieldSpec[]> = {
  ESTABLISH_UNIT: [
    { name: 'name', label: '机构名称', kind: 'text' },
    { name: 'kind', label: '机构类别', kind: 'kind' },
    { name: 'grade', label: '机构规格', kind: 'grade' },
    { name: 'parentId', label: '主管部门', kind: 'unit', optional: true },
    { name: 'funding', label: '经费形式', kind: 'funding', optional: true },
    { name: 'quotas', label: '核定编制', kind: 'quotas' },
    { name: 'leadershipPosts', label: '领导职数', kind: 'posts', optional: true },
    { name: 'sections', label: '内设机构', kind: 'tags', optional: true },
    { name: 'namePlates', label: '加挂牌子', kind: 'tags', optional: true },
  ],
  ABOLISH_UNIT: [
    unit('撤销的单位'),
    { name: 'quotaTo', label: '编制划入单位（不填则收回县编制总额）', kind: 'unit', optional: true },
    { name: 'peopleTo', label: '人员去向单位', kind: 'unit', optional: true },
  ],
  MERGE_UNITS: [
    { name: 'sourceIds', label: '并入的单位', kind: 'units' },
    { name: 'targetId', label: '合并后的单位', kind: 'unit' },
  ],
  RENAME_UNIT: [unit(), { name: 'newName', label: '新名称', kind: 'text' }],
  ADD_NAME_PLATE: [unit(), { name: 'namePlate', label: '加挂的牌子', kind: 'text' }],
  CHANGE_GRADE: [unit(), { name: 'grade', label: '调整后的规格', kind: 'grade' }],
  ADJUST_SECTIONS: [
    unit(),
    { name: 'add', label: '增设内设机构', kind: 'tags', optional: true },
    { name: 'remove', label: '撤销内设机构', kind: 'tags', optional: true },
  ],
  ADJUST_QUOTA: [
    unit(),
    { name: 'category', label: '编制类别', kind: 'category' },
    { name: 'delta', label: '核增（正数）或核减（负数）', kind: 'int' },
  ],
  TRANSFER_QUOTA: [{ name: 'lines', label: '划转明细', kind: 'transferLines' }],
  CONVERT_QUOTA: [
    unit(),
    { name: 'fromCategory', label: '原编制类别', kind: 'category' },
    { name: 'toCategory', label: '转为编制类别', kind: 'category' },
    { name: 'count', label: '名额', kind: 'count' },
  ],
  ADJUST_LEADERSHIP: [unit(), { name: 'posts', label: '调整后的全部领导职数', kind: 'posts' }],
  LEND_POOL_QUOTA: [
    { name: 'loans', label: '借用明细', kind: 'loanLines' },
    { name: 'dueDate', label: '归还日期', kind: 'date' },
  ],
  USE_QUOTA: [
    unit(),
    { name: 'category', label: '编制类别', kind: 'category' },
    { name: 'count', label: '用编名额', kind: 'count' },
  ],
  // 实名制: one person, or a batch pasted as rows "姓名,身份证号" (ENROL_PERSON `lines`, each with the unit,
  // category and channel above).
  ENROL_PERSON: [
    unit('上编单位'),
    { name: 'category', label: '编制类别', kind: 'category' },
    { name: 'channel', label: '进编渠道', kind: 'channel' },
    { name: 'person', label: '上编人员', kind: 'enrolPeople' },
  ],
  DISENROL_PERSON: [
    { name: 'personId', label: '下编人员', kind: 'person' },
    { name: 'reason', label: '下编原因', kind: 'reason' },
    { name: 'date', label: '下编日期', kind: 'date' },
  ],
  TRANSFER_PERSON: [
    { name: 'personId', label: '调动人员', kind: 'person', fillsCategory: true },
    { name: 'toUnitId', label: '调入单位', kind: 'unit' },
    { name: 'category', label: '调入后的编制类别', kind: 'category' },
  ],
};

type Values = Record<string, unknown>;

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** A date picker's value (dayjs) or a string, as YYYY-MM-DD. */
function day(v: unknown): string {
  if (typeof v === 'string') return v.slice(0, 10);
  const d = v as { format?: (f: string) => string };
  return d?.format ? d.format('YYYY-MM-DD') : '';
}

function trimStrings(list: unknown): string[] {
  return Array.isArray(list) ? [...new Set(list.map((s) => String(s).trim()).filter(Boolean))] : [];
}

/** The payload a form's values make, in the shape the API's payload validation expects. */
export function buildPayload(type: FormType, values: Values): Values {
  const out: Values = {};
  for (const f of FORM_FIELDS[type]) {
    const v = values[f.name];
    switch (f.kind) {
      case 'tags':
        if (f.optional && isEmpty(v) && type === 'ESTABLISH_UNIT') break;
        out[f.name] = trimStrings(v);
        break;
      case 'quotas': {
        const q: Record<string, number> = {};
        for (const [c, n] of Object.entries((v as Record<string, unknown>) ?? {})) if (Number(n) > 0) q[c] = Number(n);
        out[f.name] = q;
        break;
      }
      case 'posts':
        out[f.name] = ((v as Values[]) ?? []).map((p) => ({
          grade: p.grade,
          principal: Number(p.principal ?? 0),
          deputy: Number(p.deputy ?? 0),
        }));
        break;
      case 'transferLines':
        out[f.name] = ((v as Values[]) ?? []).map((l) => ({
          fromUnitId: l.fromUnitId,
          toUnitId: l.toUnitId,
          category: l.category,
          count: Number(l.count),
        }));
        break;
      case 'loanLines':
        out[f.name] = ((v as Values[]) ?? []).map((l) => ({
          unitId: l.unitId,
          category: l.category,
          count: Number(l.count),
        }));
        break;
      case 'date':
        out[f.name] = day(v);
        break;
      case 'int':
      case 'count':
        out[f.name] = Number(v);
        break;
      case 'text':
        if (f.optional && isEmpty(v)) break;
        out[f.name] = String(v ?? '').trim();
        break;
      case 'enrolPeople':
        return enrolPayload(out, values);
      default:
        if (f.optional && isEmpty(v)) break;
        out[f.name] = v;
    }
  }
  return out;
}

/**
 * ENROL_PERSON: the unit, category and channel with one person, or, for a batch, a line per pasted row with
 * them. The ID numbers go as the API compares them (half-width, X upper case).
 */
function enrolPayload(top: Values, values: Values): Values {
  if (values.mode === 'batch') {
    const { unitId, category, channel } = top;
    const rows = parseRoster(String(values.batch ?? ''), officeToday()).rows;
    return { lines: rows.map((r) => ({ unitId, category, person: { name: r.name, idNumber: r.idNumber }, channel })) };
  }
  const p = (values.person ?? {}) as Values;
  return {
    ...top,
    person: { name: String(p.name ?? '').trim(), idNumber: normaliseIdNumber(String(p.idNumber ?? '')) },
  };
}

/**
 * A saved payload back into form values (revise after a return: the form prefilled). A people request's saved
 * payload carries no ID number (the API keeps it sealed) nor the person's place as filed: those are entered or
 * taken again.
 */
export function payloadToValues(type: string, payload: Values): Values {
  if (type === 'ENROL_PERSON') {
    const lines = payload.lines as Values[] | undefined;
    const first = (lines?.[0] ?? payload) as Values;
    const person = (first.person ?? {}) as Values;
    return lines?.length
      ? { unitId: first.unitId, category: first.category, channel: first.channel, mode: 'batch' }
      : { unitId: first.unitId, category: first.category, channel: first.channel, person: { name: person.name } };
  }
  if (type === 'DISENROL_PERSON' || type === 'TRANSFER_PERSON') {
    const { person: _filed, ...rest } = payload;
    return rest;
  }
  return { ...payload };
}

/**
 * Where the API's VALIDATION_FAILED field of a batch lands: `payload.lines[3].person.idNumber` at the pasted rows'
 * field, said with the row; any other field where it is.
 */
export function batchField(field: string): { field: string; at?: number } {
  const m = field.match(/^payload\.lines\[(\d+)\]/);
  return m ? { field: 'payload.batch', at: Number(m[1]) } : { field };
}

/**
 * The API's field problems as the form shows them, a field's together: a batch line's at the pasted rows, with the
 * line of the paste it came from and the person's name.
 */
export function placeFieldProblems(
  problems: { field: string; problem: string }[],
  batch: string,
): { field: string; errors: string[] }[] {
  const rows = parseRoster(batch, officeToday()).rows;
  const at = new Map<string, string[]>();
  for (const p of problems) {
    const { field, at: line } = batchField(p.field);
    const row = line === undefined ? undefined : rows[line];
    const said =
      line === undefined
        ? p.problem
        : row
          ? `第 ${row.line} 行（${row.name}）：${p.problem}`
          : `第 ${line + 1} 人：${p.problem}`;
    at.set(field, [...(at.get(field) ?? []), said]);
  }
  return [...at].map(([field, errors]) => ({ field, errors }));
}
