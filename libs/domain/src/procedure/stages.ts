import { RequestStatus } from '../enums';

// The procedure's stages (动议 → 论证 → 审议决定 → 组织实施): which action fits which status, shared by the
// workflow's validators and the API's early checks (docs/domain.md, "The procedure").

/** What may be done to a request in each status. A wrong-stage action is refused whoever asks. */
export type ProcedureAction =
  | 'submit'
  | 'withdraw'
  | 'revise'
  | 'consult'
  | 'opinion'
  | 'review'
  | 'vote'
  | 'closeVote'
  | 'higherDecision'
  | 'decide' // the office director's decision (编办主任办公会议)
  | 'retry' // the office retries a step of implementation that stalled (docs/domain.md, "Implementation")
  // Papers (附件) join a request until the committee has it: what it votes on does not change under it.
  | 'attach';

export const ACTIONS_BY_STATUS: Record<RequestStatus, ProcedureAction[]> = {
  draft: ['submit', 'withdraw', 'attach'],
  demonstration: ['withdraw', 'consult', 'opinion', 'review', 'attach'],
  returned: ['withdraw', 'revise', 'attach'],
  committee: ['withdraw', 'vote', 'closeVote'], // 撤回 is allowed until the committee decides
  office_decision: ['withdraw', 'decide'], // … or the office director
  awaiting_higher_approval: ['higherDecision'],
  implementing: ['retry'],
  implemented: ['retry'], // a loan's return, after implementation, may stall too
  rejected: ['retry'], // a refusal's notice (不予批准通知) may stall in its issuing
  withdrawn: [],
};

export function isActionAllowed(status: RequestStatus, action: ProcedureAction): boolean {
  return ACTIONS_BY_STATUS[status].includes(action);
}

export const TERMINAL_STATUSES: RequestStatus[] = ['implemented', 'rejected', 'withdrawn'];
