import { ApiProblem } from '../../api/client';
import { fieldProblems, problemSentence } from '../../domain/errors';
import { CATEGORY_LABELS, type Category } from '../../domain/labels';
import { ruleSentence, type Violation } from '../../domain/rule-sentences';

// PUT /v1/establishment/totals's refusals (docs/api.md, "Registry") in words, with the figures the API names:
// a total below what units hold, a pool below what is lent, a body limit below the bodies there are.

const cat = (c?: string) => (c && c in CATEGORY_LABELS ? CATEGORY_LABELS[c as Category] : '编制');

export function totalsViolationSentence(v: Violation): string {
  const n = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : '?');
  if (v.rule === 'TOTAL_BELOW_ALLOCATED' && v.field === 'turnoverPool')
    return `周转池${cat(v.category)}不能定为 ${n('size')} 名：已借给各单位 ${n('lent')} 名，须先收回。`;
  if (v.rule === 'TOTAL_BELOW_ALLOCATED')
    return `${cat(v.category)}总额不能定为 ${n('total')} 名：各单位已核定 ${n('allocated')} 名。`;
  if (v.rule === 'BODY_LIMIT_EXCEEDED')
    return `机构限额不能定为 ${n('bodyLimit')} 个：现有党政机构 ${n('bodies')} 个。`;
  return ruleSentence(v, undefined, cat);
}

/** The refusal's sentences: the code's, then one per rule broken or field at fault. */
export function totalsRefusal(e: unknown): string[] {
  if (e instanceof ApiProblem && e.code === 'RULE_VIOLATION')
    return ['不能保存：', ...e.details.map((d) => totalsViolationSentence(d as Violation))];
  const fields = fieldProblems(e);
  return [problemSentence(e), ...fields.map((f) => `${fieldName(f.field)}：${f.problem}`)];
}

/** A field of the totals' body (`totals.ADMIN`, `turnoverPool.SCHOOL_STAFF`, `bodyLimit`) in words. */
export function fieldName(field: string): string {
  const [head, c] = field.split('.');
  if (head === 'totals' && c) return `${cat(c)}总额`;
  if (head === 'turnoverPool' && c) return `周转池${cat(c)}`;
  if (head === 'bodyLimit') return '机构限额';
  if (head === 'year') return '年度';
  return field;
}
