import { EntityManager } from 'typeorm';
import { AuditContent, auditBody, auditDigest, configuredHashAlgorithm, GENESIS_HASH } from './audit-chain';
import { HashAlgorithm, leafHash } from './merkle';
import { leftSiblingsOf, nodesCompletedBy } from './merkle-store';
import { recordSigningKey, signRecord } from './record-signature';

/** Serialises appends so concurrent transitions still make one chain (one sequence, no fork). */
export const AUDIT_LOCK_KEY = 7302;

export type AuditInput = Omit<
  AuditContent,
  'seq' | 'at' | 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'
> &
  Partial<
    Pick<AuditContent, 'stepKey' | 'actorId' | 'requestId' | 'workflowId' | 'runId' | 'before' | 'after' | 'comment'>
  > & {
    at?: Date;
    /** Keys the same step was recorded under before its key took its present form: none of them is written twice. */
    formerStepKeys?: string[];
  };

/**
 * Appends one record inside the caller's transaction, so the record and the change it records commit
 * together. With a step key, a second append of the same step writes nothing ('already recorded').
 */
export async function appendAudit(em: EntityManager, input: AuditInput): Promise<'appended' | 'already recorded'> {
  // The lock first, in a statement of its own: the next statement's snapshot then sees every append before it.
  await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // No key, no record: one the key did not sign would stop every later checkpoint (docs/architecture.md). Read
  // (again, if the file changed: a rotation) under the lock, so that records are signed in the order of the keys:
  // none by a key after the first record its successor signed.
  const key = recordSigningKey();
  // The head of the chain, the Merkle tree's algorithm (that of the first record) and, with a step key, whether
  // that step is recorded already: one round trip.
  const [head]: { seq: string | null; hash: string | null; recorded: boolean; tree_alg: HashAlgorithm | null }[] =
    await em.query(
      `SELECT h.seq, h.hash,
         $1::text IS NOT NULL
           AND EXISTS (SELECT 1 FROM audit_records WHERE step_key = $1 OR step_key = ANY($2::text[])) AS recorded,
         (SELECT hash_alg FROM audit_records WHERE seq = 1) AS tree_alg
       FROM (SELECT 1) AS one LEFT JOIN (SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1) AS h ON true`,
      [input.stepKey ?? null, input.formerStepKeys ?? []],
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
  const hash = auditDigest(hashAlg, body);
  // Signed with the key file's key, which the database does not hold: an append by whoever holds only the
  // database is then told apart (docs/architecture.md, "Records signed by the application").
  const signed = signRecord(key, hash);
  // With it, in the same statement, the Merkle tree's nodes this record completes (merkle-store.ts): the leaf and
  // at most log n parents, from the left siblings already stored.
  const treeAlg = head.tree_alg ?? hashAlg;
  const index = Number(seq) - 1;
  const siblings = leftSiblingsOf(index);
  const left = new Map<number, Buffer>();
  if (siblings.length) {
    const rows: { level: number; hash: Buffer }[] = await em.query(
      `SELECT level, hash FROM audit_tree_nodes
       WHERE (level, idx) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))`,
      [siblings.map((n) => n.level), siblings.map((n) => n.index)],
    );
    for (const r of rows) left.set(Number(r.level), r.hash);
  }
  const leaf = leafHash(treeAlg, Buffer.from(hash, 'hex'));
  const nodes = nodesCompletedBy(
    treeAlg,
    index,
    leaf,
    siblings.map((n) => {
      const h = left.get(n.level);
      if (!h) throw new Error(`the audit trail's Merkle tree lacks node ${n.level}/${n.index}: run the migrations`);
      return h;
    }),
  );
  await em.query(
    `WITH record AS (INSERT INTO audit_records (body, hash, signature_key_id, signature) VALUES ($1, $2, $6, $7))
     INSERT INTO audit_tree_nodes (level, idx, hash)
     SELECT l, i, decode(h, 'hex') FROM unnest($3::smallint[], $4::bigint[], $5::text[]) AS n(l, i, h)`,
    [
      body,
      hash,
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash.toString('hex')),
      signed.keyId,
      signed.signature,
    ],
  );
  return 'appended';
}
