import type { RequestDocumentKind } from './documents';
import type { OpinionPosition, RequestStatus, RequestType, Role } from '../enums';
import type { Decider } from '../change-types/definition';
import type { Ballot, Tally, VoteOutcome } from './vote';
import type { RuleViolation } from '../violations';

// The procedure's state (动议 → 论证 → 审议决定 → 组织实施) as the workflow holds it, the read model mirrors
// it and the API returns it. Its JSON shape is stored (read model, audit records, workflow histories): add
// optional fields only. See docs/domain.md.

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
  /** How long a unit heard without the reviewer asking has to answer (7 days by default). */
  hearingDays?: number;
  /**
   * Attempts of an implementation step (the change, a loan's return) before it stalls visibly for the office
   * (20 by default, about a quarter of an hour of retries); a failure retrying cannot cure stalls at once.
   */
  implementationAttempts?: number;
}

/** What the clerk drafted: stored in the read model by the register step. */
export interface RequestDraft {
  title: string;
  justification: string;
  payload: Record<string, unknown>;
  newUnitId: string | null;
  /**
   * 来文号: the requesting unit's own document number. Optional, as is copyTo: histories registered before
   * they existed replay unchanged (README, "Changing the workflow").
   */
  referenceNumber?: string;
  /** 抄送: the units to receive copies of the decision's document. */
  copyTo?: string[];
}

/** What a change-request procedure starts from. */
export interface ChangeRequestInput {
  requestId: string;
  type: RequestType;
  requestingUnitId: string;
  createdBy: Actor;
  timing: ProcedureTiming;
  /** Publish the search attributes (the server has them registered: TEMPORAL_SEARCH_ATTRIBUTES=1). */
  searchAttributes?: boolean;
}

/** A unit asked for its opinion (征求意见) in one round of demonstration. */
export interface Consultation {
  unitId: string;
  round: number;
  requestedAt: string;
  dueAt: string;
  requestedBy: string;
  remindedAt?: string;
  lapsedAt?: string;
  /**
   * Asked by the procedure itself, not by the reviewer: a unit the change takes from, abolishes or merges away
   * and that is neither the requesting unit nor under it. The forward waits for its answer or its due time.
   */
  automatic?: boolean;
  opinion?: { position: OpinionPosition; comment: string; by: string; at: string };
}

/** A committee member as fixed when a vote opens. */
export interface CommitteeMemberRef {
  id: string;
  username: string;
  unitId: string | null;
}

/** One committee vote (编委会审议): who may vote, who recused, the ballots and, once closed, the result. */
export interface CommitteeVote {
  round: number;
  openedAt: string;
  deadline: string;
  eligible: CommitteeMemberRef[];
  recused: CommitteeMemberRef[];
  ballots: Ballot[];
  closeRequestedBy?: string;
  /** Closed by the closing of a committee meeting (编委会会议) with this request on its agenda. */
  meetingId?: string;
  closedAt?: string;
  outcome?: VoteOutcome;
  tally?: Tally;
}

/** The steps after the decision that may stall: applying it, a loan's return, issuing its document (公文). */
export type StalledStep = 'implementation' | 'pool_loan_return' | 'document';

/** An official document (公文) issued for the request: its kind, number and the SHA-256 of its PDF. */
export interface IssuedDocument {
  id: string;
  kind: RequestDocumentKind;
  documentNumber: string;
  sha256: string;
  issuedAt: string;
}

/** The request's procedure as the workflow holds it; mirrored into the read model at every step. */
export interface ProcedureState {
  status: RequestStatus;
  round: number;
  consultations: Consultation[];
  vote?: CommitteeVote;
  pastVotes: CommitteeVote[];
  higherApprovalReasons: string[];
  /** Who decides, fixed at the forward (docs/domain.md, "Who decides"); absent before it (and in old histories). */
  decidedBy?: Decider;
  /** The office director's decision (编办主任办公会议), for a request the office decides. */
  officeDecision?: { approved: boolean; comment: string; by: string; at: string };
  /**
   * Implementation failed for a reason retrying does not cure: the request waits, visibly, for the office to
   * have the cause put right and to retry it (docs/domain.md, "Implementation").
   */
  stalled?: { reason: string; at: string; step: StalledStep };
  higherDecision?: { approved: boolean; documentNumber: string; comment: string; by: string; at: string };
  documentNumber?: string;
  /** The documents issued for the decision (docs/domain.md, "Official documents"). */
  documents?: IssuedDocument[];
  implementedAt?: string;
  followUps?: string[];
  /** A LEND_POOL_QUOTA request's loans, watched until they come back to the turnover pool. */
  poolLoan?: { dueDate: string; remindedAt?: string; returnedAt?: string };
  rejection?: { stage: RequestStatus; reason: string; rules?: RuleViolation[] };
  withdrawal?: { reason: string; by: string; at: string };
  returns: { comment: string; by: string; at: string }[];
  step: number;
}

/** A draft's procedure: where every request starts. */
export function initialProcedureState(): ProcedureState {
  return {
    status: 'draft',
    round: 0,
    consultations: [],
    pastVotes: [],
    higherApprovalReasons: [],
    returns: [],
    step: 0,
  };
}

/** What implementation came to: the activity's result, recorded into the state. */
export interface ImplementationOutcome {
  ok: boolean;
  documentNumber?: string;
  implementedAt?: string;
  followUps?: string[];
  violations?: RuleViolation[];
  loanDueDate?: string;
}

/** The state after implementation: computed alike by the workflow and by the activity that records it. */
export function stateAfterImplementation(before: ProcedureState, result: ImplementationOutcome): ProcedureState {
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

/** The consultation a unit may still answer in the current round: asked, not answered, not lapsed. */
export function openConsultation(state: ProcedureState, unitId: string): Consultation | undefined {
  return state.consultations.find((c) => c.unitId === unitId && c.round === state.round && !c.opinion && !c.lapsedAt);
}

/** The state once a document is issued: computed alike by the workflow and by the activity that records it. */
export function stateWithDocument(before: ProcedureState, document: IssuedDocument): ProcedureState {
  return { ...before, documents: [...(before.documents ?? []), document] };
}
