import { Category, Grade, isDeputyCountyOrAbove, RequestStatus, VoteChoice } from './enums';
import { ChangeSpec } from './payloads';
import { LeadershipPosts, RegistrySnapshot } from './registry';

// The procedure's rules (动议 → 论证 → 审议决定 → 组织实施) that the workflow and the API share.

/** What may be done to a request in each status. A wrong-stage action is refused whoever asks. */
export type ProcedureAction =
  'submit' | 'withdraw' | 'revise' | 'consult' | 'opinion' | 'review' | 'vote' | 'closeVote' | 'higherDecision';

export const ACTIONS_BY_STATUS: Record<RequestStatus, ProcedureAction[]> = {
  draft: ['submit', 'withdraw'],
  demonstration: ['withdraw', 'consult', 'opinion', 'review'],
  returned: ['withdraw', 'revise'],
  committee: ['withdraw', 'vote', 'closeVote'], // 撤回 is allowed until the committee decides
  awaiting_higher_approval: ['higherDecision'],
  implementing: [],
  implemented: [],
  rejected: [],
  withdrawn: [],
};

export function isActionAllowed(status: RequestStatus, action: ProcedureAction): boolean {
  return ACTIONS_BY_STATUS[status].includes(action);
}

export const TERMINAL_STATUSES: RequestStatus[] = ['implemented', 'rejected', 'withdrawn'];

export interface Ballot {
  memberId: string;
  vote: VoteChoice;
  comment?: string;
  at: string;
}

export interface Tally {
  eligible: number;
  approve: number;
  reject: number;
  abstain: number;
  quorumReached: boolean;
}

export type VoteOutcome = 'APPROVED' | 'REJECTED' | 'NO_QUORUM';

/** The committee's rule: quorum at two thirds of the eligible voting; pass on approvals above half of the eligible. */
export function tallyVotes(eligible: number, ballots: Pick<Ballot, 'vote'>[]): Tally & { outcome: VoteOutcome } {
  const approve = ballots.filter((b) => b.vote === 'approve').length;
  const reject = ballots.filter((b) => b.vote === 'reject').length;
  const abstain = ballots.filter((b) => b.vote === 'abstain').length;
  const voted = approve + reject + abstain; // abstentions count as votes
  const quorumReached = eligible > 0 && voted * 3 >= eligible * 2;
  const outcome: VoteOutcome = !quorumReached ? 'NO_QUORUM' : approve * 2 > eligible ? 'APPROVED' : 'REJECTED';
  return { eligible, approve, reject, abstain, quorumReached, outcome };
}

/**
 * The members who vote: every active committee member but those who recuse, i.e. whose unit is the
 * requesting unit or a unit the change alters.
 */
export function eligibleMembers<M extends { id: string; unitId: string | null }>(
  members: M[],
  requestingUnitId: string,
  alteredUnitIds: string[],
): M[] {
  const conflicted = new Set([requestingUnitId, ...alteredUnitIds]);
  return members.filter((m) => !m.unitId || !conflicted.has(m.unitId));
}

function deputyCountyPosts(posts: LeadershipPosts[]): string {
  return JSON.stringify(
    posts
      .filter((p) => isDeputyCountyOrAbove(p.grade))
      .map((p) => [p.grade, p.principal, p.deputy])
      .sort(),
  );
}

/**
 * Why a request is beyond the county's authority and needs the higher authority's approval (上级编办),
 * or an empty list when the county decides alone.
 */
export function higherApprovalReasons(before: RegistrySnapshot, spec: ChangeSpec): string[] {
  const reasons: string[] = [];
  const pl: Category = 'POLITICAL_LEGAL';
  const holdsPL = (id: string) => (before.units[id]?.quotas[pl] ?? 0) > 0 || (before.units[id]?.occupied[pl] ?? 0) > 0;
  const high = (g: Grade | undefined) => !!g && isDeputyCountyOrAbove(g);
  switch (spec.type) {
    case 'ESTABLISH_UNIT':
      if (high(spec.payload.grade)) reasons.push('sets up a unit graded 副处 or above');
      if (spec.payload.leadershipPosts.some((p) => high(p.grade) && p.principal + p.deputy > 0))
        reasons.push('sets leadership posts graded 副处 or above');
      if ((spec.payload.quotas[pl] ?? 0) > 0) reasons.push('allocates 政法专项编制');
      break;
    case 'CHANGE_GRADE':
      if (high(spec.payload.grade) || high(before.units[spec.payload.unitId]?.grade))
        reasons.push('changes a grade at or to 副处 or above');
      break;
    case 'ADJUST_LEADERSHIP': {
      const current = before.units[spec.payload.unitId]?.leadershipPosts ?? [];
      if (deputyCountyPosts(current) !== deputyCountyPosts(spec.payload.posts))
        reasons.push('changes leadership posts graded 副处 or above');
      break;
    }
    case 'ADJUST_QUOTA':
    case 'USE_QUOTA':
      if (spec.type === 'ADJUST_QUOTA' && spec.payload.category === pl) reasons.push('adjusts 政法专项编制');
      break;
    case 'TRANSFER_QUOTA':
      if (spec.payload.lines.some((l) => l.category === pl)) reasons.push('transfers 政法专项编制');
      break;
    case 'CONVERT_QUOTA':
      if (spec.payload.fromCategory === pl || spec.payload.toCategory === pl) reasons.push('converts 政法专项编制');
      break;
    case 'LEND_POOL_QUOTA':
      if (spec.payload.loans.some((l) => l.category === pl)) reasons.push('lends 政法专项编制');
      break;
    case 'ABOLISH_UNIT':
      if (holdsPL(spec.payload.unitId)) reasons.push('abolishes a unit holding 政法专项编制');
      if (high(before.units[spec.payload.unitId]?.grade)) reasons.push('abolishes a unit graded 副处 or above');
      break;
    case 'MERGE_UNITS':
      if ([...spec.payload.sourceIds, spec.payload.targetId].some(holdsPL))
        reasons.push('merges units holding 政法专项编制');
      if (spec.payload.sourceIds.some((id) => high(before.units[id]?.grade)))
        reasons.push('merges away a unit graded 副处 or above');
      break;
    default:
      break;
  }
  return reasons;
}

/** The county's approval document number: {机关代字}编〔{year}〕{n}号. */
export function formatDocumentNumber(officeCode: string, year: number, n: number): string {
  return `${officeCode}编〔${year}〕${n}号`;
}

/** Follow-up tasks recorded at implementation (事业单位登记, 统一社会信用代码, 实名制). */
export function followUpTasks(spec: ChangeSpec, before: RegistrySnapshot): string[] {
  const tasks: string[] = [];
  const isPI = (id: string | undefined) => !!id && before.units[id]?.kind === 'PUBLIC_INSTITUTION';
  switch (spec.type) {
    case 'ESTABLISH_UNIT':
      if (spec.payload.kind === 'PUBLIC_INSTITUTION') tasks.push('事业单位设立登记 (public-institution registration)');
      tasks.push('统一社会信用代码 赋码 (assign a unified social credit code)');
      break;
    case 'ABOLISH_UNIT':
      if (isPI(spec.payload.unitId)) tasks.push('事业单位注销登记 (deregistration)');
      tasks.push('统一社会信用代码 注销 (cancel the credit code)', '实名制 update: move people');
      break;
    case 'MERGE_UNITS':
      tasks.push('统一社会信用代码 注销 for merged units', '实名制 update: move people');
      break;
    case 'RENAME_UNIT':
    case 'ADD_NAME_PLATE':
    case 'CHANGE_GRADE':
      if (isPI(spec.payload.unitId)) tasks.push('事业单位变更登记 (registration change)');
      tasks.push('统一社会信用代码 信息变更 (credit code record update)');
      break;
    case 'USE_QUOTA':
      tasks.push('编制使用通知 issued; 实名制 update when people come on');
      break;
    default:
      tasks.push('实名制 update (real-name register)');
  }
  return tasks;
}
