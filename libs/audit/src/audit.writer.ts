import { EntityManager } from 'typeorm';
import { AuditRecordEntity } from '../../persistence/src/entities';
import { AuditContent, auditHash, configuredHashAlgorithm, GENESIS_HASH } from './audit-chain';

/** Serialises appends so concurrent transitions still make one chain (one sequence, no fork). */
export const AUDIT_LOCK_KEY = 7302;

export type AuditInput = Omit<AuditContent, 'seq' | 'at' | 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'> &
  Partial<Pick<AuditContent, 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'>> & { at?: Date };

/**
 * Appends one record inside the caller's transaction, so the record and the change it records commit
 * together. With a step key, a second append of the same step returns the first record instead.
 */
export async function appendAudit(em: EntityManager, input: AuditInput): Promise<AuditRecordEntity> {
  const repo = em.getRepository(AuditRecordEntity);
  if (input.stepKey) {
    const existing = await repo.findOne({ where: { stepKey: input.stepKey } });
    if (existing) return existing;
  }
  await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const head: { seq: string; hash: string }[] = await em.query('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1');
  const seq = head.length ? String(BigInt(head[0].seq) + 1n) : '1';
  const prevHash = head.length ? head[0].hash : GENESIS_HASH;
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
  return record;
}

/** The stored record as the content its hash covers. */
export function contentOf(r: AuditRecordEntity): AuditContent {
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
