import { refusedBy } from '@bianzhi/domain';
import type { DiffEntry, ProcedureState, RequestDocumentKind } from '@bianzhi/domain';
import { issuerFor } from './compose';
import type { RequestDocumentFacts } from './index';

// A request's document facts from what the procedure recorded (docs/domain.md, "Official documents"): the
// worker gathers the request, the names and the number; which body issues it and why a refusal was made are
// decided here, in one place.

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
