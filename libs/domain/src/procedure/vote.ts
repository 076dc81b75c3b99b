import { VoteChoice } from '../enums';

// The committee's vote (审议决定): ballots, the tally by the rule, and who may vote (docs/domain.md, "The vote").

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

/** Fewer eligible members than this and the vote does not open (docs/domain.md, "Who decides"). */
export const MIN_ELIGIBLE_MEMBERS = 3;

/** The referral's reason when recusals leave too few to vote: the liaison records the higher decision. */
export function tooFewEligibleReason(eligible: number): string {
  return (
    `TOO_FEW_ELIGIBLE: only ${eligible} committee member(s) would be eligible after recusal, fewer than ` +
    `${MIN_ELIGIBLE_MEMBERS}; the vote does not open and the request is referred`
  );
}
