import type { DocumentFacts, MinutesFacts, RequestDocumentFacts } from '../src';
import { issuerFor } from '../src';

// Facts of each kind of document, after the seed cases (seed 002: 5 事业编制 moved from the housing security
// centre to the CDC) in the invented county 枫渚县.

export const COUNTY = '枫渚县';
const ISSUED = '2026-12-01T02:00:00.000Z'; // 10:00 in Beijing

export const CDC_REPLY: RequestDocumentFacts = {
  kind: 'APPROVAL_REPLY',
  issuer: issuerFor('APPROVAL_REPLY', COUNTY, 'COMMITTEE'),
  decidedBy: 'COMMITTEE',
  documentNumber: '枫编〔2026〕12号',
  issuedAt: ISSUED,
  request: {
    id: 'cr-cdc',
    type: 'TRANSFER_QUOTA',
    title: '关于将县住房保障服务中心5名事业编制划转县疾病预防控制中心的请示',
    justification: '为加强基层疾病预防控制体系建设，县疾病预防控制中心急需补充专业技术人员。',
    referenceNumber: '枫卫健〔2026〕5号',
    unitName: '县卫生健康局',
    payload: { lines: [{ fromUnitId: 'housing', toUnitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 5 }] },
    createdAt: '2026-11-02T01:30:00.000Z',
  },
  diff: [
    {
      scope: 'unit',
      unitId: 'housing',
      unitName: '县住房保障服务中心',
      field: 'quotas.PUBLIC_INSTITUTION',
      before: 20,
      after: 15,
    },
    {
      scope: 'unit',
      unitId: 'cdc',
      unitName: '县疾病预防控制中心',
      field: 'quotas.PUBLIC_INSTITUTION',
      before: 30,
      after: 35,
    },
  ],
  unitNames: { housing: '县住房保障服务中心', cdc: '县疾病预防控制中心', health: '县卫生健康局' },
  copyTo: ['县委组织部', '县财政局', '县人力资源和社会保障局', '县住房和城乡建设局'],
  higherDecision: null,
};

export const QUOTA_USE_NOTICE: RequestDocumentFacts = {
  ...CDC_REPLY,
  kind: 'QUOTA_USE_NOTICE',
  issuer: issuerFor('QUOTA_USE_NOTICE', COUNTY, 'OFFICE'),
  decidedBy: 'OFFICE',
  documentNumber: '枫编用〔2026〕3号',
  request: {
    ...CDC_REPLY.request,
    id: 'cr-use',
    type: 'USE_QUOTA',
    title: '关于县疾病预防控制中心使用事业编制招聘专业技术人员的请示',
    referenceNumber: null,
    unitName: '县疾病预防控制中心',
    payload: { unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 3 },
  },
  diff: [
    {
      scope: 'unit',
      unitId: 'cdc',
      unitName: '县疾病预防控制中心',
      field: 'pending.PUBLIC_INSTITUTION',
      before: 0,
      after: 3,
    },
  ],
  copyTo: ['县人力资源和社会保障局', '县财政局'],
};

export const REJECTION: RequestDocumentFacts = {
  ...CDC_REPLY,
  kind: 'REJECTION_NOTICE',
  documentNumber: '枫编〔2026〕13号',
  request: {
    ...CDC_REPLY.request,
    id: 'cr-full',
    type: 'USE_QUOTA',
    title: '关于县人民医院使用事业编制的请示',
    referenceNumber: '枫医〔2026〕9号',
    unitName: '县人民医院',
    payload: { unitId: 'hospital', category: 'PUBLIC_INSTITUTION', count: 8 },
  },
  diff: [],
  unitNames: { hospital: '县人民医院' },
  rejection: {
    stage: 'implementing',
    reason: '实施时复核不符合规定',
    rules: [{ rule: 'QUOTA_FULL', message: 'unit is full', unitId: 'hospital', category: 'PUBLIC_INSTITUTION' }],
  },
  copyTo: ['县卫生健康局'],
};

export const MINUTES: MinutesFacts = {
  kind: 'MINUTES',
  issuer: issuerFor('MINUTES', COUNTY),
  documentNumber: '枫编委纪〔2026〕2号',
  issuedAt: ISSUED,
  meeting: {
    id: 'meeting-1',
    title: '县机构编制委员会2026年第二次会议',
    heldAt: '2026-11-30T01:00:00.000Z',
    present: ['张明（县委副书记）', '李华（县委组织部部长）', '王强（县财政局局长）', '赵敏（县人社局局长）'],
    absent: ['陈刚（县卫生健康局局长）'],
    items: [
      {
        title: '关于将县住房保障服务中心5名事业编制划转县疾病预防控制中心的请示',
        unitName: '县卫生健康局',
        recused: ['陈刚'],
        tally: { eligible: 4, approve: 4, reject: 0, abstain: 0 },
        result: 'APPROVED',
      },
      {
        title: '关于设立县数据资源服务中心的请示',
        unitName: '县政务服务管理局',
        recused: [],
        tally: { eligible: 5, approve: 2, reject: 2, abstain: 0 },
        result: 'REJECTED',
      },
      {
        title: '关于县自然资源局内设机构调整的请示',
        unitName: '县自然资源局',
        recused: [],
        tally: { eligible: 5, approve: 1, reject: 0, abstain: 1 },
        result: 'NO_QUORUM',
      },
    ],
  },
};

export const APPROVAL_FORM: RequestDocumentFacts = {
  ...CDC_REPLY,
  kind: 'APPROVAL_FORM',
  issuer: issuerFor('APPROVAL_FORM', COUNTY),
  documentNumber: null,
  procedure: [
    { action: 'submitted', actor: '刘芳', role: 'clerk', at: '2026-11-02T01:30:00.000Z', comment: null },
    { action: 'opinion_given', actor: '孙伟', role: 'consultee', at: '2026-11-05T06:10:00.000Z', comment: '同意' },
    {
      action: 'forwarded',
      actor: '周静',
      role: 'reviewer',
      at: '2026-11-10T03:00:00.000Z',
      comment: '符合规定，提请编委会审议',
    },
    { action: 'voted', actor: '张明', role: 'committee_member', at: '2026-11-30T01:20:00.000Z', comment: '赞成' },
    {
      action: 'vote_closed_approved',
      actor: '张明',
      role: 'committee_chair',
      at: '2026-11-30T02:00:00.000Z',
      comment: null,
    },
    {
      action: 'implemented',
      actor: '周静',
      role: 'reviewer',
      at: '2026-12-01T02:00:00.000Z',
      comment: '枫编〔2026〕12号',
    },
  ],
};

export const ALL_KINDS: Record<string, DocumentFacts> = {
  'approval-reply': CDC_REPLY,
  'rejection-notice': REJECTION,
  'quota-use-notice': QUOTA_USE_NOTICE,
  minutes: MINUTES,
  'approval-form': APPROVAL_FORM,
};
