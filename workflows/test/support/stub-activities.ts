import { ApplicationFailure } from '@temporalio/activity';
import { formatDocumentNumber, RuleViolation } from '@bianzhi/domain';
import type {
  ChangeRequestActivities,
  ImplementationResult,
  ProcedureState,
  TransitionRecord,
  VotePreparation,
} from '@bianzhi/workflows';

// The change-request activities in memory, for the workflow tests on the time-skipping test server: each call
// is recorded, and each answers as apps/worker/src/change-request.activities.ts does against PostgreSQL (the
// same trail actions, the read model mirroring the state, idempotent on the step), without a database.

/** One record of the audit trail (全程留痕) as the real activities would write it. */
export interface TrailEntry {
  step: number;
  action: string;
  actor: string;
  comment: string | null;
}

export type ActivityName = keyof ChangeRequestActivities;

/** What the registry says at implementation: applied with a document number, or refused with the rules named. */
export type Implementation = { ok: true; loanDueDate?: string } | { ok: false; violations: RuleViolation[] };

export class StubActivities {
  /** Every activity called for this request, in order. */
  readonly calls: ActivityName[] = [];
  readonly trail: TrailEntry[] = [];
  /** The transitions as the workflow handed them over (before/after, diff, revision). */
  readonly records: TransitionRecord[] = [];
  /** The state the read model shows: the last written step's. */
  readModel: ProcedureState | undefined;
  private readModelStep = -1;
  /** The state the workflow passed to implementChange. */
  implementedFrom: ProcedureState | undefined;
  /** The units unitsToHear answers: those the change takes from outside the requesting unit. */
  hear: string[] = [];
  /** How many more attempts of implementChange fail for good (a database refusal), before it applies. */
  failingImplementations = 0;
  /** How many more attempts of issueDocument fail for good, before it issues. */
  failingDocuments = 0;
  /** The documents issued, as issueDocument answered. */
  readonly documents: { kind: string; documentNumber: string; fromStatus: string }[] = [];

  constructor(
    public preparation: VotePreparation,
    public implementation: Implementation = { ok: true },
    private readonly documentNumber = formatDocumentNumber('清', 2026, 1),
  ) {}

  /** The activities called, with the trail writes of consecutive steps taken as one ("record"). */
  phases(): string[] {
    const named = this.calls.map((c) => (c === 'recordTransition' || c === 'recordTransitions' ? 'record' : c));
    return named.filter((c, i) => c !== named[i - 1]);
  }

  actions(): string[] {
    return this.trail.map((t) => t.action);
  }

  private mirror(step: number, state: ProcedureState): void {
    // As the read model: it only moves forward.
    if (step > this.readModelStep) {
      this.readModelStep = step;
      this.readModel = state;
    }
  }

  private write(records: TransitionRecord[]): void {
    for (const r of records) {
      // Idempotent on the step, as appendAudit is on its step key.
      if (this.trail.some((t) => t.step === r.step)) continue;
      this.trail.push({ step: r.step, action: r.action, actor: r.actor.username, comment: r.comment ?? null });
      this.records.push(r);
      this.mirror(r.step, r.after);
    }
  }

  readonly activities: ChangeRequestActivities = {
    registerRequest: async (input) => {
      this.calls.push('registerRequest');
      if (this.trail.some((t) => t.step === 0)) return;
      this.trail.push({ step: 0, action: 'created', actor: input.createdBy.username, comment: null });
      this.mirror(0, input.state);
      if (input.submitted) this.write([input.submitted]);
    },
    recordTransition: async (record) => {
      this.calls.push('recordTransition');
      this.write([record]);
    },
    recordTransitions: async (records) => {
      this.calls.push('recordTransitions');
      this.write(records);
    },
    prepareVote: async () => {
      this.calls.push('prepareVote');
      return JSON.parse(JSON.stringify(this.preparation)) as VotePreparation;
    },
    unitsToHear: async () => {
      this.calls.push('unitsToHear');
      return [...this.hear];
    },
    implementChange: async ({ step, state }) => {
      this.calls.push('implementChange');
      if (this.failingImplementations > 0) {
        this.failingImplementations -= 1;
        throw ApplicationFailure.nonRetryable('the database refused the change (SQLSTATE 22008)', 'DATA');
      }
      this.implementedFrom = state;
      const impl = this.implementation;
      const result: ImplementationResult = impl.ok
        ? {
            ok: true,
            documentNumber: this.documentNumber,
            followUps: ['办理机构编制实名制信息变更'],
            implementedAt: new Date().toISOString(),
            ...(impl.loanDueDate ? { loanDueDate: impl.loanDueDate } : {}),
          }
        : { ok: false, violations: impl.violations };
      if (!this.trail.some((t) => t.step === step)) {
        this.trail.push({
          step,
          action: result.ok ? 'implemented' : 'rejected_at_implementation',
          actor: 'system',
          comment: result.ok ? result.documentNumber! : impl.ok ? null : impl.violations.map((v) => v.rule).join(', '),
        });
        this.mirror(step, afterImplementation(state, result));
      }
      return result;
    },
    issueDocument: async ({ step, state }) => {
      this.calls.push('issueDocument');
      if (this.failingDocuments > 0) {
        this.failingDocuments -= 1;
        throw ApplicationFailure.nonRetryable('no CJK font found', 'FONTS');
      }
      const kind = state.status === 'implemented' ? 'APPROVAL_REPLY' : 'REJECTION_NOTICE';
      const documentNumber = state.documentNumber ?? formatDocumentNumber('清', 2026, 1, 'OFFICE');
      const document = {
        id: `doc-${step}`,
        kind,
        documentNumber,
        sha256: '0'.repeat(64),
        issuedAt: '2026-12-01T00:00:00.000Z',
      };
      if (!this.trail.some((t) => t.step === step)) {
        this.trail.push({ step, action: 'document_issued', actor: 'system', comment: documentNumber });
        this.documents.push({ kind, documentNumber, fromStatus: state.status });
        this.mirror(step, { ...state, documents: [...(state.documents ?? []), document] } as ProcedureState);
      }
      return document as never;
    },
    returnPoolLoans: async ({ step, after }) => {
      this.calls.push('returnPoolLoans');
      if (this.trail.some((t) => t.step === step)) return;
      this.trail.push({ step, action: 'pool_loan_returned', actor: 'system', comment: 'loans back to the pool' });
      this.mirror(step, after);
    },
  };
}

/**
 * What the implementation step leaves in the read model, written out here rather than taken from the workflow's
 * code: the workflow must come to the same state.
 */
function afterImplementation(before: ProcedureState, result: ImplementationResult): ProcedureState {
  if (result.ok)
    return {
      ...before,
      status: 'implemented',
      documentNumber: result.documentNumber,
      implementedAt: result.implementedAt,
      followUps: result.followUps,
      ...(result.loanDueDate ? { poolLoan: { dueDate: result.loanDueDate } } : {}),
    };
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

/**
 * One activities object for the worker, sending each call to the stub of its request: one worker serves all the
 * tests of a file.
 */
export function routedActivities(stubFor: (requestId: string) => StubActivities): ChangeRequestActivities {
  return {
    registerRequest: (input) => stubFor(input.requestId).activities.registerRequest(input),
    recordTransition: (record) => stubFor(record.requestId).activities.recordTransition(record),
    recordTransitions: (records) => stubFor(records[0].requestId).activities.recordTransitions(records),
    prepareVote: (args) => stubFor(args.requestId).activities.prepareVote(args),
    unitsToHear: (args) => stubFor(args.requestId).activities.unitsToHear(args),
    implementChange: (args) => stubFor(args.requestId).activities.implementChange(args),
    returnPoolLoans: (args) => stubFor(args.requestId).activities.returnPoolLoans(args),
    issueDocument: (args) => stubFor(args.requestId).activities.issueDocument(args),
  };
}
