import type { RequestStatus, RequestType } from '../enums';
import type { ProcedureState } from './state';
import { tallyVotes } from './vote';

// A change request as the API shows it, from its stored form; and that stored form rebuilt from the audit trail
// alone. One home for both, so that the API (GET /v1/change-requests/:id, ?asOf=, the dossier) and the offline
// dossier verifier show, and check, the same thing (docs/domain.md, "The audit trail").

/** A request as kept (the read model), or as rebuilt from its trail. */
export interface StoredRequest {
  id: string;
  type: RequestType;
  status: RequestStatus;
  unitId: string;
  title: string;
  justification: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a payload of any type (payloads.ts)
  payload: Record<string, any>;
  referenceNumber: string | null;
  copyTo: string[];
  diff: object[];
  procedure: ProcedureState;
  documentNumber: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One audit record of a request, as the trail keeps it. */
export interface TrailRecordOfRequest {
  action: string;
  at: Date | string;
  actorId?: string | null;
  stepKey: string | null;
  after: unknown;
}

export interface ViewOptions {
  /** Whether the reader sees who voted how: the committee and the auditors. */
  seesBallots: boolean;
  /** Who would decide a request not yet forwarded, by its type (the office's configuration). */
  officeDecidedTypes: readonly RequestType[];
}

/** The request as docs/api.md shows it. */
export function requestView(row: StoredRequest, opts: ViewOptions) {
  const p = row.procedure;
  const vote = p.vote ?? p.pastVotes?.[p.pastVotes.length - 1];
  const { outcome: _o, ...tally } = tallyVotes(vote?.eligible.length ?? 0, vote?.ballots ?? []);
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    unitId: row.unitId,
    title: row.title,
    justification: row.justification,
    payload: row.payload,
    referenceNumber: row.referenceNumber ?? null,
    copyTo: row.copyTo ?? [],
    diff: row.diff,
    consultations: (p.consultations ?? []).map((c) => ({
      unitId: c.unitId,
      round: c.round,
      dueAt: c.dueAt,
      requestedAt: c.requestedAt,
      remindedAt: c.remindedAt,
      lapsedAt: c.lapsedAt,
      automatic: !!c.automatic,
      ...(c.opinion ? { opinion: c.opinion } : {}),
    })),
    tally: vote
      ? { ...tally, outcome: vote.outcome ?? null }
      : { eligible: 0, approve: 0, reject: 0, abstain: 0, quorumReached: false, outcome: null },
    ballots: opts.seesBallots
      ? (vote?.ballots ?? []).map((b) => ({
          ...b,
          username: vote?.eligible.find((m) => m.id === b.memberId)?.username,
        }))
      : undefined,
    eligibleMembers: vote?.eligible ?? [],
    recusedMembers: vote?.recused ?? [],
    deadlines: {
      consultations: (p.consultations ?? [])
        .filter((c) => c.round === p.round && !c.opinion && !c.lapsedAt)
        .map((c) => ({ unitId: c.unitId, dueAt: c.dueAt })),
      vote: p.vote && !p.vote.outcome ? p.vote.deadline : null,
    },
    round: p.round ?? 0,
    returns: p.returns ?? [],
    pastVotes: (p.pastVotes ?? []).map((v) => ({
      round: v.round,
      outcome: v.outcome,
      tally: v.tally,
      closedAt: v.closedAt,
    })),
    higherApprovalReasons: p.higherApprovalReasons ?? [],
    referralReasons: p.higherApprovalReasons ?? [],
    // Fixed at the forward; before it, who would decide by the type alone (the forward settles the rest).
    decidedBy: p.decidedBy ?? (opts.officeDecidedTypes.includes(row.type) ? 'OFFICE' : 'COMMITTEE'),
    officeDecision: p.officeDecision ?? null,
    stalled: p.stalled ?? null,
    higherDecision: p.higherDecision
      ? {
          approved: p.higherDecision.approved,
          documentNumber: p.higherDecision.documentNumber,
          comment: p.higherDecision.comment,
          at: p.higherDecision.at,
        }
      : null,
    documentNumber: row.documentNumber,
    followUps: p.followUps ?? [],
    documents: p.documents ?? [],
    rejection: p.rejection ?? null,
    withdrawal: p.withdrawal ?? null,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export type RequestView = ReturnType<typeof requestView>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records hold JSON whose shape varies by action
type Json = Record<string, any>;

/**
 * The request rebuilt from its audit records alone (oldest first, from `created`): the first holds the draft, each
 * later step the procedure's state after it (and a revision's new content). `updatedAt` is the last step's time;
 * records without a step key (an attachment's) change nothing. Null when the records do not begin with `created`.
 */
export function requestFromTrail(
  id: string,
  records: TrailRecordOfRequest[],
): (StoredRequest & { workflowId: string | null }) | null {
  if (!records.length || records[0].action !== 'created') return null;
  const created = records[0].after as Json;
  const rebuilt: StoredRequest & { workflowId: string | null } = {
    id,
    workflowId: null,
    type: created.type,
    status: 'draft',
    unitId: created.unitId,
    title: created.title,
    justification: created.justification,
    payload: created.payload,
    referenceNumber: created.referenceNumber ?? null,
    copyTo: created.copyTo ?? [],
    diff: created.diff ?? [],
    procedure: created.procedure,
    documentNumber: null,
    createdBy: records[0].actorId ?? '',
    createdAt: new Date(records[0].at),
    updatedAt: new Date(records[0].at),
  };
  for (const r of records.slice(1).filter((x) => x.stepKey)) {
    const after = (r.after ?? {}) as Json;
    const { diff, returnedLoans: _returned, ...rest } = after;
    const procedure = 'procedure' in rest ? rest.procedure : rest;
    if ('procedure' in rest) {
      rebuilt.payload = rest.payload;
      rebuilt.justification = rest.justification;
    }
    if (diff) rebuilt.diff = diff;
    rebuilt.procedure = procedure;
    rebuilt.status = procedure.status;
    rebuilt.documentNumber = procedure.documentNumber ?? null;
    rebuilt.updatedAt = new Date(r.at);
  }
  return rebuilt;
}
