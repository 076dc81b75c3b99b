import type { UpdateDefinition } from '@temporalio/client';
import type { AuthUser } from '@bianzhi/auth';
import {
  Actor,
  closeVoteRefusal,
  consultRefusal,
  decideRefusal,
  GuardContext,
  higherDecisionRefusal,
  opinionRefusal,
  ProcedureAction,
  Refusal,
  retryRefusal,
  reviewRefusal,
  reviseRefusal,
  Role,
  submitRefusal,
  voteRefusal,
  withdrawRefusal,
} from '@bianzhi/domain';
import type { ChangeRequestEntity } from '@bianzhi/persistence';
import {
  closeVoteUpdate,
  CloseVoteArgs,
  consultUpdate,
  decideUpdate,
  higherDecisionUpdate,
  opinionUpdate,
  retryUpdate,
  reviewUpdate,
  reviseUpdate,
  submitUpdate,
  voteUpdate,
  withdrawUpdate,
} from '@bianzhi/workflows';
import {
  ConsultationsDto,
  DecideDto,
  HigherDecisionDto,
  OpinionDto,
  RetryDto,
  ReviewDto,
  ReviseDto,
  VoteDto,
  WithdrawDto,
} from './change-request.dto';

// The procedure's actions on a change request, one entry each (docs/api.md): the action, the role the actor
// acts in, the early checks (the domain's guards, the same the workflow's validators apply, then what only the
// API can check: the payload and the registry rules), the Update and its argument. One runner
// (ChangeRequestsService.act) sends any of them.

/** What an action's checks and argument see. */
export interface ActionContext {
  user: AuthUser;
  row: ChangeRequestEntity;
  actor: Actor;
  /** The read model's procedure, as the domain's guards take it. */
  guard: GuardContext;
}

/** The checks only the API makes (against the registry or the payload's shape), given by the runner. */
export interface ApiChecks {
  /** Checks the typed payload's shape (400, naming the field) and answers it validated. */
  validatePayload(row: ChangeRequestEntity, payload: unknown): Promise<Record<string, unknown>>;
  /** Checks the registry rules after the change (422, naming each rule). */
  checkRules(row: ChangeRequestEntity): Promise<void>;
}

export interface ProcedureActionSpec<Dto, Ret, Arg, Prepared = undefined> {
  action: ProcedureAction;
  /** The Update id's prefix: `${name}:${user id}:${Idempotency-Key}` (unchanged, so retries still match). */
  name: string;
  /** The role the actor acts in (the route's access already requires it). */
  role: Role;
  /** The domain's guard for this action, on the read model. */
  guard(ctx: ActionContext, dto: Dto): Refusal | null;
  /** Checks after the guard that only the API can make; what it answers goes into the argument. */
  prepare?(ctx: ActionContext, dto: Dto, api: ApiChecks): Promise<Prepared>;
  update: UpdateDefinition<Ret, [Arg]>;
  /** The Update's argument; `prepared` is undefined when the call retries an Update already taken. */
  argument(ctx: ActionContext, dto: Dto, prepared: Prepared | undefined): Arg;
  /** Answer with the Update's result instead of the request (a ballot answers with the tally). */
  answersResult?: boolean;
}

/** An entry of the table: its types checked where it is written, then erased. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionSpec = ProcedureActionSpec<any, unknown, any, any>;
function entry<Dto, Ret, Arg, Prepared = undefined>(spec: ProcedureActionSpec<Dto, Ret, Arg, Prepared>): AnyActionSpec {
  return spec as AnyActionSpec;
}

export const CHANGE_REQUEST_ACTIONS = {
  // ── 动议 Proposal ──
  submit: entry<object, unknown, { actor: Actor }>({
    action: 'submit',
    name: 'submit',
    role: 'clerk',
    guard: ({ guard, actor }) => submitRefusal(guard, actor),
    prepare: ({ row }, _dto, api) => api.checkRules(row).then(() => undefined),
    update: submitUpdate,
    argument: ({ actor }) => ({ actor }),
  }),
  withdraw: entry({
    action: 'withdraw',
    name: 'withdraw',
    role: 'clerk',
    guard: ({ guard, actor }, dto: WithdrawDto) => withdrawRefusal(guard, actor, dto.reason),
    update: withdrawUpdate,
    argument: ({ actor }, dto) => ({ actor, reason: dto.reason }),
  }),
  revise: entry({
    action: 'revise',
    name: 'revise',
    role: 'clerk',
    guard: ({ guard, actor }, _dto: ReviseDto) => reviseRefusal(guard, actor),
    prepare: async ({ row }, dto, api) => {
      const payload = dto.payload ? await api.validatePayload(row, dto.payload) : undefined;
      await api.checkRules({ ...row, payload: payload ?? row.payload });
      return payload;
    },
    update: reviseUpdate,
    // A retry of a taken Update needs no payload: Temporal answers it from the first.
    argument: ({ actor }, dto, payload) => ({
      actor,
      comment: dto.comment,
      payload,
      justification: dto.justification,
    }),
  }),
  // ── 论证 Demonstration ──
  consult: entry({
    action: 'consult',
    name: 'consult',
    role: 'reviewer',
    guard: ({ guard, actor }, dto: ConsultationsDto) => consultRefusal(guard, actor, dto),
    update: consultUpdate,
    argument: ({ actor }, dto) => ({ actor, unitIds: dto.unitIds, dueAt: new Date(dto.dueAt).toISOString() }),
  }),
  opinion: entry({
    action: 'opinion',
    name: 'opinion',
    role: 'consultee',
    guard: ({ guard, actor }, _dto: OpinionDto) => opinionRefusal(guard, actor, { unitId: actor.unitId ?? '' }),
    update: opinionUpdate,
    argument: ({ actor }, dto) => ({ actor, unitId: actor.unitId!, position: dto.position, comment: dto.comment }),
  }),
  review: entry({
    action: 'review',
    name: 'review',
    role: 'reviewer',
    guard: ({ guard, actor }, dto: ReviewDto) => reviewRefusal(guard, actor, dto),
    // The forward checks the rules again, against the registry now (the workflow checks once more).
    prepare: ({ row }, dto, api) => (dto.decision === 'forward' ? api.checkRules(row) : Promise.resolve()),
    update: reviewUpdate,
    argument: ({ actor }, dto) => ({ actor, decision: dto.decision, comment: dto.comment }),
  }),
  // ── 审议决定 Committee decision ──
  vote: entry({
    action: 'vote',
    name: 'vote',
    role: 'committee_member',
    guard: ({ guard, actor }, _dto: VoteDto) => voteRefusal(guard, actor),
    update: voteUpdate,
    argument: ({ actor }, dto) => ({ actor, vote: dto.vote, comment: dto.comment }),
    answersResult: true,
  }),
  closeVote: entry<object, unknown, { actor: Actor }>({
    action: 'closeVote',
    name: 'close-vote',
    role: 'committee_chair',
    guard: ({ guard, actor }) => closeVoteRefusal(guard, actor),
    update: closeVoteUpdate,
    argument: ({ actor }) => ({ actor }),
  }),
  /** The closing of a committee meeting closes each item's vote (docs/api.md, "Committee meetings"). */
  closeVoteByMeeting: entry<{ meetingId: string }, unknown, CloseVoteArgs>({
    action: 'closeVote',
    name: 'meeting-close',
    role: 'committee_chair',
    guard: ({ guard, actor }, dto) => closeVoteRefusal(guard, actor, dto.meetingId),
    update: closeVoteUpdate,
    argument: ({ actor }, dto) => ({ actor, meetingId: dto.meetingId }),
  }),
  // ── 审议决定 by the office (编办主任办公会议) ──
  decide: entry({
    action: 'decide',
    name: 'decide',
    role: 'office_director',
    guard: ({ guard, actor }, dto: DecideDto) => decideRefusal(guard, actor, dto),
    update: decideUpdate,
    argument: ({ actor }, dto) => ({ actor, decision: dto.decision, comment: dto.comment }),
  }),
  // ── 组织实施 Implementation: a stalled step retried ──
  retry: entry({
    action: 'retry',
    name: 'retry',
    role: 'office_director',
    guard: ({ guard, actor }, _dto: RetryDto) => retryRefusal(guard, actor),
    update: retryUpdate,
    argument: ({ actor }, dto) => ({ actor, comment: dto.comment }),
  }),
  higherDecision: entry({
    action: 'higherDecision',
    name: 'higher-decision',
    role: 'higher_liaison',
    guard: ({ guard, actor }, _dto: HigherDecisionDto) => higherDecisionRefusal(guard, actor),
    update: higherDecisionUpdate,
    argument: ({ actor }, dto) => ({ actor, ...dto }),
  }),
} satisfies Record<string, AnyActionSpec>;

export type ChangeRequestActionName = keyof typeof CHANGE_REQUEST_ACTIONS;
