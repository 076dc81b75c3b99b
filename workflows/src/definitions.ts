import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  Ballot,
  DiffEntry,
  OpinionPosition,
  RequestStatus,
  RequestType,
  ReviewDecision,
  Role,
  RuleViolation,
  Tally,
  VoteChoice,
  VoteOutcome,
} from '@bianzhi/domain';

// The contract between the API and the change-request workflow: its input, its public state, and the
// Updates (actions that need an answer) and the query it serves. Shared by the client and the workflow.

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

/** Who acts, as the API verified it from the token: never taken from a request body. */
export interface Actor {
  userId: string;
  username: string;
  role: Role | 'system';
  unitId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', username: 'system', role: 'system', unitId: null };

/** Durations of the procedure in days (fractions allowed, so tests can shorten them). */
export interface ProcedureTiming {
  /** The committee vote's deadline after the forward (7 days by default). */
  voteDays: number;
  /** How long before a consultation's due time the reminder (催办) is recorded. */
  reminderLeadDays: number;
  /** A loan's reminder before its due date (30 days by default). */
  loanReminderDays: number;
  /** How long one attempt of an activity may take before Temporal retries it elsewhere (seconds). */
  activityTimeoutSeconds: number;
}

export interface ChangeRequestInput {
  requestId: string;
  type: RequestType;
  requestingUnitId: string;
  createdBy: Actor;
  timing: ProcedureTiming;
  /** Publish the search attributes (the server has them registered: TEMPORAL_SEARCH_ATTRIBUTES=1). */
  searchAttributes?: boolean;
}

export interface Consultation {
  unitId: string;
  round: number;
  requestedAt: string;
  dueAt: string;
  requestedBy: string;
  remindedAt?: string;
  lapsedAt?: string;
  opinion?: { position: OpinionPosition; comment: string; by: string; at: string };
}

export interface CommitteeVote {
  round: number;
  openedAt: string;
  deadline: string;
  eligible: { id: string; username: string; unitId: string | null }[];
  recused: { id: string; username: string; unitId: string | null }[];
  ballots: Ballot[];
  closeRequestedBy?: string;
  closedAt?: string;
  outcome?: VoteOutcome;
  tally?: Tally;
}

/** The request's procedure as the workflow holds it; mirrored into the read model at every step. */
export interface ProcedureState {
  status: RequestStatus;
  round: number;
  consultations: Consultation[];
  vote?: CommitteeVote;
  pastVotes: CommitteeVote[];
  higherApprovalReasons: string[];
  higherDecision?: { approved: boolean; documentNumber: string; comment: string; by: string; at: string };
  documentNumber?: string;
  implementedAt?: string;
  followUps?: string[];
  /** A LEND_POOL_QUOTA request's loans, watched until they come back to the turnover pool. */
  poolLoan?: { dueDate: string; remindedAt?: string; returnedAt?: string };
  rejection?: { stage: RequestStatus; reason: string; rules?: RuleViolation[] };
  withdrawal?: { reason: string; by: string; at: string };
  returns: { comment: string; by: string; at: string }[];
  step: number;
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
}
export interface HigherDecisionArgs {
  actor: Actor;
  approved: boolean;
  documentNumber: string;
  comment: string;
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
export const stateQuery = defineQuery<ProcedureState>('state');

/** What the clerk drafted: stored in the read model by the register step. */
export interface RequestDraft {
  title: string;
  justification: string;
  payload: Record<string, unknown>;
  newUnitId: string | null;
}

/** The error types the workflow's validators raise; the API maps each to its HTTP status. */
export const REFUSALS = {
  WRONG_STAGE: 409,
  ALREADY_VOTED: 409,
  ALREADY_ANSWERED: 409,
  RECUSED: 403,
  FORBIDDEN: 403,
  NOT_YOUR_UNIT: 403,
  SEPARATION_OF_DUTIES: 403,
  VALIDATION_FAILED: 400,
} as const;
export type RefusalCode = keyof typeof REFUSALS;

export type { DiffEntry };

/** The state after implementation: computed alike by the workflow and by the activity that records it. */
export function stateAfterImplementation(
  before: ProcedureState,
  result: {
    ok: boolean;
    documentNumber?: string;
    implementedAt?: string;
    followUps?: string[];
    violations?: RuleViolation[];
    loanDueDate?: string;
  },
): ProcedureState {
  if (result.ok)
    return {
      ...before,
      status: 'implemented',
      documentNumber: result.documentNumber,
      implementedAt: result.implementedAt,
      followUps: result.followUps,
      ...(result.loanDueDate ? { poolLoan: { dueDate: result.loanDueDate } } : {}),
    };
  // The registry moved on since the vote: refused with the rules named, and no number used.
  return {
    ...before,
    status: 'rejected',
    rejection: {
      stage: 'implementing',
      reason: 'the change would now break the registry rules',
      rules: result.violations,
    },
  };
}
