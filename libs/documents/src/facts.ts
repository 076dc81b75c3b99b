import { refusedBy } from '@bianzhi/domain';
import type { DiffEntry, ProcedureState, RequestDocumentKind } from '@bianzhi/domain';
import { issuerFor } from './compose';
import type { RequestDocumentFacts } from './index';

// A request's document facts from what the procedure recorded (docs/domain.md, "Official documents"): the
// worker gathers the request, the names and the number; which body issues it and why a refusal was made are
// decided here, in one place.

/** What a document reads of a stored request (the read model's row). */
export interface RequestSource {
  id: string;
  type: RequestDocumentFacts['request']['type'];
  title: string;
  justification: string;
  referenceNumber?: string | null;
  unitId: string;
  payload: Record<string, unknown>;
  copyTo?: string[] | null;
  createdAt: Date;
  diff?: unknown;
}

/**
 * The request's part of a document's facts, for the worker's documents and the API's 审批表 alike: its content, the
 * diff, and every unit it speaks of by name (today's, or the name before the change where the diff has one).
 */
export function requestPart(
  row: RequestSource,
  units: Record<string, { name: string }>,
): Pick<RequestDocumentFacts, 'request' | 'diff' | 'unitNames' | 'copyTo'> {
  const diff = (row.diff ?? []) as DiffEntry[];
  const names: Record<string, string> = {};
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (units[value]) names[value] = units[value].name;
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit([row.unitId, row.payload, row.copyTo ?? []]);
  for (const d of diff) if (d.unitId && d.unitName) names[d.unitId] = d.unitName;
  return {
    request: {
      id: row.id,
      type: row.type,
      title: row.title,
      justification: row.justification,
      referenceNumber: row.referenceNumber ?? null,
      unitName: names[row.unitId] ?? row.unitId,
      payload: row.payload,
      createdAt: row.createdAt.toISOString(),
    },
    diff,
    unitNames: names,
    copyTo: (row.copyTo ?? []).map((id) => names[id] ?? id),
  };
}

export interface RequestFactsInput {
  kind: RequestDocumentKind;
  countyName: string;
  documentNumber: string;
  issuedAt: string;
  state: ProcedureState;
  request: RequestDocumentFacts['request'];
  diff: DiffEntry[];
  unitNames: Record<string, string>;
  copyTo: string[];
}

/** Why a request was refused, in the words a notice prints (the committee's tally; else the decider's own words). */
function rejectionReason(state: ProcedureState): string {
  const r = state.rejection;
  if (!r) return '';
  if (r.stage === 'committee') {
    const t = state.vote?.tally;
    return t ? `赞成${t.approve}票，未超过有表决权的${t.eligible}名委员的半数` : '';
  }
  if (r.stage === 'implementing') return ''; // the rules broken are listed one by one
  if (r.stage === 'awaiting_higher_approval') return state.higherDecision?.comment ?? r.reason;
  return r.reason;
}

export function requestFacts(input: RequestFactsInput): RequestDocumentFacts {
  const { state } = input;
  const decidedBy = input.kind === 'REJECTION_NOTICE' ? refusedBy(state) : (state.decidedBy ?? 'COMMITTEE');
  return {
    kind: input.kind,
    issuer: issuerFor(input.kind, input.countyName, decidedBy),
    decidedBy,
    documentNumber: input.documentNumber,
    issuedAt: input.issuedAt,
    request: input.request,
    diff: input.diff,
    unitNames: input.unitNames,
    copyTo: input.copyTo,
    ...(state.rejection && input.kind === 'REJECTION_NOTICE'
      ? {
          rejection: {
            stage: state.rejection.stage,
            reason: rejectionReason(state),
            ...(state.rejection.rules?.length ? { rules: state.rejection.rules } : {}),
          },
        }
      : {}),
    higherDecision: state.higherDecision
      ? {
          approved: state.higherDecision.approved,
          documentNumber: state.higherDecision.documentNumber,
          comment: state.higherDecision.comment,
        }
      : null,
  };
}
