import { EntityManager } from 'typeorm';
import { AuditRecordEntity } from '../../persistence/src/entities';
import { AuditContent, auditHash, configuredHashAlgorithm, GENESIS_HASH } from './audit-chain';

/** Serialises appends so concurrent transitions still make one chain (one sequence, no fork). */
export const AUDIT_LOCK_KEY = 7302;

export type AuditInput = Omit<AuditContent, 'seq' | 'at' | 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'> &
  Partial<Pick<AuditContent, 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'>> & { at?: Date };

/**
 * Appends one record inside the caller's transaction, so the record and the change it records commit
 * together. With a step key, a second append of the same step writes nothing ('already recorded').
 */
export async function appendAudit(em: EntityManager, input: AuditInput): Promise<'appended' | 'already recorded'> {
  const repo = em.getRepository(AuditRecordEntity);
  // The lock first, in a statement of its own: the next statement's snapshot then sees every append before it.
  await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // The head of the chain and, with a step key, whether that step is recorded already: one round trip.
  const [head]: { seq: string | null; hash: string | null; recorded: boolean }[] = await em.query(
    `SELECT h.seq, h.hash, $1::text IS NOT NULL AND EXISTS (SELECT 1 FROM audit_records WHERE step_key = $1) AS recorded
     FROM (SELECT 1) AS one LEFT JOIN (SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1) AS h ON true`,
    [input.stepKey ?? null],
  );
  if (head.recorded) return 'already recorded';
  const seq = head.seq !== null ? String(BigInt(head.seq) + 1n) : '1';
  const prevHash = head.hash ?? GENESIS_HASH;
  const at = new Date(input.at ?? Date.now());
  const content: AuditContent = {
    seq,
    at: at.toISOString(),
    actor: input.actor,
    actorId: input.actorId ?? null,
    role: input.role,
    action: input.action,
    requestId: input.requestId ?? null,
    workflowId: input.workflowId ?? null,
    runId: input.runId ?? null,
    stepKey: input.stepKey ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    comment: input.comment ?? null,
  };
  const hashAlg = configuredHashAlgorithm();
  const record = repo.create({ ...content, at, prevHash, hashAlg, hash: auditHash(content, prevHash, hashAlg) });
  await repo.insert(record);
  return 'appended';
}

/** A record as stored: the entity, or a raw row with the entity's names (seq as text, `at` as ISO text). */
export type StoredAuditRecord = Omit<AuditContent, 'seq' | 'at'> & { seq: string | number; at: Date | string };

/** The stored record as the content its hash covers. */
export function contentOf(r: StoredAuditRecord): AuditContent {
  return {
    seq: String(r.seq),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorId: r.actorId,
    role: r.role,
    action: r.action,
    requestId: r.requestId,
    workflowId: r.workflowId,
    runId: r.runId,
    stepKey: r.stepKey,
    before: r.before ?? null,
    after: r.after ?? null,
    comment: r.comment,
  };
}
