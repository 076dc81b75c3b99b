import type { CommitteeMemberRef, CommitteeVote, ProcedureState } from './state';
import { Tally, tallyVotes, VoteOutcome } from './vote';

// A committee meeting (编委会会议): an agenda of requests in the committee stage, each voted on as usual; closing the
// meeting closes every item's vote by the rule and records the minutes (会议纪要). The pure parts: an item's result
// from its request's state and the attendance from the items' votes (docs/domain.md, "Committee meetings"). The
// minutes' number is formatDocumentNumber's MINUTES series (编委纪).

/** An item's result: its vote's outcome, or WITHDRAWN when the clerk withdrew the request before the close. */
export const MEETING_ITEM_RESULTS = ['APPROVED', 'REJECTED', 'NO_QUORUM', 'WITHDRAWN'] as const;
export type MeetingItemResult = VoteOutcome | 'WITHDRAWN';

/** What the minutes record of one item once its vote is closed. */
export interface MeetingItemOutcome {
  result: MeetingItemResult;
  tally: Tally;
  recused: CommitteeMemberRef[];
}

const NO_TALLY: Tally = { eligible: 0, approve: 0, reject: 0, abstain: 0, quorumReached: false };

/**
 * The vote an item stands for: the one open when the request was put on the agenda (its round), whether still open
 * (`state.vote`) or closed since (kept in `state.vote` after a pass or a rejection, in `pastVotes` without quorum).
 */
export function itemVote(state: Pick<ProcedureState, 'vote' | 'pastVotes'>, round: number): CommitteeVote | undefined {
  return [...(state.pastVotes ?? []), ...(state.vote ? [state.vote] : [])].find((v) => v.round === round);
}

/**
 * An item's outcome from its request's state, or null while its vote is still open. A request withdrawn before its
 * vote closed is WITHDRAWN; a vote that closed by itself meanwhile (every eligible member voted, the deadline) or
 * by the meeting counts alike: its outcome is the rule's.
 */
export function meetingItemOutcome(
  state: Pick<ProcedureState, 'status' | 'vote' | 'pastVotes'>,
  round: number,
): MeetingItemOutcome | null {
  const vote = itemVote(state, round);
  if (vote?.outcome)
    return { result: vote.outcome, tally: { ...NO_TALLY, ...vote.tally }, recused: vote.recused ?? [] };
  if (state.status === 'withdrawn') {
    // The ballots cast before the withdrawal, counted for the minutes; the vote itself never closed.
    const { outcome: _none, ...tally } = tallyVotes(vote?.eligible.length ?? 0, vote?.ballots ?? []);
    return { result: 'WITHDRAWN', tally, recused: vote?.recused ?? [] };
  }
  return null;
}

/** Who attended a meeting, as the minutes record it. */
export interface MeetingAttendance {
  present: CommitteeMemberRef[];
  absent: CommitteeMemberRef[];
}

/**
 * The attendance: the presiding chair, and every eligible member who cast a ballot on any item, is present; the
 * other active committee members are absent (a member who recused on every item and voted on none included).
 */
export function meetingAttendance(
  chair: CommitteeMemberRef,
  members: CommitteeMemberRef[],
  votes: Pick<CommitteeVote, 'eligible' | 'ballots'>[],
): MeetingAttendance {
  const voted = new Map<string, CommitteeMemberRef>();
  for (const v of votes)
    for (const b of v.ballots) {
      const member = v.eligible.find((m) => m.id === b.memberId);
      if (member && !voted.has(member.id)) voted.set(member.id, member);
    }
  const present = [chair, ...[...voted.values()].filter((m) => m.id !== chair.id)];
  const presentIds = new Set(present.map((m) => m.id));
  // By code point, not by locale: the same order on every machine.
  const byName = (a: CommitteeMemberRef, b: CommitteeMemberRef) =>
    a.username < b.username ? -1 : a.username > b.username ? 1 : 0;
  return {
    present: [present[0], ...present.slice(1).sort(byName)],
    absent: members.filter((m) => !presentIds.has(m.id)).sort(byName),
  };
}
