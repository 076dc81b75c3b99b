import type { Decider, DiffEntry, IssuedDocument, RuleViolation } from '@bianzhi/domain';
import type { Actor, ChangeRequestInput, CommitteeVote, ProcedureState, RequestDraft } from './definitions';

// The activities the workflow calls: each small, idempotent (keyed by workflow id and step) and named
// for what it does. Implemented in apps/worker; the workflow imports this file as types only.

export interface TransitionRecord {
  requestId: string;
  workflowId: string;
  runId: string;
  step: number;
  action: string;
  actor: Actor;
  comment?: string | null;
  before: ProcedureState;
  after: ProcedureState;
  /** A revision's new content, stored in the read model with the transition. */
  revision?: { payload?: Record<string, unknown>; justification?: string };
  /** The diff voted on, when the workflow has it already; else a submitted, revised or forwarded step works it out. */
  diff?: DiffEntry[];
}

export interface VotePreparation {
  eligible: CommitteeVote['eligible'];
  recused: CommitteeVote['recused'];
  higherApprovalReasons: string[];
  diff: DiffEntry[];
  /** The rules the change breaks on the registry now (absent in histories recorded before the forward checked). */
  violations?: RuleViolation[];
  /** Who decides it (absent in histories recorded before the office decided anything). */
  decidedBy?: Decider;
}

export interface ImplementationResult {
  ok: boolean;
  documentNumber?: string;
  followUps?: string[];
  violations?: RuleViolation[];
  implementedAt?: string;
  /** For LEND_POOL_QUOTA: the loans' due date (YYYY-MM-DD). */
  loanDueDate?: string;
}

export interface ChangeRequestActivities {
  /**
   * Creates the read-model row and the first audit record, and the submission's when given (idempotent on the
   * request id).
   */
  registerRequest(
    input: ChangeRequestInput & {
      draft: RequestDraft;
      workflowId: string;
      runId: string;
      state: ProcedureState;
      submitted?: TransitionRecord;
    },
  ): Promise<void>;
  /** Writes one audit record and mirrors the state into the read model, in one transaction. */
  recordTransition(record: TransitionRecord): Promise<void>;
  /** Writes several steps' audit records, in order, and the read model at the last, in one transaction. */
  recordTransitions(records: TransitionRecord[]): Promise<void>;
  /** Fixes who votes (recusals), whether the higher authority must approve, and the diff voted on. */
  prepareVote(args: { requestId: string }): Promise<VotePreparation>;
  /** The units the change takes from, abolishes or merges away outside the requesting unit: heard automatically. */
  unitsToHear(args: { requestId: string }): Promise<string[]>;
  /**
   * Re-checks the rules on today's registry, allocates the document number and applies the effect, all in
   * one transaction, exactly once; or refuses with the rules named and consumes no number.
   */
  implementChange(args: {
    requestId: string;
    workflowId: string;
    runId: string;
    step: number;
    state: ProcedureState;
  }): Promise<ImplementationResult>;
  /**
   * Issues the official document (公文) the request's outcome calls for, `state` being the state it was decided
   * in: number, PDF, its SHA-256 in the step's audit record and the read model, in one transaction, once per step.
   */
  issueDocument(args: {
    requestId: string;
    workflowId: string;
    runId: string;
    step: number;
    state: ProcedureState;
  }): Promise<IssuedDocument>;
  /** At the due date, the request's outstanding loans come back to the turnover pool (one transaction, once). */
  returnPoolLoans(args: {
    requestId: string;
    workflowId: string;
    runId: string;
    step: number;
    before: ProcedureState;
    after: ProcedureState;
  }): Promise<void>;
}
