import type { OfficeDecisionChoice, RequestStatus, ReviewDecision } from '../enums';
import { isActionAllowed, ProcedureAction } from './stages';
import { Actor, openConsultation, ProcedureState } from './state';
import type { RuleViolation } from '../violations';

// Who may do what, when (docs/domain.md): every rule the change-request workflow's Update validators apply,
// written once. The workflow calls them on the state it holds; the API calls the same ones first on the read
// model, so that a refusal comes before any call to the workflow. Each returns a refusal or null; when several
// apply, the first in the order written here wins (a wrong stage, 409, before any 403; a missing comment, 400,
// before separation of duties).

/** The refusals and their HTTP statuses (docs/api.md): the workflow raises them by code, the API answers them. */
export const REFUSALS = {
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
} as const;
export type RefusalCode = keyof typeof REFUSALS;

export interface Refusal {
  code: RefusalCode;
  message: string;
  status: (typeof REFUSALS)[RefusalCode];
  /** For VALIDATION_FAILED: the field at fault, as the API names it. */
  field?: string;
  /** For RULE_VIOLATION: each rule the change would break. */
  rules?: RuleViolation[];
}

export function refusal(code: RefusalCode, message: string, field?: string): Refusal {
  return { code, message, status: REFUSALS[code], ...(field ? { field } : {}) };
}

/** The first refusal of several checks, in order; null when none refuses. */
export function firstRefusal(...checks: (() => Refusal | null)[]): Refusal | null {
  for (const check of checks) {
    const refused = check();
    if (refused) return refused;
  }
  return null;
}

// ── the single rules ─────────────────────────────────────────────────────────────────────────────────

/** A wrong-stage action is refused whoever sends it (409), before any other check. */
export function stageRefusal(status: RequestStatus, action: ProcedureAction): Refusal | null {
  return isActionAllowed(status, action)
    ? null
    : refusal('WRONG_STAGE', `${action} is not possible while the request is ${status}`);
}

/** A request is registered once. */
export function registrationRefusal(registered: boolean): Refusal | null {
  return registered ? refusal('WRONG_STAGE', 'the request is already registered') : null;
}

/** The requesting unit's clerk acts on the request (submit, withdraw, revise), no one else. */
export function ownUnitRefusal(actor: Pick<Actor, 'role' | 'unitId'>, requestingUnitId: string): Refusal | null {
  return actor.role === 'clerk' && actor.unitId === requestingUnitId
    ? null
    : refusal('NOT_YOUR_UNIT', "a clerk acts on its own unit's requests only");
}

/** Separation of duties: the requester never consults on, reviews or votes on its own request. */
export function requesterRefusal(actor: Pick<Actor, 'userId'>, requesterId: string): Refusal | null {
  return actor.userId === requesterId
    ? refusal('SEPARATION_OF_DUTIES', 'the requester may not review or vote on its own request')
    : null;
}

/** A withdrawal (撤回) says why. */
export function withdrawReasonRefusal(reason: string | undefined): Refusal | null {
  return reason?.trim() ? null : refusal('VALIDATION_FAILED', 'reason is required', 'reason');
}

/** Consultations name at least one unit and a due time still ahead. */
export function consultationsRefusal(unitIds: string[] | undefined, dueAt: string, now: number): Refusal | null {
  if (!unitIds?.length) return refusal('VALIDATION_FAILED', 'unitIds must name at least one unit', 'unitIds');
  if (!(Date.parse(dueAt) > now)) return refusal('VALIDATION_FAILED', 'dueAt must be in the future', 'dueAt');
  return null;
}

/** A consultee answers for its own unit, once, while its unit's consultation of this round is open. */
export function consulteeRefusal(
  state: Pick<ProcedureState, 'consultations' | 'round'>,
  actor: Pick<Actor, 'unitId'>,
  unitId: string,
): Refusal | null {
  if (!actor.unitId) return refusal('NOT_YOUR_UNIT', 'a consultee belongs to a unit');
  if (actor.unitId !== unitId) return refusal('NOT_YOUR_UNIT', 'a consultee answers for its own unit only');
  if (!state.consultations.some((c) => c.unitId === unitId && c.round === state.round))
    return refusal('NOT_YOUR_UNIT', 'your unit was not asked for an opinion on this request');
  if (!openConsultation(state as ProcedureState, unitId))
    return refusal('ALREADY_ANSWERED', 'your unit has already answered, or its consultation has lapsed');
  return null;
}

/** Returning (退回修改) or rejecting says why; a forward need not. */
export function reviewCommentRefusal(decision: ReviewDecision, comment: string | undefined): Refusal | null {
  return decision !== 'forward' && !comment?.trim()
    ? refusal('VALIDATION_FAILED', `comment is required to ${decision}`, 'comment')
    : null;
}

/** One forward at a time: while a vote is being prepared, a second is refused. */
export function forwardingRefusal(forwarding: boolean): Refusal | null {
  return forwarding ? refusal('WRONG_STAGE', 'the request is already being forwarded') : null;
}

/** A recused member (回避) never votes. */
export function recusalRefusal(state: Pick<ProcedureState, 'vote'>, actor: Pick<Actor, 'userId'>): Refusal | null {
  return state.vote?.recused.some((m) => m.id === actor.userId)
    ? refusal('RECUSED', 'you lead a unit this request concerns and must recuse')
    : null;
}

/** Only the members eligible when the vote opened vote, each once. */
export function ballotRefusal(state: Pick<ProcedureState, 'vote'>, actor: Pick<Actor, 'userId'>): Refusal | null {
  const v = state.vote;
  if (!v?.eligible.some((m) => m.id === actor.userId))
    return refusal('FORBIDDEN', 'you were not an eligible committee member when this vote opened');
  if (v.ballots.some((b) => b.memberId === actor.userId))
    return refusal('ALREADY_VOTED', 'you have already voted on this request');
  return null;
}

/** The chair closes an open vote once. */
/** Separation of duties: the requesting unit is never asked for an opinion on its own request. */
export function consultedUnitRefusal(unitIds: string[] | undefined, requestingUnitId: string): Refusal | null {
  return unitIds?.includes(requestingUnitId)
    ? refusal('SEPARATION_OF_DUTIES', 'unitIds: the requesting unit is not consulted on its own request')
    : null;
}

/** Separation of duties: nobody of the requesting unit records the higher level's decision on its request. */
export function requestingUnitRefusal(actor: Pick<Actor, 'unitId'>, requestingUnitId: string): Refusal | null {
  return actor.unitId === requestingUnitId
    ? refusal('SEPARATION_OF_DUTIES', "the requesting unit's people may not record a decision on its request")
    : null;
}

/**
 * A unit the change takes from (outside the requesting unit) is heard before the forward: its automatic
 * consultation of this round must be answered or lapsed (docs/domain.md, "Who decides").
 */
export function hearingRefusal(
  state: Pick<ProcedureState, 'consultations' | 'round'>,
  decision: ReviewDecision,
): Refusal | null {
  if (decision !== 'forward') return null;
  const waiting = state.consultations.filter(
    (c) => c.automatic && c.round === state.round && !c.opinion && !c.lapsedAt,
  );
  return waiting.length
    ? refusal(
        'CONSULTATION_PENDING',
        `units ${waiting.map((c) => c.unitId).join(', ')} must be heard first: the forward waits for their ` +
          `opinions or their due time (${waiting.map((c) => c.dueAt).join(', ')})`,
      )
    : null;
}

/** Rejecting says why; approving need not. */
export function decisionCommentRefusal(decision: OfficeDecisionChoice, comment: string | undefined): Refusal | null {
  return decision === 'reject' && !comment?.trim()
    ? refusal('VALIDATION_FAILED', 'comment is required to reject', 'comment')
    : null;
}

/** Only a stalled step is retried. */
export function stalledRefusal(state: Pick<ProcedureState, 'stalled'>): Refusal | null {
  return state.stalled
    ? null
    : refusal('WRONG_STAGE', 'nothing of this request has stalled: there is nothing to retry');
}

export function closingRefusal(state: Pick<ProcedureState, 'vote'>): Refusal | null {
  return state.vote?.closeRequestedBy ? refusal('WRONG_STAGE', 'the vote is already being closed') : null;
}

// ── each action's checks, in the order they apply ───────────────────────────────────────────────────

/** What a guard knows of the request besides its procedure's state. */
export interface GuardContext {
  state: ProcedureState;
  /** The requester's user id (separation of duties). */
  requesterId: string;
  requestingUnitId: string;
  /** The time now, in ms (the workflow's deterministic clock, or the API's). */
  now: number;
  /** A forward is being prepared (known to the workflow only). */
  forwarding?: boolean;
}

export function submitRefusal(ctx: GuardContext, actor: Actor): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'submit'),
    () => ownUnitRefusal(actor, ctx.requestingUnitId),
  );
}

export function withdrawRefusal(ctx: GuardContext, actor: Actor, reason: string | undefined): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'withdraw'),
    () => ownUnitRefusal(actor, ctx.requestingUnitId),
    () => withdrawReasonRefusal(reason),
  );
}

export function reviseRefusal(ctx: GuardContext, actor: Actor): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'revise'),
    () => ownUnitRefusal(actor, ctx.requestingUnitId),
  );
}

export function consultRefusal(
  ctx: GuardContext,
  actor: Actor,
  args: { unitIds: string[] | undefined; dueAt: string },
): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'consult'),
    () => requesterRefusal(actor, ctx.requesterId),
    () => consultationsRefusal(args.unitIds, args.dueAt, ctx.now),
    () => consultedUnitRefusal(args.unitIds, ctx.requestingUnitId),
  );
}

export function opinionRefusal(ctx: GuardContext, actor: Actor, args: { unitId: string }): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'opinion'),
    () => consulteeRefusal(ctx.state, actor, args.unitId),
  );
}

export function reviewRefusal(
  ctx: GuardContext,
  actor: Actor,
  args: { decision: ReviewDecision; comment?: string },
): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'review'),
    () => forwardingRefusal(!!ctx.forwarding),
    () => reviewCommentRefusal(args.decision, args.comment),
    () => requesterRefusal(actor, ctx.requesterId),
    () => hearingRefusal(ctx.state, args.decision),
  );
}

export function voteRefusal(ctx: GuardContext, actor: Actor): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'vote'),
    () => requesterRefusal(actor, ctx.requesterId),
    () => recusalRefusal(ctx.state, actor),
    () => ballotRefusal(ctx.state, actor),
  );
}

/**
 * `actor` absent only for histories' system closes; a recused chair never closes the vote alone (回避). The
 * closing of a meeting (`meetingId`) closes every item on its agenda, one the presiding chair recused on included:
 * the meeting decides, the chair only records that it ended.
 */
export function closeVoteRefusal(ctx: GuardContext, actor?: Actor, meetingId?: string): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'closeVote'),
    () => (actor && !meetingId ? recusalRefusal(ctx.state, actor) : null),
    () => (actor ? requesterRefusal(actor, ctx.requesterId) : null),
    () => closingRefusal(ctx.state),
  );
}

export function higherDecisionRefusal(ctx: GuardContext, actor?: Actor): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'higherDecision'),
    () => (actor ? requesterRefusal(actor, ctx.requesterId) : null),
    () => (actor ? requestingUnitRefusal(actor, ctx.requestingUnitId) : null),
  );
}

/** The office director's decision (编办主任办公会议) on a request the office decides. */
export function decideRefusal(
  ctx: GuardContext,
  actor: Actor,
  args: { decision: OfficeDecisionChoice; comment?: string },
): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'decide'),
    () => decisionCommentRefusal(args.decision, args.comment),
    () => requesterRefusal(actor, ctx.requesterId),
    () => requestingUnitRefusal(actor, ctx.requestingUnitId),
  );
}

/** The office retries a stalled step of implementation once its cause is put right. */
export function retryRefusal(ctx: GuardContext, actor?: Actor): Refusal | null {
  return firstRefusal(
    () => stageRefusal(ctx.state.status, 'retry'),
    () => stalledRefusal(ctx.state),
    () => (actor ? requestingUnitRefusal(actor, ctx.requestingUnitId) : null),
  );
}
