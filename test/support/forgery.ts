import { DataSource } from 'typeorm';
import {
  AuditContent,
  auditBody,
  auditDigest,
  GENESIS_HASH,
  HashAlgorithm,
  leafHash,
  leftSiblingsOf,
  nodesCompletedBy,
  RecordSignature,
} from '@bianzhi/audit';

// A forger's tool for the tests of records signed by the application (docs/architecture.md, "Records signed by
// the application"): what whoever holds the database can write, without the key file.

/**
 * Appends a well-formed record as `db`'s role would, with the code of appendAudit at hand but not the key file:
 * under the writer's lock, chained to the head, its digest right, the tree nodes it completes stored with it.
 */
export async function forge(
  db: DataSource,
  sign: (hash: string) => RecordSignature | null,
  written: Partial<AuditContent> = {},
): Promise<number> {
  return db.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(7302)');
    const [head] = await em.query('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1');
    const [first] = await em.query('SELECT hash_alg FROM audit_records WHERE seq = 1');
    const alg: HashAlgorithm = first.hash_alg;
    const seq = Number(head.seq) + 1;
    const content: AuditContent = {
      seq: String(seq),
      at: new Date().toISOString(),
      actor: 'member3',
      actorId: null,
      role: 'committee_member',
      action: 'voted',
      requestId: null,
      workflowId: null,
      runId: null,
      stepKey: null,
      before: null,
      after: { vote: 'approve' },
      comment: null,
      ...written,
    };
    const body = auditBody(content, head.hash ?? GENESIS_HASH, alg);
    const hash = auditDigest(alg, body);
    const siblings = leftSiblingsOf(seq - 1);
    const left: Buffer[] = [];
    for (const n of siblings)
      left.push(
        (await em.query('SELECT hash FROM audit_tree_nodes WHERE level = $1 AND idx = $2', [n.level, n.index]))[0].hash,
      );
    const nodes = nodesCompletedBy(alg, seq - 1, leafHash(alg, Buffer.from(hash, 'hex')), left);
    const signed = sign(hash);
    await em.query('INSERT INTO audit_records (body, hash, signature_key_id, signature) VALUES ($1, $2, $3, $4)', [
      body,
      hash,
      signed?.keyId ?? null,
      signed?.signature ?? null,
    ]);
    for (const n of nodes)
      await em.query('INSERT INTO audit_tree_nodes (level, idx, hash) VALUES ($1, $2, $3)', [n.level, n.index, n.hash]);
    return seq;
  });
}
