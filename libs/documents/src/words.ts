import type { LeadershipPosts, RuleViolation } from '@bianzhi/domain';

// The office's words for the domain's enumerations (docs/domain.md), as official documents print them.

export const CATEGORY_WORDS: Record<string, string> = {
  ADMIN: '行政编制',
  POLITICAL_LEGAL: '政法专项编制',
  PUBLIC_INSTITUTION: '事业编制',
  SCHOOL_STAFF: '中小学教职工编制',
  CONTRACT: '聘用编制',
};

/** A unit's grade (机构规格) in a sentence: 正科级, 副处级, … */
export const GRADE_WORDS: Record<string, string> = {
  COUNTY: '正处级',
  DEPUTY_COUNTY: '副处级',
  SECTION: '正科级',
  DEPUTY_SECTION: '副科级',
  STOCK: '股级',
  UNGRADED: '不定级',
};

/** The level of leadership posts (领导职数): 科级领导职数1正2副. */
const POST_LEVEL_WORDS: Record<string, string> = {
  COUNTY: '县处级',
  DEPUTY_COUNTY: '副处级',
  SECTION: '科级',
  DEPUTY_SECTION: '副科级',
  STOCK: '股级',
  UNGRADED: '',
};

export const KIND_WORDS: Record<string, string> = {
  PARTY: '党委工作机构',
  GOVERNMENT: '政府工作部门',
  PEOPLES_CONGRESS: '人大机关',
  CPPCC: '政协机关',
  MASS_ORG: '群团机关',
  PUBLIC_INSTITUTION: '事业单位',
  TOWNSHIP: '乡镇',
  SUBDISTRICT: '街道',
  DISPATCHED: '派出机构',
};

export const FUNDING_WORDS: Record<string, string> = { FULL: '全额拨款', PARTIAL: '差额拨款', SELF: '自收自支' };

export const TYPE_WORDS: Record<string, string> = {
  ESTABLISH_UNIT: '机构设立',
  ABOLISH_UNIT: '机构撤销',
  MERGE_UNITS: '机构合并',
  RENAME_UNIT: '机构更名',
  ADD_NAME_PLATE: '加挂牌子',
  CHANGE_GRADE: '机构规格调整',
  ADJUST_SECTIONS: '内设机构调整',
  ADJUST_QUOTA: '编制核增核减',
  TRANSFER_QUOTA: '编制划转',
  CONVERT_QUOTA: '编制类别转换',
  ADJUST_LEADERSHIP: '领导职数调整',
  LEND_POOL_QUOTA: '周转池编制借用',
  USE_QUOTA: '用编申请',
  ENROL_PERSON: '人员上编',
  DISENROL_PERSON: '人员下编',
  TRANSFER_PERSON: '人员调动',
};

export const ROLE_WORDS: Record<string, string> = {
  clerk: '经办人',
  reviewer: '审核人',
  consultee: '征求意见单位',
  committee_member: '编委会成员',
  committee_chair: '编委会主任',
  higher_liaison: '上级联络员',
  auditor: '审计员',
  admin: '管理员',
  office_director: '编办主任',
};

/** The audit trail's actions as a 审批表 names its steps. */
export const ACTION_WORDS: Record<string, string> = {
  created: '起草',
  submitted: '提交',
  withdrawn: '撤回',
  revised: '修改后重新提交',
  consultations_requested: '征求意见',
  opinion_given: '回复意见',
  forwarded: '审核通过，提请审议',
  returned: '退回修改',
  rejected: '审核不通过',
  voted: '表决',
  vote_closed_approved: '表决通过',
  vote_closed_rejected: '表决未通过',
  vote_closed_no_quorum: '未达法定人数，退回论证',
  referred: '可表决成员不足三人，报上级审批',
  office_approved: '编办主任办公会议同意',
  office_rejected: '编办主任办公会议不同意',
  implementation_stalled: '实施受阻',
  implementation_retried: '重新实施',
  higher_approved: '上级批准',
  higher_refused: '上级不予批准',
  consultation_reminded: '催办',
  consultation_lapsed: '征求意见逾期',
  implemented: '组织实施完毕',
  rejected_at_implementation: '实施时不符合规定，不予实施',
  attachment_added: '上传附件',
  meeting_created: '列入编委会会议议题',
  meeting_closed: '编委会会议结束',
  document_issued: '印发公文',
};

/** A meeting item's result (会议纪要). */
export const RESULT_WORDS: Record<string, string> = {
  APPROVED: '审议通过',
  REJECTED: '未获通过',
  NO_QUORUM: '未达法定人数，退回重新论证',
  WITHDRAWN: '已撤回',
};

export function categoryWord(c: unknown): string {
  return CATEGORY_WORDS[String(c)] ?? '编制';
}

/** 科级领导职数1正2副；股级领导职数1正 (one phrase per grade, zeros left out). */
export function postsWords(posts: readonly LeadershipPosts[] | null | undefined): string {
  const parts = (posts ?? [])
    .filter((p) => p.principal > 0 || p.deputy > 0)
    .map((p) => {
      const counts = (p.principal > 0 ? `${p.principal}正` : '') + (p.deputy > 0 ? `${p.deputy}副` : '');
      return `${POST_LEVEL_WORDS[p.grade] ?? ''}领导职数${counts}`;
    });
  return parts.length ? parts.join('、') : '不设领导职数';
}

const DIGITS = '〇一二三四五六七八九';

function chineseSmallNumber(n: number): string {
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens > 1 ? DIGITS[tens] : '') + '十' + (ones ? DIGITS[ones] : '');
}

/** An ISO instant's calendar date in China Standard Time (UTC+8), as [year, month, day]. */
export function chinaDate(iso: string): [number, number, number] {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  const d = new Date(ms + 8 * 3600_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** 成文日期 in Chinese numerals, as GB/T 9704-2012 7.3.5.3 prints it: 二〇二六年十二月一日. */
export function chineseDate(iso: string): string {
  const [y, m, d] = chinaDate(iso);
  const year = String(y)
    .split('')
    .map((c) => DIGITS[Number(c)])
    .join('');
  return `${year}年${chineseSmallNumber(m)}月${chineseSmallNumber(d)}日`;
}

/** A date in Arabic numerals (印发日期, dates in body text): 2026年12月1日. */
export function arabicDate(iso: string): string {
  const [y, m, d] = chinaDate(iso);
  return `${y}年${m}月${d}日`;
}

/** A YYYY-MM-DD date (a loan's due date) as 2027年6月30日. */
export function arabicDay(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : ymd;
}

/** Date and time in China Standard Time for a 审批表's signatures: 2026年12月1日, then 09:30 on a line of its own. */
export function arabicDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + 8 * 3600_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${arabicDate(iso)}\n${hh}:${mm}`;
}

/** 甲、乙和丙 */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join('、')}和${names[names.length - 1]}`;
}

/** 一、二、… for numbered paragraphs. */
export function ordinal(n: number): string {
  return chineseSmallNumber(n);
}

/**
 * Each rule code as a sentence of a 不予批准 notice (the console's sentences, apps/web/src/domain/rule-sentences.ts,
 * copied: a library does not import the console). An unknown code falls back to the rule's own message.
 */
type Sentence = (v: RuleViolation, unit: (id?: string) => string) => string;
const num = (v: RuleViolation, key: string) => (typeof v[key] === 'number' ? String(v[key]) : '');

export const RULE_SENTENCES: Record<string, Sentence> = {
  QUOTA_FULL: (v, u) => `${u(v.unitId)}${categoryWord(v.category)}已满编，不得再增加使用`,
  QUOTA_INSUFFICIENT: (v, u) =>
    `${u(v.unitId)}空余${categoryWord(v.category)}不足，调整后将少于在编人数` +
    (num(v, 'approved') ? `（现核定${num(v, 'approved')}名）` : ''),
  TOTAL_EXCEEDED: (v) => `全县${categoryWord(v.category)}总量不足，调整将突破核定总额`,
  POOL_INSUFFICIENT: (v) => `周转池中可借用的${categoryWord(v.category)}不足`,
  LEADERSHIP_EXCEEDS_ADMIN_QUOTA: (v, u) => `${u(v.unitId)}领导职数将超过其行政编制数`,
  LEADERSHIP_EXCEEDS_QUOTA: (v, u) => `${u(v.unitId)}领导职数将超过其编制总数`,
  UNIT_NOT_ACTIVE: (v, u) => `${u(v.unitId)}已撤销或已合并，不能再办理此事项`,
  UNIT_NOT_FOUND: () => '所涉单位不存在',
  NOT_YOUR_UNIT_CHANGE: (v, u) => `${u(v.unitId)}不是申请单位或其所属单位`,
  PEOPLE_NOT_PLACED: (v, u) => `${u(v.unitId)}尚有在编人员，未明确人员去向`,
  UNIT_NAME_TAKEN: () => '已有同名机构',
  NAME_PLATE_EXISTS: (v, u) => `${u(v.unitId)}已加挂此牌子`,
  SECTION_EXISTS: (v, u) => `${u(v.unitId)}已设有此内设机构`,
  SECTION_NOT_FOUND: (v, u) => `${u(v.unitId)}未设有拟撤销的内设机构`,
  NO_CHANGE: () => '申请事项与现状相同，无需调整',
  SAME_UNIT: () => '调出单位与调入单位为同一单位',
  INVALID_DUE_DATE: () => '归还日期不符合规定（须晚于当日且不超过三年）',
  CATEGORY_NOT_FOR_KIND: (v, u) => `${u(v.unitId)}不能使用${categoryWord(v.category)}（专编专用）`,
  BODY_LIMIT_EXCEEDED: () => '党政机构数将超过核定的机构限额',
  POST_GRADE_ABOVE_UNIT: (v, u) => `${u(v.unitId)}领导职数规格高于机构本身规格`,
  TOTAL_BELOW_ALLOCATED: (v) => `${categoryWord(v.category)}总量低于已核定和已借出的编制数`,
  PERSON_ALREADY_ON: (v, u) => `该人员已在${u(v.unitId)}在编，一人只能占用一个编制`,
  PERSON_NOT_FOUND: () => '实名制信息中查无此人',
  PERSON_NOT_ON: () => '该人员不在编',
  PERSON_MOVED: () => '该人员编制信息在申请后已发生变化，请重新申请',
  DUPLICATE_PERSON: () => '同一人员在申请中重复出现',
  INVALID_ID_NUMBER: () => '公民身份号码有误',
  INVALID_DATE: () => '日期不是有效的日历日期',
};

export function ruleSentence(v: RuleViolation, unit: (id?: string) => string): string {
  const s = RULE_SENTENCES[v.rule];
  return s ? s(v, unit) : `不符合规定（${v.message || v.rule}）`;
}
