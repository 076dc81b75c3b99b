import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  DiffEntry,
  OfficeDecisionChoice,
  OpinionPosition,
  ProcedureState,
  RequestDraft,
  ReviewDecision,
  Tally,
  VoteChoice,
} from '@bianzhi/domain';

// The contract between the API and the change-request workflow: its input, its public state, and the
// Updates (actions that need an answer) and the query it serves. Shared by the client and the workflow. The
// procedure's state and its rules live in the domain library (@bianzhi/domain): its types are re-exported here
// for the workflow's clients; its values (SYSTEM_ACTOR, REFUSALS, stateAfterImplementation) are imported from
// there, since this file is loaded without the package mapper too (the e2e global setup) and so imports the
// domain as types only.
export type {
  Actor,
  ChangeRequestInput,
  CommitteeVote,
  Consultation,
  ProcedureState,
  ProcedureTiming,
  Refusal,
  RefusalCode,
  RequestDraft,
} from '@bianzhi/domain';

export const TASK_QUEUE_DEFAULT = 'bianzhi-change-requests';

/** Search attributes, so that operators find requests in Temporal's own listing (the API lists from PostgreSQL). */
export const STATUS_ATTRIBUTE = defineSearchAttributeKey('BianzhiStatus', SearchAttributeType.KEYWORD);
export const TYPE_ATTRIBUTE = defineSearchAttributeKey('BianzhiRequestType', SearchAttributeType.KEYWORD);
export const UNIT_ATTRIBUTE = defineSearchAttributeKey('BianzhiUnit', SearchAttributeType.KEYWORD);
/** To register on a Temporal server: `temporal operator search-attribute create --name N --type Keyword`. */
export const SEARCH_ATTRIBUTE_NAMES = [STATUS_ATTRIBUTE.name, TYPE_ATTRIBUTE.name, UNIT_ATTRIBUTE.name];

export function workflowIdFor(requestId: string): string {
  return `change-request-${requestId}`;
}

export interface SubmitArgs {
  actor: Actor;
  comment?: string;
}
export interface WithdrawArgs {
  actor: Actor;
  reason: string;
}
export interface ReviseArgs {
  actor: Actor;
  comment: string;
  payload?: Record<string, unknown>;
  justification?: string;
}
export interface ConsultArgs {
  actor: Actor;
  unitIds: string[];
  dueAt: string;
}
export interface OpinionArgs {
  actor: Actor;
  unitId: string;
  position: OpinionPosition;
  comment: string;
}
export interface ReviewArgs {
  actor: Actor;
  decision: ReviewDecision;
  comment?: string;
}
export interface VoteArgs {
  actor: Actor;
  vote: VoteChoice;
  comment?: string;
}
export interface CloseVoteArgs {
  actor: Actor;
  /** Closed by the closing of this committee meeting (编委会会议), whose agenda holds the request. */
  meetingId?: string;
}
export interface HigherDecisionArgs {
  actor: Actor;
  approved: boolean;
  documentNumber: string;
  comment: string;
}

export interface DecideArgs {
  actor: Actor;
  decision: OfficeDecisionChoice;
  comment?: string;
}
export interface RetryArgs {
  actor: Actor;
  comment?: string;
}

/** Registers the request (read model and first audit record) when the workflow starts; optionally submits it. */
export const registerUpdate = defineUpdate<ProcedureState, [{ submit: boolean; draft: RequestDraft }]>('register');
export const submitUpdate = defineUpdate<ProcedureState, [SubmitArgs]>('submit');
export const withdrawUpdate = defineUpdate<ProcedureState, [WithdrawArgs]>('withdraw');
export const reviseUpdate = defineUpdate<ProcedureState, [ReviseArgs]>('revise');
export const consultUpdate = defineUpdate<ProcedureState, [ConsultArgs]>('consult');
export const opinionUpdate = defineUpdate<ProcedureState, [OpinionArgs]>('opinion');
export const reviewUpdate = defineUpdate<ProcedureState, [ReviewArgs]>('review');
export const voteUpdate = defineUpdate<{ tally: Tally }, [VoteArgs]>('vote');
export const closeVoteUpdate = defineUpdate<ProcedureState, [CloseVoteArgs]>('closeVote');
export const higherDecisionUpdate = defineUpdate<ProcedureState, [HigherDecisionArgs]>('higherDecision');
/** The office director's decision (编办主任办公会议) on a request the office decides. */
export const decideUpdate = defineUpdate<ProcedureState, [DecideArgs]>('decide');
/** The office retries a stalled step of implementation; answers once the step is retried (done or stalled again). */
export const retryUpdate = defineUpdate<ProcedureState, [RetryArgs]>('retry');
export const stateQuery = defineQuery<ProcedureState>('state');

export type { DiffEntry };
