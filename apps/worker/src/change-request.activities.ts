import { DataSource, EntityManager } from 'typeorm';
import {
  decidedBy,
  DEFAULT_OFFICE_DECIDED_TYPES,
  DiffEntry,
  diffRegistry,
  documentSeriesOf,
  eligibleMembers,
  evaluateChange,
  followUpTasks,
  formatDocumentNumber,
  higherApprovalReasons,
  officeDate,
  officeYear,
  poolLoanDueDate,
  ProcedureState,
  returnLoan,
  stateAfterImplementation,
  unitsToHear,
} from '@bianzhi/domain';
import { appendAudit } from '@bianzhi/audit';
import {
  activeCommitteeMembers,
  ChangeRequestEntity,
  ChangeRequestRepository,
  ImplementationRepository,
  PeopleRepository,
  ReadModelChanges,
  RegistryRepository,
  specOf,
  TrailRepository,
} from '@bianzhi/persistence';
import type {
  ChangeRequestActivities,
  ImplementationResult,
  TransitionRecord,
  VotePreparation,
} from '@bianzhi/workflows';
import { ActivityConfig, failingForGood } from './activity-config';
import { createDocumentActivities } from './document.activities';
import {
  createTrailActivities,
  legacyStepKey,
  stepKey,
  stepRecorded,
  TrailProjection,
  writeSteps,
} from './trail.activities';

/** The steps after which the diff voted on is worked out again on today's registry. */
const DIFF_STEPS = ['submitted', 'revised', 'forwarded'];

async function refreshDiff(em: EntityManager, row: ChangeRequestEntity): Promise<object[]> {
  const spec = specOf(row);
  const evaluation = evaluateChange(await new PeopleRepository(em).snapshotFor(spec), spec);
  return evaluation.diff;
}

/**
 * How a change request's steps land in the trail and the read model. Each record carries what the read model
 * shows, so a request can be rebuilt from the trail alone; a retry of steps already committed writes nothing
 * new (the read model only takes a step it has not seen).
 */
export const changeRequestTrail: TrailProjection<TransitionRecord> = {
  async start(em, records) {
    const requests = new ChangeRequestRepository(em);
    // The stored request is read only for the steps that need its content (a revision, a diff to refresh).
    const needsRow = records.some((r) => r.revision || (DIFF_STEPS.includes(r.action) && !r.diff));
    const row = needsRow ? await requests.getById(records[0].requestId) : ({} as ChangeRequestEntity);
    const changes: ReadModelChanges = {};
    return {
      async content(r) {
        if (r.revision?.payload) changes.payload = r.revision.payload;
        if (r.revision?.justification) changes.justification = r.revision.justification;
        const current = { ...row, ...changes } as ChangeRequestEntity;
        const diff = r.diff ?? (DIFF_STEPS.includes(r.action) ? await refreshDiff(em, current) : undefined);
        if (diff) changes.diff = diff;
        const before = r.revision
          ? { procedure: r.before, payload: row.payload, justification: row.justification }
          : r.before;
        const after = {
          ...(r.revision
            ? { procedure: r.after, payload: current.payload, justification: current.justification }
            : r.after),
          ...(diff ? { diff } : {}),
        };
        if (r.revision) Object.assign(row, changes);
        return { before, after };
      },
      finish: (last) => requests.advanceTo(last.requestId, last.step, last.after, changes),
    };
  },
};

/** The activities of the change-request workflow, bound to one database. Each one is idempotent. */
export function createChangeRequestActivities(db: DataSource, config: ActivityConfig): ChangeRequestActivities {
  return {
    async registerRequest(input) {
      await db.transaction(async (em) => {
        const requests = new ChangeRequestRepository(em);
        if (await requests.exists(input.requestId)) return;
        const at = new Date();
        const row = requests.build({
          id: input.requestId,
          workflowId: input.workflowId,
          type: input.type,
          status: 'draft',
          unitId: input.requestingUnitId,
          title: input.draft.title,
          justification: input.draft.justification,
          payload: input.draft.payload,
          newUnitId: input.draft.newUnitId,
          referenceNumber: input.draft.referenceNumber ?? null,
          copyTo: input.draft.copyTo ?? [],
          createdBy: input.createdBy.userId,
          procedure: input.state,
          lastStep: 0,
          createdAt: at,
          updatedAt: at,
        });
        row.diff = await refreshDiff(em, row);
        await requests.insert(row);
        await appendAudit(em, {
          at,
          actor: input.createdBy.username,
          actorId: input.createdBy.userId,
          role: input.createdBy.role,
          action: 'created',
          requestId: input.requestId,
          workflowId: input.workflowId,
          runId: input.runId,
          stepKey: stepKey(input.workflowId, input.runId, 0),
          before: null,
          after: {
            type: input.type,
            unitId: input.requestingUnitId,
            ...input.draft,
            procedure: input.state,
            diff: row.diff,
          },
        });
        // Created and submitted at once: the submission's record and read model in the same transaction, on the
        // diff just worked out.
        if (input.submitted)
          await writeSteps(
            em,
            [{ ...input.submitted, diff: input.submitted.diff ?? (row.diff as DiffEntry[]) }],
            changeRequestTrail,
          );
      });
    },

    ...createTrailActivities(db, changeRequestTrail),
    ...createDocumentActivities(db, config),

    async prepareVote({ requestId }): Promise<VotePreparation> {
      return db.transaction('REPEATABLE READ', async (em) => {
        const row = await new ChangeRequestRepository(em).getById(requestId);
        const spec = specOf(row);
        const snapshot = await new PeopleRepository(em).snapshotFor(spec);
        // The forward checks the rules again, against the registry now (docs/domain.md, "The procedure").
        const evaluation = evaluateChange(snapshot, spec, { today: officeDate(Date.now(), config.utcOffsetHours) });
        const members = await activeCommitteeMembers(em);
        const view = members.map((m) => ({ id: m.id, username: m.username, unitId: m.unitId }));
        const eligible = eligibleMembers(view, row.unitId, evaluation.alteredUnitIds);
        const recused = view.filter((m) => !eligible.includes(m));
        return {
          eligible,
          recused,
          higherApprovalReasons: higherApprovalReasons(snapshot, spec),
          diff: evaluation.diff,
          violations: evaluation.violations,
          decidedBy: decidedBy(snapshot, spec, config.officeDecidedTypes ?? DEFAULT_OFFICE_DECIDED_TYPES),
        };
      });
    },

    async unitsToHear({ requestId }): Promise<string[]> {
      const row = await new ChangeRequestRepository(db.manager).getById(requestId);
      return unitsToHear(await new RegistryRepository(db.manager).snapshot(), specOf(row));
    },

    async returnPoolLoans({ requestId, workflowId, runId, step, before, after }) {
      await failingForGood(() =>
        db.transaction(async (em) => {
          if (await stepRecorded(em, workflowId, runId, step)) return;
          const key = stepKey(workflowId, runId, step);
          const registry = new RegistryRepository(em);
          await registry.lock();
          const snapshot = await registry.snapshot();
          const loans = snapshot.loans.filter((l) => l.requestId === requestId);
          let back = snapshot;
          for (const loan of loans) back = returnLoan(back, loan);
          const at = new Date();
          // The places return even where people still fill them: the unit then shows over quota, for the office to see.
          await registry.writeUnits(snapshot, back, at, { kind: 'loan_return', requestId });
          await registry.endLoans(loans, at);
          await appendAudit(em, {
            at,
            actor: 'system',
            actorId: 'system',
            role: 'system',
            action: 'pool_loan_returned',
            requestId,
            workflowId,
            runId,
            stepKey: key,
            before,
            after: { ...after, returnedLoans: loans, diff: diffRegistry(snapshot, back) },
            comment:
              loans
                .map((l) => `${l.count} ${l.category} from ${snapshot.units[l.unitId]?.name ?? l.unitId}`)
                .join('; ') || 'no outstanding loan',
          });
          await new ChangeRequestRepository(em).setStep(requestId, step, at, after);
        }),
      );
    },

    async implementChange({ requestId, workflowId, runId, step, state }): Promise<ImplementationResult> {
      const result = await failingForGood(() =>
        db.transaction(async (em) => {
          const requests = new ChangeRequestRepository(em);
          const implementations = new ImplementationRepository(em);
          const done = await implementations.findByRequest(requestId);
          if (done) {
            const row = await requests.getById(requestId);
            const loanDueDate = poolLoanDueDate(specOf(row));
            const result: ImplementationResult = {
              ok: true,
              documentNumber: done.documentNumber,
              followUps: done.followUps,
              implementedAt: done.appliedAt.toISOString(),
              ...(loanDueDate ? { loanDueDate } : {}),
            };
            // Applied by an attempt whose answer was lost, then recorded as stalled and retried: the read model
            // follows the workflow to the implemented state.
            if (row.lastStep < step)
              await requests.setStep(requestId, step, done.appliedAt, stateAfterImplementation(state, result), {
                status: 'implemented',
                documentNumber: done.documentNumber,
              });
            return result;
          }
          const key = stepKey(workflowId, runId, step);
          // Refused before (the step is written but nothing was implemented): the same refusal again.
          const trail = new TrailRepository(em);
          const refused =
            (await trail.afterOf<ProcedureState>(key)) ??
            (await trail.afterOf<ProcedureState>(legacyStepKey(workflowId, step)));
          if (refused) return { ok: false, violations: refused.rejection?.rules ?? [] };

          const registry = new RegistryRepository(em);
          await registry.lock();
          const row = await requests.getById(requestId);
          const spec = specOf(row);
          const before = await new PeopleRepository(em).snapshotFor(spec);
          const loanDueDate = poolLoanDueDate(spec);
          const at = new Date();
          const evaluation = evaluateChange(before, spec, { today: officeDate(at.getTime(), config.utcOffsetHours) });
          let result: ImplementationResult;
          if (!evaluation.ok) {
            result = { ok: false, violations: evaluation.violations };
          } else {
            // The number comes from a counter row locked until commit: sequential per year, no gap, no duplicate.
            const year = officeYear(at.getTime(), config.utcOffsetHours);
            const series = documentSeriesOf(row.type, state.decidedBy);
            const n = await implementations.nextDocumentNumber(series, year);
            const documentNumber = formatDocumentNumber(config.officeCode, year, n, series);
            const followUps = followUpTasks(spec, before);
            await registry.writeUnits(before, evaluation.after, at, { kind: 'request', requestId, documentNumber });
            await registry.insertLoans(evaluation.loansCreated, at);
            await registry.endLoans(evaluation.loansEnded, at);
            await registry.moveLoansOfMergedUnits(before, evaluation.after);
            // 实名制: the people the request moves, and those who go with a unit it closes.
            const people = new PeopleRepository(em);
            await people.applyMoves(evaluation.personMoves, evaluation.after.units, at, { requestId, documentNumber });
            await people.followClosedUnits(spec, evaluation.after.units, at, { requestId, documentNumber });
            await implementations.insert({
              requestId,
              documentNumber,
              series,
              year,
              number: n,
              appliedAt: at,
              diff: evaluation.diff,
              followUps,
            });
            // Fault-injection hook for the crash tests: hold the transaction open, effect written but not committed.
            if (config.faultDelayMs) await new Promise((r) => setTimeout(r, config.faultDelayMs));
            result = {
              ok: true,
              documentNumber,
              followUps,
              implementedAt: at.toISOString(),
              ...(loanDueDate ? { loanDueDate } : {}),
            };
          }
          const after = stateAfterImplementation(state, result);
          await appendAudit(em, {
            at,
            actor: 'system',
            actorId: 'system',
            role: 'system',
            action: result.ok ? 'implemented' : 'rejected_at_implementation',
            requestId,
            workflowId,
            runId,
            stepKey: key,
            before: state,
            after: result.ok ? { ...after, diff: evaluation.diff } : after,
            comment: result.ok ? result.documentNumber! : evaluation.violations.map((v) => v.rule).join(', '),
          });
          await requests.setStep(requestId, step, at, after, {
            status: after.status,
            documentNumber: result.documentNumber ?? null,
            ...(result.ok ? { diff: evaluation.diff } : {}),
          });
          return result;
        }),
      );
      // Committed: the trail now holds the implementation, so a checkpoint of it goes to the witnesses.
      config.afterImplementation?.();
      return result;
    },
  };
}
