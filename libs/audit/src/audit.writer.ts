import { EntityManager } from 'typeorm';
import { AuditContent, auditBody, auditDigest, configuredHashAlgorithm, GENESIS_HASH } from './audit-chain';

/** Serialises appends so concurrent transitions still make one chain (one sequence, no fork). */
export const AUDIT_LOCK_KEY = 7302;

export type AuditInput = Omit<
  AuditContent,
  'seq' | 'at' | 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'
> &
  Partial<
    Pick<AuditContent, 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'>
  > & { at?: Date };

/**
 * Appends one record inside the caller's transaction, so the record and the change it records commit
 * together. With a step key, a second append of the same step writes nothing ('already recorded').
 */
export async function appendAudit(em: EntityManager, input: AuditInput): Promise<'appended' | 'already recorded'> {
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
  // The hashed text and its hash are all that is written; PostgreSQL generates the other columns from it.
  const body = auditBody(content, prevHash, hashAlg);
  await em.query('INSERT INTO audit_records (body, hash) VALUES ($1, $2)', [body, auditDigest(hashAlg, body)]);
  return 'appended';
}
