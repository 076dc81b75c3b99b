import { withDefinition } from './change-types';
import { RequestStatus, VoteChoice } from './enums';
import { ChangeSpec } from './payloads';
import { RegistrySnapshot } from './registry';

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

/**
 * Why a request is beyond the county's authority and needs the higher authority's approval (上级编办),
 * or an empty list when the county decides alone; each type's triggers are in change-types/.
 */
export function higherApprovalReasons(before: RegistrySnapshot, spec: ChangeSpec): string[] {
  return withDefinition(spec, (type, payload) => type.higherApprovalReasons(before, payload));
}

/** The county's approval document number: {机关代字}编〔{year}〕{n}号. */
export function formatDocumentNumber(officeCode: string, year: number, n: number): string {
  return `${officeCode}编〔${year}〕${n}号`;
}

/** Follow-up tasks recorded at implementation (事业单位登记, 统一社会信用代码, 实名制); per type in change-types/. */
export function followUpTasks(spec: ChangeSpec, before: RegistrySnapshot): string[] {
  return withDefinition(spec, (type, payload) => type.followUpTasks(before, payload));
}
