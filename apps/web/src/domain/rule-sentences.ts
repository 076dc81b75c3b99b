import type { RuleCode } from '../../../../libs/domain/src/violations';

// Every rule code of the domain library (libs/domain, docs/domain.md) as a sentence a clerk reads. Typed by the
// library's own RuleCode, so a code without a sentence does not compile; rule-sentences.test.ts also reads the
// library's source, so a code added there and not here fails the tests.

export interface Violation {
  rule: string;
  message?: string;
  unitId?: string;
  category?: string;
  [k: string]: unknown;
}

type Sentence = (v: Violation, unitName: (id?: string) => string, categoryName: (c?: string) => string) => string;

const n = (v: Violation, key: string) => (typeof v[key] === 'number' ? String(v[key]) : '');

export const RULE_SENTENCES: Record<RuleCode, Sentence> = {
  QUOTA_FULL: (v, u, c) => `${u(v.unitId)}的${c(v.category)}已满编，不能再增加使用。`,
  QUOTA_INSUFFICIENT: (v, u, c) =>
    `${u(v.unitId)}的${c(v.category)}不足，调整后将少于零或少于在编人数` +
    (n(v, 'approved') ? `（现核定 ${n(v, 'approved')} 名）。` : '。'),
  TOTAL_EXCEEDED: (v, _u, c) => `全县${c(v.category)}总量不足，本次调整会突破核定总额。`,
  POOL_INSUFFICIENT: (v, _u, c) => `周转池中可借用的${c(v.category)}不足。`,
  LEADERSHIP_EXCEEDS_ADMIN_QUOTA: (v, u) => `${u(v.unitId)}的领导职数超过了其行政编制数。`,
  LEADERSHIP_EXCEEDS_QUOTA: (v, u) => `${u(v.unitId)}的领导职数超过了其编制总数。`,
  UNIT_NOT_ACTIVE: (v, u) => `${u(v.unitId)}已撤销或已合并，不能再办理此事项。`,
  UNIT_NOT_FOUND: () => '所选单位不存在。',
  NOT_YOUR_UNIT_CHANGE: (v, u) =>
    `${u(v.unitId)}不是本单位，也不是本单位的所属单位：只能为本单位及所属单位申请此项调整。`,
  PEOPLE_NOT_PLACED: (v, u) => `${u(v.unitId)}尚有在编人员，须先指定人员去向单位。`,
  UNIT_NAME_TAKEN: () => '已有同名的机构，请换一个名称。',
  NAME_PLATE_EXISTS: (v, u) => `${u(v.unitId)}已挂有此牌子。`,
  SECTION_EXISTS: (v, u) => `${u(v.unitId)}已设有此内设机构。`,
  SECTION_NOT_FOUND: (v, u) => `${u(v.unitId)}没有要撤销的内设机构。`,
  NO_CHANGE: () => '本次申请与现状相同，没有任何调整。',
  SAME_UNIT: () => '调出与调入不能是同一单位。',
  INVALID_DUE_DATE: () => '归还日期须是真实的日期，晚于今天且不超过三年。',
  CATEGORY_NOT_FOR_KIND: (v, u, c) => `${u(v.unitId)}不能使用${c(v.category)}（专编专用）。`,
  BODY_LIMIT_EXCEEDED: () => '党政机构数将超过核定的机构限额。',
  POST_GRADE_ABOVE_UNIT: (v, u) => `${u(v.unitId)}的领导职数规格不能高于机构本身的规格。`,
  TOTAL_BELOW_ALLOCATED: (_v, _u, c) => `${c(_v.category)}总量不能低于各单位已核定和已借出的编制数。`,
  PERSON_ALREADY_ON: (v, u) => `${String(v.idNumberMasked ?? '该人员')}已在${u(v.unitId)}在编，一人只能占用一个编制。`,
  PERSON_NOT_FOUND: () => '实名制信息中查无此人。',
  PERSON_NOT_ON: () => '该人员目前不在编。',
  PERSON_MOVED: () => '该人员的编制信息在申请后已发生变化，请重新填报。',
  DUPLICATE_PERSON: () => '同一人员在申请中出现了两次。',
  INVALID_ID_NUMBER: () => '公民身份号码有误（校验码不符）。',
  INVALID_DATE: () => '日期须是真实的日历日期。',
};

/** A violation as a Chinese sentence; an unknown code (a newer API) falls back to the API's own message. */
export function ruleSentence(
  v: Violation,
  unitName: (id?: string) => string = () => '该单位',
  categoryName: (c?: string) => string = (c) => c ?? '编制',
): string {
  const s = (RULE_SENTENCES as Record<string, Sentence | undefined>)[v.rule];
  // A batch's line (the people types' `lines`): which person of the request the rule is about.
  const at = typeof v.line === 'number' ? `第 ${v.line + 1} 人：` : '';
  return at + (s ? s(v, unitName, categoryName) : `不符合规则（${v.message ?? v.rule}）。`);
}
