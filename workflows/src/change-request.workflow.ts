import {
  ActivityFailure,
  type ActivityOptions,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  closeVoteRefusal,
  consultRefusal,
  decideRefusal,
  GuardContext,
  higherDecisionRefusal,
  initialProcedureState,
  MIN_ELIGIBLE_MEMBERS,
  openConsultation,
  opinionRefusal,
  registrationRefusal,
  RequestStatus,
  retryRefusal,
  reviewRefusal,
  reviseRefusal,
  stateAfterImplementation,
  stateWithDocument,
  StalledStep,
  submitRefusal,
  SYSTEM_ACTOR,
  tallyVotes,
  tooFewEligibleReason,
  voteRefusal,
  withdrawRefusal,
} from '@bianzhi/domain';
import type { ChangeRequestActivities, TransitionRecord } from './activities';
import {
  Actor,
  ChangeRequestInput,
  closeVoteUpdate,
  CommitteeVote,
  Consultation,
  consultUpdate,
  decideUpdate,
  higherDecisionUpdate,
  opinionUpdate,
  ProcedureState,
  registerUpdate,
  retryUpdate,
  reviewUpdate,
  reviseUpdate,
  stateQuery,
  submitUpdate,
  voteUpdate,
  withdrawUpdate,
  STATUS_ATTRIBUTE,
  TYPE_ATTRIBUTE,
  UNIT_ATTRIBUTE,
} from './definitions';
import { refuse, refuseIf } from './kit/refusals';
import { keywordPublisher } from './kit/search-attributes';
import { clone, Trail } from './kit/trail';

// One change request (机构编制事项), from the clerk's draft to the registry, through the four stages the
// regulation fixes: 动议 (proposal) → 论证 (demonstration) → 审议决定 (committee decision) → 组织实施
// (implementation). Every state change is a named step recorded in the audit trail (全程留痕).
// Deterministic and free of I/O: the registry and the audit trail are reached through activities only.

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the change-request workflow adds to a step's record. */
type StepExtra = Pick<TransitionRecord, 'revision' | 'diff'>;

export async function changeRequestWorkflow(input: ChangeRequestInput): Promise<ProcedureState> {
  const { requestId } = input;
  // Each activity is idempotent, so a retry after a crash or an outage is always safe: retry without limit.
  const options: ActivityOptions = {
    startToCloseTimeout: `${input.timing.activityTimeoutSeconds ?? 60} seconds`,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  };
  const {
    registerRequest,
    recordTransition,
    recordTransitions,
    prepareVote,
    unitsToHear,
    implementChange,
    returnPoolLoans,
  } = proxyActivities<ChangeRequestActivities>(options);
  // The steps of implementation, bounded: one that keeps failing stalls visibly for the office instead of
  // retrying unseen for ever (docs/domain.md, "Implementation"); a failure retrying cannot cure stalls at once.
  const bounded = proxyActivities<ChangeRequestActivities>({
    ...options,
    retry: { ...options.retry, maximumAttempts: input.timing.implementationAttempts ?? 20 },
  });
  const { workflowId, runId } = workflowInfo();
  const state: ProcedureState = initialProcedureState();
  let registered = false;
  let forwarding = false; // a forward is being prepared; a second one is refused meanwhile
  let ballotsInFlight = 0; // votes accepted but not yet recorded: the count waits for them
  let votesClosed = 0; // closings recorded so far: the chair's close-vote answers once its closing is recorded
  let closingChair: Actor | null = null; // who closed the open vote early, recorded as the closing's actor
  let attemptsFinished = 0; // attempts of a stalled step: a retry answers once its attempt has finished
  const now = () => new Date(Date.now()).toISOString(); // workflow time: deterministic on replay
  // Added after the first histories were recorded: runs without the marker (and without the flag) replay as before.
  const publish = keywordPublisher(input.searchAttributes === true && patched('search-attributes'));
  const publishStatus = () => publish([[STATUS_ATTRIBUTE, state.status]]);
  publish([
    [TYPE_ATTRIBUTE, input.type],
    [UNIT_ATTRIBUTE, input.requestingUnitId],
    [STATUS_ATTRIBUTE, state.status],
  ]);

  // The trail (全程留痕) is written in order by one writer, several steps to one activity when they come
  // together (a committee's ballots). Added after earlier histories were recorded: those runs, without the
  // marker, record each step with its own activity as before.
  const trail = new Trail<ProcedureState, Actor, TransitionRecord, StepExtra>({
    state,
    batched: patched('batched-trail'),
    toRecord: (step, extra) => ({
      requestId,
      workflowId,
      runId,
      ...step,
      revision: extra?.revision,
      ...(extra?.diff ? { diff: extra.diff } : {}),
    }),
    recordOne: recordTransition,
    recordMany: recordTransitions,
    afterChange: (before, after) => {
      if (before.status !== after.status) publishStatus();
    },
  });
  const batchedTrail = trail.batched;
  const transition = trail.transition.bind(trail);

  /** The rules' view of this request (docs/domain.md): the state held here, on workflow time. */
  const guardContext = (): GuardContext => ({
    state,
    requesterId: input.createdBy.userId,
    requestingUnitId: input.requestingUnitId,
    now: Date.now(),
    forwarding,
  });

  const isOpen = () => ['demonstration', 'returned'].includes(state.status);

  /** Records the reminder (催办) before a consultation's due time and its lapse when no opinion came. */
  async function watchConsultation(c: Consultation): Promise<void> {
    const answered = () => !!c.opinion || !isOpen() || c.round !== state.round;
    const due = Date.parse(c.dueAt);
    const remindAt = due - input.timing.reminderLeadDays * DAY_MS;
    if (remindAt > Date.now() && !(await condition(answered, remindAt - Date.now()))) {
      await transition('consultation_reminded', SYSTEM_ACTOR, `opinion of unit ${c.unitId} due ${c.dueAt}`, () => {
        c.remindedAt = now();
      });
    }
    if (!(await condition(answered, Math.max(due - Date.now(), 1)))) {
      await transition('consultation_lapsed', SYSTEM_ACTOR, `no opinion from unit ${c.unitId} by ${c.dueAt}`, () => {
        c.lapsedAt = now();
      });
    }
  }

  /**
   * Units the change takes from, abolishes or merges away outside the requesting unit are heard without the
   * reviewer asking, on entering demonstration and on each revision (docs/domain.md, "Who decides"). Added
   * after the first histories were recorded: runs without the marker never asked.
   */
  async function hearAffectedUnits(): Promise<void> {
    if (!patched('automatic-hearing')) return;
    const round = state.round;
    const unitIds = (await unitsToHear({ requestId })).filter(
      (unitId) => !state.consultations.some((c) => c.unitId === unitId && c.round === round),
    );
    if (!unitIds.length || state.round !== round || state.status !== 'demonstration') return;
    const dueAt = new Date(Date.now() + (input.timing.hearingDays ?? 7) * DAY_MS).toISOString();
    const added: Consultation[] = [];
    await transition(
      'consultations_requested',
      SYSTEM_ACTOR,
      `units ${unitIds.join(', ')} heard: the change takes from them; due ${dueAt}`,
      () => {
        for (const unitId of unitIds) {
          const c: Consultation = { unitId, round, requestedAt: now(), dueAt, requestedBy: 'system', automatic: true };
          state.consultations.push(c);
          added.push(c);
        }
      },
    );
    for (const c of added) watchConsultation(c); // each watch runs on by itself: deliberately not awaited
  }

  setHandler(stateQuery, () => state);

  // ── 1. 动议 Proposal: the clerk drafts and submits (the API has checked the rules) ─────────────────
  setHandler(
    registerUpdate,
    async ({ submit, draft }) => {
      registered = true;
      const registration = clone(state);
      if (batchedTrail) {
        // Created and submitted in one go: one activity writes both records, in one transaction.
        const submitted = submit
          ? trail.takeStep('submitted', input.createdBy, null, () => {
              state.status = 'demonstration';
              state.round = 1;
            })
          : undefined;
        await registerRequest({
          ...input,
          draft,
          workflowId,
          runId,
          state: registration,
          ...(submitted ? { submitted } : {}),
        });
        // Only the steps this activity wrote: any taken meanwhile wait in the trail for the writer.
        trail.markWritten(submitted?.step ?? 0);
        trail.markStored();
        if (submitted) await hearAffectedUnits();
        return state;
      }
      await registerRequest({ ...input, draft, workflowId, runId, state: registration });
      if (submit && state.status === 'draft') {
        await transition('submitted', input.createdBy, null, () => {
          state.status = 'demonstration';
          state.round = 1;
        });
        await hearAffectedUnits();
      }
      return state;
    },
    {
      validator: (_args) => {
        refuseIf(registrationRefusal(registered));
      },
    },
  );

  setHandler(
    submitUpdate,
    async ({ actor, comment }) => {
      await transition('submitted', actor, comment ?? null, () => {
        state.status = 'demonstration';
        state.round = 1;
      });
      await hearAffectedUnits();
      return state;
    },
    { validator: ({ actor }) => refuseIf(submitRefusal(guardContext(), actor)) },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      // 撤回: possible until the committee decides; an open vote ends without a result.
      await transition('withdrawn', actor, reason, () => {
        state.status = 'withdrawn';
        state.withdrawal = { reason, by: actor.username, at: now() };
      });
      return state;
    },
    {
      validator: ({ actor, reason }) => refuseIf(withdrawRefusal(guardContext(), actor, reason)),
    },
  );

  // ── 2. 论证 Demonstration: consultations in parallel, then forward, return or reject ───────────────
  setHandler(
    consultUpdate,
    async ({ actor, unitIds, dueAt }) => {
      const added: Consultation[] = [];
      await transition('consultations_requested', actor, `units ${unitIds.join(', ')} due ${dueAt}`, () => {
        for (const unitId of unitIds) {
          const replaced = state.consultations.find(
            (x) => x.unitId === unitId && x.round === state.round && !x.opinion,
          );
          const c: Consultation = {
            unitId,
            round: state.round,
            requestedAt: now(),
            dueAt,
            requestedBy: actor.username,
            // Asked again with a new due time, a unit that must be heard still must.
            ...(replaced?.automatic ? { automatic: true } : {}),
          };
          state.consultations = state.consultations.filter((x) => x !== replaced);
          state.consultations.push(c);
          added.push(c);
        }
      });
      // Each watch runs on by itself: deliberately not awaited.
      for (const c of added) watchConsultation(c);
      return state;
    },
    {
      validator: ({ actor, unitIds, dueAt }) => refuseIf(consultRefusal(guardContext(), actor, { unitIds, dueAt })),
    },
  );

  setHandler(
    opinionUpdate,
    async ({ actor, unitId, position, comment }) => {
      const c = openConsultation(state, unitId)!;
      await transition('opinion_given', actor, comment, () => {
        c.opinion = { position, comment, by: actor.username, at: now() };
      });
      return state;
    },
    {
      validator: ({ actor, unitId }) => refuseIf(opinionRefusal(guardContext(), actor, { unitId })),
    },
  );

  setHandler(
    reviewUpdate,
    async ({ actor, decision, comment }) => {
      if (decision === 'return') {
        // 退回修改: back to the clerk, who revises and resubmits; the request goes round again.
        await transition('returned', actor, comment!, () => {
          state.status = 'returned';
          state.returns.push({ comment: comment!, by: actor.username, at: now() });
        });
      } else if (decision === 'reject') {
        await transition('rejected', actor, comment!, () => {
          state.status = 'rejected';
          state.rejection = { stage: 'demonstration', reason: comment! };
        });
      } else {
        forwarding = true;
        try {
          const prep = await prepareVote({ requestId });
          if (state.status !== 'demonstration')
            refuse({
              code: 'WRONG_STAGE',
              message: `the request became ${state.status} while the vote was prepared`,
            });
          // Who decides, and the rules checked again at the forward (docs/domain.md, "Who decides"). Added after
          // the first histories were recorded: runs without the marker forward every request to a vote as before.
          const tiers = patched('decision-tiers');
          if (tiers && prep.violations?.length)
            refuse({
              code: 'RULE_VIOLATION',
              message: `the change now breaks ${prep.violations.map((v) => v.rule).join(', ')}`,
              rules: prep.violations,
            });
          if (tiers && prep.decidedBy === 'OFFICE') {
            // 编办主任办公会议: the office director decides; no committee vote.
            await transition(
              'forwarded',
              actor,
              comment ?? null,
              () => {
                state.status = 'office_decision';
                state.decidedBy = 'OFFICE';
                state.higherApprovalReasons = prep.higherApprovalReasons;
              },
              { extra: { diff: prep.diff } },
            );
            return state;
          }
          if (tiers && prep.eligible.length < MIN_ELIGIBLE_MEMBERS) {
            // Too few to vote once recusals are out: the vote does not open, the request goes up.
            await transition(
              'referred',
              actor,
              comment ?? null,
              () => {
                state.status = 'awaiting_higher_approval';
                state.decidedBy = 'COMMITTEE';
                state.higherApprovalReasons = [
                  ...prep.higherApprovalReasons,
                  tooFewEligibleReason(prep.eligible.length),
                ];
              },
              { extra: { diff: prep.diff } },
            );
            return state;
          }
          // The eligible members are fixed here, when the vote opens.
          await transition(
            'forwarded',
            actor,
            comment ?? null,
            () => {
              const openedAt = Date.now();
              state.status = 'committee';
              if (tiers) state.decidedBy = 'COMMITTEE';
              state.higherApprovalReasons = prep.higherApprovalReasons;
              state.vote = {
                round: state.pastVotes.length + 1,
                openedAt: new Date(openedAt).toISOString(),
                deadline: new Date(openedAt + input.timing.voteDays * DAY_MS).toISOString(),
                eligible: prep.eligible,
                recused: prep.recused,
                ballots: [],
              };
            },
            { extra: { diff: prep.diff } },
          );
        } finally {
          forwarding = false;
        }
      }
      return state;
    },
    {
      validator: ({ actor, decision, comment }) =>
        refuseIf(reviewRefusal(guardContext(), actor, { decision, comment })),
    },
  );

  setHandler(
    reviseUpdate,
    async ({ actor, comment, payload, justification }) => {
      await transition(
        'revised',
        actor,
        comment,
        () => {
          state.status = 'demonstration';
          state.round += 1;
        },
        { extra: { revision: { payload, justification } } },
      );
      await hearAffectedUnits();
      return state;
    },
    { validator: ({ actor }) => refuseIf(reviseRefusal(guardContext(), actor)) },
  );

  // ── 3. 审议决定 Committee decision ────────────────────────────────────────────────────────────────
  setHandler(
    voteUpdate,
    async ({ actor, vote, comment }) => {
      const v = state.vote!;
      let counted = tallyVotes(v.eligible.length, v.ballots);
      ballotsInFlight += 1;
      try {
        await transition(
          'voted',
          actor,
          comment ?? null,
          () => {
            v.ballots.push({ memberId: actor.userId, vote, comment, at: now() });
            counted = tallyVotes(v.eligible.length, v.ballots); // the tally as this ballot made it
          },
          { answerBeforeWritten: true },
        );
      } finally {
        ballotsInFlight -= 1;
      }
      const { outcome: _ignored, ...tally } = counted;
      return { tally };
    },
    {
      validator: ({ actor }) => refuseIf(voteRefusal(guardContext(), actor)),
    },
  );

  setHandler(
    closeVoteUpdate,
    async ({ actor, meetingId }) => {
      const v = state.vote!;
      const closedBefore = votesClosed;
      v.closeRequestedBy = actor.username;
      if (meetingId) v.meetingId = meetingId;
      closingChair = actor;
      await condition(() => votesClosed > closedBefore || state.status === 'withdrawn');
      return state;
    },
    {
      validator: ({ actor, meetingId }) => refuseIf(closeVoteRefusal(guardContext(), actor, meetingId)),
    },
  );

  setHandler(
    higherDecisionUpdate,
    async ({ actor, approved, documentNumber, comment }) => {
      await transition(approved ? 'higher_approved' : 'higher_refused', actor, comment, () => {
        state.higherDecision = { approved, documentNumber, comment, by: actor.username, at: now() };
        if (!approved) {
          state.status = 'rejected';
          state.rejection = { stage: 'awaiting_higher_approval', reason: comment };
        } else {
          state.status = 'implementing';
        }
      });
      return state;
    },
    { validator: ({ actor }) => refuseIf(higherDecisionRefusal(guardContext(), actor)) },
  );

  // ── 3'. 审议决定 by the office (编办主任办公会议) ─────────────────────────────────────────────────────
  setHandler(
    decideUpdate,
    async ({ actor, decision, comment }) => {
      const approved = decision === 'approve';
      await transition(approved ? 'office_approved' : 'office_rejected', actor, comment ?? null, () => {
        state.officeDecision = { approved, comment: comment ?? '', by: actor.username, at: now() };
        if (approved) {
          state.status = state.higherApprovalReasons.length ? 'awaiting_higher_approval' : 'implementing';
        } else {
          state.status = 'rejected';
          state.rejection = { stage: 'office_decision', reason: comment! };
        }
      });
      return state;
    },
    {
      validator: ({ actor, decision, comment }) =>
        refuseIf(decideRefusal(guardContext(), actor, { decision, comment })),
    },
  );

  // A stalled step of implementation, retried by the office once its cause is put right.
  setHandler(
    retryUpdate,
    async ({ actor, comment }) => {
      const finishedBefore = attemptsFinished;
      await transition('implementation_retried', actor, comment ?? null, () => {
        state.stalled = undefined;
      });
      await condition(() => attemptsFinished > finishedBefore); // the answer tells whether it went through
      return state;
    },
    { validator: ({ actor }) => refuseIf(retryRefusal(guardContext(), actor)) },
  );

  /**
   * Runs a step of implementation (`attempt`, a bounded activity) until it goes through: each time it fails
   * for good, the request records the stall with its reason and waits for the office's retry.
   */
  async function untilDone<T>(step: StalledStep, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      let failure: ActivityFailure;
      try {
        const done = await attempt();
        attemptsFinished += 1;
        return done;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        failure = err;
      }
      const reason = failure.cause?.message ?? failure.message;
      await transition('implementation_stalled', SYSTEM_ACTOR, `${step}: ${reason}`, () => {
        state.stalled = { reason, at: now(), step };
      });
      attemptsFinished += 1;
      await condition(() => !state.stalled);
      if (batchedTrail) await condition(trail.written); // the retry's record comes before the next attempt
    }
  }

  /**
   * The official document (公文) the outcome calls for: a 批复 or 编制使用通知 once implemented, a 不予批准 notice
   * once refused (docs/domain.md, "Official documents"); issued once, and stalling visibly like implementation.
   * Added after the first histories were recorded: runs without the marker issue none.
   */
  let documentIssued = false;
  async function issueDocument(): Promise<void> {
    if (documentIssued || !['implemented', 'rejected'].includes(state.status)) return;
    documentIssued = true;
    if (!patched('official-documents')) return;
    if (batchedTrail) await condition(trail.written); // the decision's record comes before its document's
    const issued = await untilDone('document', () => {
      state.step += 1;
      return bounded.issueDocument({ requestId, workflowId, runId, step: state.step, state: clone(state) });
    });
    Object.assign(state, stateWithDocument(state, issued));
  }

  const finish = async () => {
    await condition(allHandlersFinished);
    if (batchedTrail) await condition(trail.written);
    await issueDocument();
    await condition(allHandlersFinished); // a retry of the document answers before the run ends
    return state;
  };
  const isOneOf = (...statuses: RequestStatus[]) => statuses.includes(state.status);

  // The procedure itself.
  await condition(() => state.status !== 'draft');
  for (;;) {
    // 论证: wait until the reviewer forwards or rejects, or the clerk withdraws (returns loop inside).
    await condition(() => isOneOf('committee', 'office_decision', 'awaiting_higher_approval', 'rejected', 'withdrawn'));
    if (state.status === 'office_decision') {
      // The office director approves or rejects; the clerk may still withdraw.
      await condition(() => state.status !== 'office_decision');
      if (isOneOf('rejected', 'withdrawn')) return finish();
      break;
    }
    if (state.status === 'awaiting_higher_approval') break; // referred at the forward: too few to vote
    if (state.status !== 'committee') return finish();

    // 审议决定: the vote closes when every eligible member has voted, at its deadline, or by the chair.
    const v: CommitteeVote = state.vote!;
    const allVoted = () => v.ballots.length >= v.eligible.length;
    await condition(
      () => allVoted() || !!v.closeRequestedBy || state.status !== 'committee',
      Math.max(Date.parse(v.deadline) - Date.now(), 1),
    );
    if (state.status !== 'committee') return finish(); // withdrawn during the vote
    await condition(() => ballotsInFlight === 0); // ballots in flight are recorded before the count
    const { outcome, ...tally } = tallyVotes(v.eligible.length, v.ballots);
    const closer = v.closeRequestedBy && !allVoted() ? 'chair' : allVoted() ? 'all_voted' : 'deadline';
    await transition(
      `vote_closed_${outcome.toLowerCase()}`,
      closer === 'chair' && closingChair ? closingChair : SYSTEM_ACTOR,
      closer === 'chair' && v.meetingId ? `closed: meeting ${v.meetingId}` : `closed: ${closer}`,
      () => {
        v.outcome = outcome;
        v.tally = { ...tally };
        v.closedAt = now();
        if (outcome === 'NO_QUORUM') {
          // Back to demonstration for the reviewer to forward to a later vote.
          state.pastVotes.push(v);
          state.vote = undefined;
          state.status = 'demonstration';
        } else if (outcome === 'REJECTED') {
          state.status = 'rejected';
          state.rejection = {
            stage: 'committee',
            reason: `${tally.approve} approvals are not more than half of the ${tally.eligible} eligible members`,
          };
        } else {
          state.status = state.higherApprovalReasons.length ? 'awaiting_higher_approval' : 'implementing';
        }
      },
    );
    votesClosed += 1;
    if (outcome !== 'NO_QUORUM') break;
  }
  const status = (): RequestStatus => state.status; // read afresh: handlers change it meanwhile
  if (status() === 'rejected') return finish();
  if (status() === 'awaiting_higher_approval') {
    // Beyond the county's authority: the higher authority's liaison records its decision.
    await condition(() => status() !== 'awaiting_higher_approval');
    if (status() === 'rejected') return finish();
  }

  // ── 4. 组织实施 Implementation: number and effect in one transaction, exactly once ───────────────
  if (batchedTrail) await condition(trail.written); // the steps before it are in the trail first
  // Added after the first histories were recorded: runs without the marker retry implementation without limit.
  const boundedSteps = patched('bounded-implementation');
  // The activity records this step itself, in the transaction that applies the change. A step number an attempt
  // took and failed with stays unused: the office's retry, and the next attempt, take the following ones.
  const implement = (impl: ChangeRequestActivities['implementChange']) => {
    state.step += 1;
    return impl({ requestId, workflowId, runId, step: state.step, state: clone(state) });
  };
  const result = boundedSteps
    ? await untilDone('implementation', () => implement(bounded.implementChange))
    : await implement(implementChange);
  Object.assign(state, stateAfterImplementation(state, result));
  publishStatus();
  await issueDocument();
  if (state.poolLoan) await watchPoolLoan(state.poolLoan);
  return finish();

  /**
   * 周转池编制 lent until a date: a reminder before it, and at the date the places go back to the pool by
   * themselves.
   */
  async function watchPoolLoan(loan: NonNullable<ProcedureState['poolLoan']>): Promise<void> {
    const due = Date.parse(`${loan.dueDate}T00:00:00+08:00`); // the start of the due day, China Standard Time
    const remindAt = due - input.timing.loanReminderDays * DAY_MS;
    if (remindAt > Date.now()) {
      await sleep(remindAt - Date.now());
      await transition('pool_loan_reminded', SYSTEM_ACTOR, `loan due ${loan.dueDate}`, () => {
        loan.remindedAt = now();
      });
    }
    if (due > Date.now()) await sleep(due - Date.now());
    if (batchedTrail) await condition(trail.written);
    // The loan shows returned once the places are back: an attempt that stalls leaves it outstanding.
    const giveBack = async (activity: ChangeRequestActivities['returnPoolLoans']) => {
      const before = clone(state);
      const returnedAt = now();
      state.step += 1;
      const after = clone(state);
      after.poolLoan!.returnedAt = returnedAt;
      await activity({ requestId, workflowId, runId, step: state.step, before, after });
      loan.returnedAt = returnedAt;
    };
    if (boundedSteps) await untilDone('pool_loan_return', () => giveBack(bounded.returnPoolLoans));
    else await giveBack(returnPoolLoans);
  }
}
