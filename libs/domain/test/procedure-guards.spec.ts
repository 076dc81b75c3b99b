import {
  Actor,
  ballotRefusal,
  closeVoteRefusal,
  consultRefusal,
  GuardContext,
  higherDecisionRefusal,
  initialProcedureState,
  openConsultation,
  opinionRefusal,
  ProcedureState,
  REFUSALS,
  registrationRefusal,
  RequestStatus,
  reviewRefusal,
  reviseRefusal,
  stageRefusal,
  submitRefusal,
  voteRefusal,
  withdrawRefusal,
} from '../src';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const UNIT = 'unit-a';
const OTHER = 'unit-b';
const clerk: Actor = { userId: 'clerk-1', username: 'clerk', role: 'clerk', unitId: UNIT };
const reviewer: Actor = { userId: 'reviewer-1', username: 'reviewer', role: 'reviewer', unitId: null };
const member = (id: string): Actor => ({ userId: id, username: id, role: 'committee_member', unitId: null });

function ctx(status: RequestStatus, over: Partial<ProcedureState> = {}, forwarding = false): GuardContext {
  return {
    state: { ...initialProcedureState(), status, round: 1, ...over },
    requesterId: clerk.userId,
    requestingUnitId: UNIT,
    now: NOW,
    forwarding,
  };
}

const inCommittee = (ballots: string[] = []) =>
  ctx('committee', {
    vote: {
      round: 1,
      openedAt: '2026-05-30T00:00:00Z',
      deadline: '2026-06-06T00:00:00Z',
      eligible: ['m1', 'm2', 'm3'].map((id) => ({ id, username: id, unitId: null })),
      recused: [{ id: 'm9', username: 'm9', unitId: UNIT }],
      ballots: ballots.map((memberId) => ({ memberId, vote: 'approve' as const, at: '2026-05-31T00:00:00Z' })),
    },
  });

describe('the procedure guards', () => {
  it('refuse a wrong stage with 409 WRONG_STAGE, whatever else is wrong', () => {
    expect(stageRefusal('draft', 'vote')).toMatchObject({ code: 'WRONG_STAGE', status: 409 });
    expect(stageRefusal('draft', 'submit')).toBeNull();
    // A requester voting in the wrong stage: the stage comes first.
    expect(voteRefusal(ctx('demonstration'), clerk)?.code).toBe('WRONG_STAGE');
    expect(reviewRefusal(ctx('committee'), clerk, { decision: 'reject' })?.code).toBe('WRONG_STAGE');
    expect(higherDecisionRefusal(ctx('committee'))?.code).toBe('WRONG_STAGE');
    expect(higherDecisionRefusal(ctx('awaiting_higher_approval'))).toBeNull();
  });

  it('map every code to the status the API answers', () => {
    expect(REFUSALS).toEqual({
      WRONG_STAGE: 409,
      ALREADY_VOTED: 409,
      ALREADY_ANSWERED: 409,
      CONSULTATION_PENDING: 409,
      RULE_VIOLATION: 422,
      RECUSED: 403,
      FORBIDDEN: 403,
      NOT_YOUR_UNIT: 403,
      SEPARATION_OF_DUTIES: 403,
      VALIDATION_FAILED: 400,
    });
  });

  it('register a request once', () => {
    expect(registrationRefusal(false)).toBeNull();
    expect(registrationRefusal(true)?.code).toBe('WRONG_STAGE');
  });

  it("let only the requesting unit's clerk submit, withdraw or revise", () => {
    expect(submitRefusal(ctx('draft'), clerk)).toBeNull();
    expect(submitRefusal(ctx('draft'), { ...clerk, unitId: OTHER })?.code).toBe('NOT_YOUR_UNIT');
    expect(submitRefusal(ctx('draft'), { ...clerk, role: 'reviewer' })?.code).toBe('NOT_YOUR_UNIT');
    expect(reviseRefusal(ctx('returned'), { ...clerk, unitId: OTHER })?.code).toBe('NOT_YOUR_UNIT');
    expect(reviseRefusal(ctx('returned'), clerk)).toBeNull();
    expect(withdrawRefusal(ctx('committee'), clerk, 'no longer needed')).toBeNull();
  });

  it('require a reason to withdraw', () => {
    expect(withdrawRefusal(ctx('draft'), clerk, '  ')).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      field: 'reason',
    });
    // The unit before the reason.
    expect(withdrawRefusal(ctx('draft'), { ...clerk, unitId: OTHER }, '')?.code).toBe('NOT_YOUR_UNIT');
  });

  it('refuse consultations by the requester, without units or with a past due time', () => {
    const args = { unitIds: [OTHER], dueAt: '2026-06-10T00:00:00Z' };
    expect(consultRefusal(ctx('demonstration'), reviewer, args)).toBeNull();
    expect(consultRefusal(ctx('demonstration'), clerk, args)?.code).toBe('SEPARATION_OF_DUTIES');
    expect(consultRefusal(ctx('demonstration'), reviewer, { ...args, unitIds: [] })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'unitIds',
    });
    expect(consultRefusal(ctx('demonstration'), reviewer, { ...args, dueAt: '2026-05-31T00:00:00Z' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'dueAt',
    });
  });

  describe('opinions', () => {
    const asked = (over: object = {}) =>
      ctx('demonstration', {
        consultations: [
          { unitId: OTHER, round: 1, requestedAt: 'x', dueAt: 'y', requestedBy: 'reviewer', ...over },
          { unitId: 'unit-c', round: 0, requestedAt: 'x', dueAt: 'y', requestedBy: 'reviewer' },
        ],
      });
    const consultee: Actor = { userId: 'c-1', username: 'c', role: 'consultee', unitId: OTHER };

    it("are given by an asked unit's consultee, for its own unit, once", () => {
      expect(opinionRefusal(asked(), consultee, { unitId: OTHER })).toBeNull();
      expect(openConsultation(asked().state, OTHER)?.unitId).toBe(OTHER);
      expect(opinionRefusal(asked(), consultee, { unitId: 'unit-c' })).toMatchObject({
        code: 'NOT_YOUR_UNIT',
        message: 'a consultee answers for its own unit only',
      });
      expect(opinionRefusal(asked(), { ...consultee, unitId: null }, { unitId: OTHER })).toMatchObject({
        code: 'NOT_YOUR_UNIT',
        message: 'a consultee belongs to a unit',
      });
    });

    it('are refused to a unit asked only in an earlier round', () => {
      const earlier = { ...consultee, unitId: 'unit-c' };
      expect(opinionRefusal(asked(), earlier, { unitId: 'unit-c' })).toMatchObject({
        code: 'NOT_YOUR_UNIT',
        message: 'your unit was not asked for an opinion on this request',
      });
    });

    it('are refused once answered or lapsed', () => {
      const answered = asked({ opinion: { position: 'agree', comment: 'ok', by: 'c', at: 'z' } });
      expect(opinionRefusal(answered, consultee, { unitId: OTHER })).toMatchObject({
        code: 'ALREADY_ANSWERED',
        status: 409,
      });
      expect(opinionRefusal(asked({ lapsedAt: 'z' }), consultee, { unitId: OTHER })?.code).toBe('ALREADY_ANSWERED');
    });
  });

  it('review: one forward at a time, a comment to return or reject, never by the requester', () => {
    expect(reviewRefusal(ctx('demonstration'), reviewer, { decision: 'forward' })).toBeNull();
    expect(reviewRefusal(ctx('demonstration', {}, true), reviewer, { decision: 'forward' })).toMatchObject({
      code: 'WRONG_STAGE',
      message: 'the request is already being forwarded',
    });
    expect(reviewRefusal(ctx('demonstration'), reviewer, { decision: 'return', comment: ' ' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'comment',
    });
    expect(reviewRefusal(ctx('demonstration'), reviewer, { decision: 'reject', comment: 'why' })).toBeNull();
    expect(reviewRefusal(ctx('demonstration'), clerk, { decision: 'forward' })).toMatchObject({
      code: 'SEPARATION_OF_DUTIES',
      status: 403,
    });
    // The missing comment (400) before separation of duties (403), as the API has always answered.
    expect(reviewRefusal(ctx('demonstration'), clerk, { decision: 'return' })?.code).toBe('VALIDATION_FAILED');
  });

  it('votes: never by the requester or a recused member, only by the eligible, once', () => {
    expect(voteRefusal(inCommittee(), member('m1'))).toBeNull();
    expect(voteRefusal(inCommittee(), { ...clerk, role: 'committee_member' })?.code).toBe('SEPARATION_OF_DUTIES');
    expect(voteRefusal(inCommittee(), member('m9'))).toMatchObject({ code: 'RECUSED', status: 403 });
    expect(voteRefusal(inCommittee(), member('m7'))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(voteRefusal(inCommittee(['m1']), member('m1'))).toMatchObject({ code: 'ALREADY_VOTED', status: 409 });
    expect(ballotRefusal(inCommittee(['m1']).state, member('m2'))).toBeNull();
  });

  it('a vote is closed once', () => {
    const open = inCommittee();
    expect(closeVoteRefusal(open)).toBeNull();
    const closing = { ...open, state: { ...open.state, vote: { ...open.state.vote!, closeRequestedBy: 'chair' } } };
    expect(closeVoteRefusal(closing)).toMatchObject({
      code: 'WRONG_STAGE',
      message: 'the vote is already being closed',
    });
  });

  it('separation of duties: a recused chair never closes; the requesting unit never decides, is never asked', () => {
    const chair = (id: string, unitId: string | null = null): Actor => ({
      userId: id,
      username: id,
      role: 'committee_chair',
      unitId,
    });
    expect(closeVoteRefusal(inCommittee(), chair('c1'))).toBeNull();
    expect(closeVoteRefusal(inCommittee(), chair('m9', UNIT))).toMatchObject({ code: 'RECUSED', status: 403 });
    const liaison = (unitId: string | null): Actor => ({
      userId: 'l1',
      username: 'l1',
      role: 'higher_liaison',
      unitId,
    });
    expect(higherDecisionRefusal(ctx('awaiting_higher_approval'), liaison(null))).toBeNull();
    expect(higherDecisionRefusal(ctx('awaiting_higher_approval'), liaison(OTHER))).toBeNull();
    expect(higherDecisionRefusal(ctx('awaiting_higher_approval'), liaison(UNIT))).toMatchObject({
      code: 'SEPARATION_OF_DUTIES',
      status: 403,
    });
    const dueAt = '2026-06-10T00:00:00Z';
    expect(consultRefusal(ctx('demonstration'), reviewer, { unitIds: [OTHER], dueAt })).toBeNull();
    expect(consultRefusal(ctx('demonstration'), reviewer, { unitIds: [OTHER, UNIT], dueAt })).toMatchObject({
      code: 'SEPARATION_OF_DUTIES',
      status: 403,
    });
  });
});
