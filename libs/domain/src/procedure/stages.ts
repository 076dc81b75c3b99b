import { RequestStatus } from '../enums';

// The procedure's stages (动议 → 论证 → 审议决定 → 组织实施): which action fits which status, shared by the
// workflow's validators and the API's early checks (docs/domain.md, "The procedure").

/** What may be done to a request in each status. A wrong-stage action is refused whoever asks. */
export type ProcedureAction =
  'submit' | 'withdraw' | 'revise' | 'consult' | 'opinion' | 'review' | 'vote' | 'closeVote' | 'higherDecision';

export const ACTIONS_BY_STATUS: Record<RequestStatus, ProcedureAction[]> = {
  draft: ['submit', 'withdraw'],
  demonstration: ['withdraw', 'consult', 'opinion', 'review'],
  returned: ['withdraw', 'revise'],
  committee: ['withdraw', 'vote', 'closeVote'], // 撤回 is allowed until the committee decides
  awaiting_higher_approval: ['higherDecision'],
  implementing: [],
  implemented: [],
  rejected: [],
  withdrawn: [],
};

export function isActionAllowed(status: RequestStatus, action: ProcedureAction): boolean {
  return ACTIONS_BY_STATUS[status].includes(action);
}

export const TERMINAL_STATUSES: RequestStatus[] = ['implemented', 'rejected', 'withdrawn'];
