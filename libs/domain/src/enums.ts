// The enumerations of the API (docs/domain.md, "The registry"), with the terms of the establishment office beside them.

export const CATEGORIES = ['ADMIN', 'POLITICAL_LEGAL', 'PUBLIC_INSTITUTION', 'SCHOOL_STAFF', 'CONTRACT'] as const;
/** 编制类别: 行政编制, 政法专项编制, 事业编制, 中小学教职工编制, 聘用编制 */
export type Category = (typeof CATEGORIES)[number];

export const UNIT_KINDS = [
  'PARTY', // 党委机构
  'GOVERNMENT', // 政府机构
  'PEOPLES_CONGRESS', // 人大机关
  'CPPCC', // 政协机关
  'MASS_ORG', // 群团机关
  'PUBLIC_INSTITUTION', // 事业单位
  'TOWNSHIP', // 乡镇
  'SUBDISTRICT', // 街道
  'DISPATCHED', // 派出机构
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** 党政群机关: party, government, people's congress, CPPCC and mass-organisation bodies (docs/domain.md, "Who decides"). */
export const PARTY_GOVERNMENT_MASS_KINDS: readonly UnitKind[] = [
  'PARTY',
  'GOVERNMENT',
  'PEOPLES_CONGRESS',
  'CPPCC',
  'MASS_ORG',
];

/** The kinds counted against the county's 机构限额 (bodyLimit): party and government bodies. */
export const LIMITED_BODY_KINDS: readonly UnitKind[] = ['PARTY', 'GOVERNMENT'];

/**
 * 专编专用: whether a unit of `kind` may hold quota of `category`. ADMIN and POLITICAL_LEGAL only in bodies (every
 * kind but PUBLIC_INSTITUTION), POLITICAL_LEGAL only in PARTY or GOVERNMENT, SCHOOL_STAFF only in public
 * institutions. PUBLIC_INSTITUTION and CONTRACT anywhere: bodies hold 事业编制 too (seed 002's mass organisations
 * converted administrative quota into it).
 */
export function categoryAllowedFor(kind: UnitKind, category: Category): boolean {
  switch (category) {
    case 'ADMIN':
      return kind !== 'PUBLIC_INSTITUTION';
    case 'POLITICAL_LEGAL':
      return kind === 'PARTY' || kind === 'GOVERNMENT';
    case 'SCHOOL_STAFF':
      return kind === 'PUBLIC_INSTITUTION';
    default:
      return true;
  }
}

/** 规格, highest first: 正处/正县, 副处/副县, 正科, 副科, 股级, 不定级 */
export const GRADES = ['COUNTY', 'DEPUTY_COUNTY', 'SECTION', 'DEPUTY_SECTION', 'STOCK', 'UNGRADED'] as const;
export type Grade = (typeof GRADES)[number];

/** A grade's height: higher for a higher grade (COUNTY highest, UNGRADED lowest), to compare two grades. */
export function gradeRank(grade: Grade): number {
  return GRADES.length - GRADES.indexOf(grade);
}

/** True when `grade` is 副处 (DEPUTY_COUNTY) or above: beyond what a county decides alone. */
export function isDeputyCountyOrAbove(grade: Grade): boolean {
  return grade === 'COUNTY' || grade === 'DEPUTY_COUNTY';
}

/** 经费形式: 全额拨款, 差额拨款, 自收自支 */
export const FUNDING_FORMS = ['FULL', 'PARTIAL', 'SELF'] as const;
export type Funding = (typeof FUNDING_FORMS)[number];

/** A person on the establishment (实名制) is on a place, or off it (docs/domain.md, "People on the establishment"). */
export const PERSON_STATUSES = ['on', 'off'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** How a person comes on (上编): 公开招聘, 选调, 调入, 军转安置, other. */
export const ENROL_CHANNELS = ['RECRUITED', 'SELECTED', 'TRANSFERRED_IN', 'VETERAN', 'OTHER'] as const;
export type EnrolChannel = (typeof ENROL_CHANNELS)[number];

/** Why a person comes off (下编): 退休, 辞职, 辞退, 死亡, 调出, other. */
export const DISENROL_REASONS = ['RETIRED', 'RESIGNED', 'DISMISSED', 'DECEASED', 'TRANSFERRED_OUT', 'OTHER'] as const;
export type DisenrolReason = (typeof DISENROL_REASONS)[number];

export const UNIT_STATUSES = ['active', 'abolished', 'merged'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const REQUEST_TYPES = [
  'ESTABLISH_UNIT', // 设立机构
  'ABOLISH_UNIT', // 撤销机构
  'MERGE_UNITS', // 合并/整合
  'RENAME_UNIT', // 更名/重组
  'ADD_NAME_PLATE', // 加挂牌子
  'CHANGE_GRADE', // 规格调整
  'ADJUST_SECTIONS', // 内设机构调整
  'ADJUST_QUOTA', // 核增/核减编制
  'TRANSFER_QUOTA', // 编制调剂/划转
  'CONVERT_QUOTA', // 编制置换
  'ADJUST_LEADERSHIP', // 领导职数调整
  'LEND_POOL_QUOTA', // 使用周转池编制
  'USE_QUOTA', // 用编申请
  'ENROL_PERSON', // 上编/落编 (实名制)
  'DISENROL_PERSON', // 下编
  'TRANSFER_PERSON', // 调动
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATUSES = [
  'draft',
  'demonstration', // 论证
  'returned', // 退回修改
  'committee', // 审议决定
  'office_decision', // 编办主任办公会议审定 (docs/domain.md, "Who decides")
  'awaiting_higher_approval', // 报上级编办审批
  'implementing', // 组织实施
  'implemented',
  'rejected',
  'withdrawn', // 撤回
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const ROLES = [
  'clerk',
  'reviewer',
  'consultee',
  'committee_member',
  'committee_chair',
  'higher_liaison',
  'auditor',
  'admin',
  'office_director', // 编办主任
  'security_admin', // 安全管理员
  'audit_admin', // 安全审计员
] as const;
export type Role = (typeof ROLES)[number];

/** 三员分立 and independent audit: each of these roles is held alone (docs/domain.md, "Who uses it"). */
export const SOLE_ROLES: readonly Role[] = ['admin', 'security_admin', 'audit_admin', 'auditor'];

/** The roles that decide may never be held with a requesting or consulted unit's roles. */
export const DECIDING_ROLES: readonly Role[] = ['reviewer', 'office_director'];
export const UNIT_ROLES: readonly Role[] = ['clerk', 'consultee'];

/** Why a set of roles may not be held together, or null when it may. */
export function roleConflict(roles: readonly Role[]): string | null {
  const sole = roles.find((r) => SOLE_ROLES.includes(r));
  if (sole && roles.length > 1)
    return `${sole} is held alone (三员分立): not with ${roles.filter((r) => r !== sole).join(', ')}`;
  const deciding = roles.find((r) => DECIDING_ROLES.includes(r));
  const unit = roles.find((r) => UNIT_ROLES.includes(r));
  if (deciding && unit) return `${deciding} may not also be ${unit}`;
  return null;
}

export const VOTE_CHOICES = ['approve', 'reject', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export const OPINION_POSITIONS = ['agree', 'disagree', 'conditional'] as const;
export type OpinionPosition = (typeof OPINION_POSITIONS)[number];

export const REVIEW_DECISIONS = ['forward', 'return', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The office director's decision (编办主任办公会议). */
export const OFFICE_DECISIONS = ['approve', 'reject'] as const;
export type OfficeDecisionChoice = (typeof OFFICE_DECISIONS)[number];

export type CategoryMap = Record<Category, number>;

export function emptyCategoryMap(): CategoryMap {
  return { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
}

/** A category map from a partial one: a category left out counts 0 (docs/domain.md, "The registry"). */
export function toCategoryMap(partial?: Partial<Record<string, number>> | null): CategoryMap {
  const map = emptyCategoryMap();
  for (const c of CATEGORIES) map[c] = partial?.[c] ?? 0;
  return map;
}
