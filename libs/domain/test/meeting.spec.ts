import {
  CommitteeMemberRef,
  CommitteeVote,
  initialProcedureState,
  meetingAttendance,
  meetingItemOutcome,
  ProcedureState,
} from '../src';

// The pure parts of a committee meeting (编委会会议): an item's result from its request, the attendance.

const member = (id: string, unitId: string | null = null): CommitteeMemberRef => ({ id, username: id, unitId });
const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((id) => member(id));
const chair = member('chair');

function vote(round: number, extra: Partial<CommitteeVote> = {}): CommitteeVote {
  return {
    round,
    openedAt: '2026-06-01T00:00:00Z',
    deadline: '2026-06-08T00:00:00Z',
    eligible: [a, b, c],
    recused: [d],
    ballots: [{ memberId: 'a', vote: 'approve', at: '2026-06-01T01:00:00Z' }],
    ...extra,
  };
}

function state(over: Partial<ProcedureState>): ProcedureState {
  return { ...initialProcedureState(), status: 'committee', ...over };
}

describe("a meeting item's outcome", () => {
  it('is null while the vote it stands for is open', () => {
    expect(meetingItemOutcome(state({ vote: vote(1) }), 1)).toBeNull();
  });

  it("is the closed vote's outcome and tally, with its recusals", () => {
    const tally = { eligible: 3, approve: 2, reject: 1, abstain: 0, quorumReached: true };
    const closed = vote(1, { outcome: 'APPROVED', tally, closedAt: '2026-06-02T00:00:00Z' });
    expect(meetingItemOutcome(state({ status: 'implementing', vote: closed }), 1)).toEqual({
      result: 'APPROVED',
      tally,
      recused: [d],
    });
  });

  it('finds a vote closed without quorum among the past votes, not the round forwarded since', () => {
    const tally = { eligible: 3, approve: 1, reject: 0, abstain: 0, quorumReached: false };
    const past = vote(1, { outcome: 'NO_QUORUM', tally });
    const s = state({ status: 'committee', pastVotes: [past], vote: vote(2, { ballots: [] }) });
    expect(meetingItemOutcome(s, 1)?.result).toBe('NO_QUORUM');
    expect(meetingItemOutcome(s, 2)).toBeNull();
  });

  it('is WITHDRAWN, with the ballots cast before, when the request was withdrawn during the vote', () => {
    const outcome = meetingItemOutcome(state({ status: 'withdrawn', vote: vote(1) }), 1);
    expect(outcome).toEqual({
      result: 'WITHDRAWN',
      tally: { eligible: 3, approve: 1, reject: 0, abstain: 0, quorumReached: false },
      recused: [d],
    });
  });
});

describe("a meeting's attendance", () => {
  it('has the chair and every member who voted on an item present, the other members absent', () => {
    const votes = [
      vote(1, { ballots: [{ memberId: 'b', vote: 'reject', at: 'x' }] }),
      vote(1, { eligible: [a, b, c, e], ballots: [{ memberId: 'e', vote: 'abstain', at: 'x' }] }),
    ];
    expect(meetingAttendance(chair, [a, b, c, d, e], votes)).toEqual({
      present: [chair, b, e],
      absent: [a, c, d],
    });
  });

  it('counts a ballot only of an eligible member', () => {
    const votes = [vote(1, { eligible: [a], ballots: [{ memberId: 'z', vote: 'approve', at: 'x' }] })];
    expect(meetingAttendance(chair, [a], votes)).toEqual({ present: [chair], absent: [a] });
  });
});
