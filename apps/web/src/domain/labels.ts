// The enumerations of the API (docs/api.md "Enumerations") in the words the office uses.

export const CATEGORY_LABELS = {
  ADMIN: '行政编制',
  POLITICAL_LEGAL: '政法专项编制',
  PUBLIC_INSTITUTION: '事业编制',
  SCHOOL_STAFF: '中小学教职工编制',
  CONTRACT: '聘用编制',
} as const;
export type Category = keyof typeof CATEGORY_LABELS;
export const CATEGORIES = Object.keys(CATEGORY_LABELS) as Category[];

export const KIND_LABELS = {
  PARTY: '党委机构',
  GOVERNMENT: '政府机构',
  PEOPLES_CONGRESS: '人大机关',
  CPPCC: '政协机关',
  MASS_ORG: '群团机关',
  PUBLIC_INSTITUTION: '事业单位',
  TOWNSHIP: '乡镇',
  SUBDISTRICT: '街道',
  DISPATCHED: '派出机构',
} as const;

export const GRADE_LABELS = {
  COUNTY: '正处/正县',
  DEPUTY_COUNTY: '副处/副县',
  SECTION: '正科',
  DEPUTY_SECTION: '副科',
  STOCK: '股级',
  UNGRADED: '不定级',
} as const;

export const FUNDING_LABELS = { FULL: '全额拨款', PARTIAL: '差额拨款', SELF: '自收自支' } as const;

/** The change types the console files: the registry's thirteen, then the three people types (实名制). */
export const TYPE_LABELS = {
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
} as const;
export type FormType = keyof typeof TYPE_LABELS;
export const FORM_TYPES = Object.keys(TYPE_LABELS) as FormType[];

/** The people types (实名制): a person put on, taken off or moved; decided by the office. */
export const PEOPLE_TYPES = ['ENROL_PERSON', 'DISENROL_PERSON', 'TRANSFER_PERSON'] as const;
export type PeopleType = (typeof PEOPLE_TYPES)[number];
export const isPeopleType = (t: string): t is PeopleType => (PEOPLE_TYPES as readonly string[]).includes(t);

export const ALL_TYPE_LABELS: Record<string, string> = { ...TYPE_LABELS };

/** ENROL_PERSON's channel: how the person came to the unit. */
export const CHANNEL_LABELS = {
  RECRUITED: '公开招聘',
  SELECTED: '选调',
  TRANSFERRED_IN: '调入',
  VETERAN: '军转安置',
  OTHER: '其他',
} as const;

/** DISENROL_PERSON's reason. */
export const REASON_LABELS = {
  RETIRED: '退休',
  RESIGNED: '辞职',
  DISMISSED: '辞退',
  DECEASED: '死亡',
  TRANSFERRED_OUT: '调出',
  OTHER: '其他',
} as const;

export const PERSON_STATUS_LABELS: Record<string, string> = { on: '在编', off: '已下编' };

/** A person's history (GET /v1/people/:id): each move. */
export const PERSON_ACTION_LABELS: Record<string, string> = {
  IMPORTED: '实名制导入',
  ENROLLED: '上编',
  DISENROLLED: '下编',
  TRANSFERRED: '调动',
  MOVED_WITH_UNIT: '随单位撤并转入',
};

export const STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  demonstration: '论证中',
  returned: '已退回',
  committee: '编委会审议中',
  office_decision: '编办决定中',
  awaiting_higher_approval: '待上级批准',
  implementing: '组织实施中',
  implemented: '已实施',
  rejected: '未通过',
  withdrawn: '已撤回',
};

export const ROLE_LABELS: Record<string, string> = {
  clerk: '经办人',
  reviewer: '审核人',
  consultee: '征求意见单位',
  committee_member: '编委会成员',
  committee_chair: '编委会主任',
  higher_liaison: '上级联络员',
  auditor: '审计员',
  admin: '管理员',
  office_director: '编办主任',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
};

export const ACTION_LABELS: Record<string, string> = {
  submit: '提交',
  revise: '修改后重新提交',
  review: '审核',
  answer_consultation: '回复征求意见',
  vote: '表决',
  close_vote: '结束表决',
  decide: '编办决定',
  higher_decision: '登记上级批复',
  retry: '重新实施',
};

/** The audit trail's actions (libs/audit) as the timeline 签核历程 names them. */
export const TRAIL_LABELS: Record<string, string> = {
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
  implementation_stalled: '实施受阻，待编办处理',
  implementation_retried: '编办重新实施',
  higher_approved: '上级批准',
  higher_refused: '上级不予批准',
  consultation_reminded: '催办',
  consultation_lapsed: '征求意见逾期',
  pool_loan_reminded: '周转池编制到期提醒',
  pool_loan_returned: '周转池编制收回',
  implemented: '组织实施完毕',
  rejected_at_implementation: '实施时不符合规定，不予实施',
  attachment_added: '上传附件',
  meeting_created: '确定编委会会议议题',
  meeting_closed: '编委会会议结束（形成会议纪要）',
  document_issued: '印发公文',
};

/** The official documents (公文) a decision produces. */
export const DOCUMENT_KIND_LABELS: Record<string, string> = {
  APPROVAL_REPLY: '批复',
  REJECTION_NOTICE: '不予批准通知',
  QUOTA_USE_NOTICE: '编制使用通知',
  MINUTES: '会议纪要',
};

export const POSITION_LABELS: Record<string, string> = { agree: '同意', disagree: '不同意', conditional: '有条件同意' };
export const VOTE_LABELS: Record<string, string> = { approve: '赞成', reject: '反对', abstain: '弃权' };

/** 常用意见: phrases a consultee or reviewer picks instead of typing them on a phone. */
export const COMMON_OPINIONS = ['同意', '原则同意', '经费已落实', '请补充材料后再议', '不同意，理由如下：'];

/** The four stages of the procedure (docs/domain.md) and which statuses belong to each. */
export const STAGES = ['动议', '论证', '审议决定', '组织实施'] as const;
export function stageOf(status: string): number {
  if (status === 'draft' || status === 'returned' || status === 'withdrawn') return 0;
  if (status === 'demonstration') return 1;
  if (status === 'committee' || status === 'office_decision' || status === 'awaiting_higher_approval') return 2;
  return 3;
}
