import { DataSource, EntityManager } from 'typeorm';
import { appendAudit } from '@bianzhi/audit';
import { TrailRepository } from '@bianzhi/persistence';

// The procedure kit's trail activities (全程留痕), for any workflow built on workflows/src/kit/trail.ts: a
// batch of steps written in order, one audit record each, and the workflow's read model brought to the last,
// in one transaction. Idempotent: appendAudit keeps the first record of a step key (`workflowId:step`), and
// the projection only takes a step it has not seen. See docs/architecture.md.

/** A step as the workflow's trail hands it over. */
export interface TrailStepRecord {
  workflowId: string;
  runId: string;
  step: number;
  action: string;
  actor: { userId: string; username: string; role: string };
  comment?: string | null;
  /** The request the step belongs to, when the procedure is a request's. */
  requestId?: string;
}

/**
 * The key of a step's audit record: the run's id in it, so that the steps of a run reset or continued from another
 * are recorded as their own, not taken for the earlier run's (docs/architecture.md, "How a request flows").
 */
export const stepKey = (workflowId: string, runId: string, step: number) => `${workflowId}:${runId}:${step}`;

/** The key steps had before the run's id was part of it: a step of a run in flight then is recorded under it. */
export const legacyStepKey = (workflowId: string, step: number) => `${workflowId}:${step}`;

/** Whether the step is recorded, under its key or the one it had before the run's id was part of it. */
export async function stepRecorded(em: EntityManager, workflowId: string, runId: string, step: number) {
  const trail = new TrailRepository(em);
  return (await trail.hasStep(stepKey(workflowId, runId, step))) || trail.hasStep(legacyStepKey(workflowId, step));
}

/** How one workflow's steps land: what each audit record holds, and the read model after the batch. */
export interface TrailProjection<R extends TrailStepRecord> {
  /** Starts a batch, in its transaction (e.g. reads what the steps need). */
  start(em: EntityManager, records: R[]): Promise<TrailBatch<R>>;
}

export interface TrailBatch<R extends TrailStepRecord> {
  /** The record's content before and after the step, in order of the steps. */
  content(r: R): Promise<{ before: unknown; after: unknown }>;
  /** Brings the read model to the last step of the batch. */
  finish(last: R): Promise<void>;
}

/** Writes the steps' audit records in order and the projection's read model, in the caller's transaction. */
export async function writeSteps<R extends TrailStepRecord>(
  em: EntityManager,
  records: R[],
  projection: TrailProjection<R>,
): Promise<void> {
  if (!records.length) return;
  const batch = await projection.start(em, records);
  for (const r of records) {
    const { before, after } = await batch.content(r);
    await appendAudit(em, {
      actor: r.actor.username,
      actorId: r.actor.userId,
      role: r.actor.role,
      action: r.action,
      requestId: r.requestId,
      workflowId: r.workflowId,
      runId: r.runId,
      stepKey: stepKey(r.workflowId, r.runId, r.step),
      formerStepKeys: [legacyStepKey(r.workflowId, r.step)],
      before,
      after,
      comment: r.comment ?? null,
    });
  }
  await batch.finish(records[records.length - 1]);
}

/** The two trail activities a kit workflow proxies: one step (histories before batching), or a batch. */
export function createTrailActivities<R extends TrailStepRecord>(db: DataSource, projection: TrailProjection<R>) {
  return {
    /** Writes one audit record and mirrors the state into the read model, in one transaction. */
    async recordTransition(r: R): Promise<void> {
      await db.transaction((em) => writeSteps(em, [r], projection));
    },
    /** Writes several steps' audit records, in order, and the read model at the last, in one transaction. */
    async recordTransitions(records: R[]): Promise<void> {
      await db.transaction((em) => writeSteps(em, records, projection));
    },
  };
}
