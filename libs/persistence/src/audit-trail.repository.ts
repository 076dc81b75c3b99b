import { EntityManager } from 'typeorm';
import {
  AcknowledgedRecord,
  acknowledgedRecordsOf,
  auditDigest,
  AUDIT_LOCK_KEY,
  FORGED_RECORDS_ACKNOWLEDGED,
  rotationOf,
  SIGNING_KEY_ROTATED,
  HashAlgorithm,
  leafHash,
  NodeId,
  nodesRead,
  RecordAuthenticator,
  RecordOutcome,
  StoredNode,
  StoredTree,
  treeOver,
} from '@bianzhi/audit';
import {
  AUDIT_VERIFY_RANGE,
  AuditVerification,
  ExpectedCheckpoint,
  SignatureScope,
  verifyAuditTrail,
} from './audit-verification';
import { AuditRecordEntity } from './entities';

// The audit trail's reads for auditors (docs/architecture.md: repositories own the SQL): listing, the stored
// Merkle tree and head, the public keys checkpoints are signed with, verification. Appending is libs/audit's
// appendAudit, inside the writer's transaction.

/** A public key the server signed checkpoints with, and when it was in force (valid_to null: in force now). */
export interface AuditPublicKey {
  keyId: string;
  algorithm: string;
  publicKey: string;
  validFrom: Date;
  validTo: Date | null;
}

/** Records read per query when their signatures are checked before a checkpoint. */
const SIGNATURE_CHECK_BATCH = 5_000;

/** Serialises key rotations (an API and a worker starting with a new key file together). */
const KEY_LOCK = 7304;

/** Which records to list: each bound optional, seq order, at most `limit`. */
export interface AuditRecordFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  requestId?: string;
  /** One action (submitted, voted, document_issued, …). */
  action?: string;
  afterSeq?: number;
  limit: number;
}

export class AuditTrailRepository {
  constructor(private readonly em: EntityManager) {}

  list(f: AuditRecordFilter): Promise<AuditRecordEntity[]> {
    const qb = this.em.getRepository(AuditRecordEntity).createQueryBuilder('a').orderBy('a.seq', 'ASC').take(f.limit);
    if (f.from) qb.andWhere('a.at >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.at <= :to', { to: f.to });
    if (f.actor) qb.andWhere('a.actor = :actor', { actor: f.actor });
    if (f.requestId) qb.andWhere('a.request_id = :rid', { rid: f.requestId });
    if (f.action) qb.andWhere('a.action = :action', { action: f.action });
    if (f.afterSeq !== undefined) qb.andWhere('a.seq > :after', { after: f.afterSeq });
    return qb.getMany();
  }

  /** A request's records, in seq order. */
  recordsOfRequest(requestId: string): Promise<AuditRecordEntity[]> {
    return this.em.getRepository(AuditRecordEntity).find({ where: { requestId }, order: { seq: 'ASC' } });
  }

  /** Takes appendAudit's lock for the rest of the transaction: no record is appended meanwhile but this one's. */
  async lockAppends(): Promise<void> {
    await this.em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  }

  /** The trail's size: its highest seq (0 when empty). */
  async size(): Promise<number> {
    const [{ n }] = await this.em.query('SELECT coalesce(max(seq), 0)::bigint AS n FROM audit_records');
    return Number(n);
  }

  /** The stored hashes of the records up to `treeSize`, in seq order (fewer than treeSize when seqs are missing). */
  async hashesUpTo(treeSize: number): Promise<string[]> {
    const rows: { hash: string }[] = await this.em.query(
      'SELECT hash FROM audit_records WHERE seq <= $1 ORDER BY seq',
      [treeSize],
    );
    return rows.map((r) => r.hash);
  }

  /** The stored hash of record `seq`, if there is one. */
  async hashAt(seq: number): Promise<string | undefined> {
    const rows: { hash: string }[] = await this.em.query('SELECT hash FROM audit_records WHERE seq = $1', [seq]);
    return rows[0]?.hash;
  }

  /** The Merkle tree's hash algorithm: the first record's (undefined while the trail is empty). */
  async treeAlgorithm(): Promise<HashAlgorithm | undefined> {
    const rows: { hash_alg: HashAlgorithm }[] = await this.em.query('SELECT hash_alg FROM audit_records WHERE seq = 1');
    return rows[0]?.hash_alg;
  }

  /** Stored nodes of the Merkle tree (merkle-store.ts); those not stored are left out. */
  async treeNodes(ids: NodeId[]): Promise<StoredNode[]> {
    if (!ids.length) return [];
    const rows: { level: number; idx: string; hash: Buffer }[] = await this.em.query(
      `SELECT level, idx, hash FROM audit_tree_nodes
       WHERE (level, idx) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))`,
      [ids.map((n) => n.level), ids.map((n) => n.index)],
    );
    return rows.map((r) => ({ level: Number(r.level), index: Number(r.idx), hash: r.hash }));
  }

  /**
   * Runs a computation (roots, proofs) over the stored tree with the nodes it reads fetched in one query: O(log n)
   * nodes per root or proof, however long the trail. Throws MissingTreeNode where a node is not stored.
   */
  async overTree<T>(alg: HashAlgorithm, run: (tree: StoredTree) => T): Promise<T> {
    return run(treeOver(alg, await this.treeNodes(nodesRead(alg, run))));
  }

  /** Every public key checkpoints were signed with, oldest first. */
  async publicKeys(): Promise<AuditPublicKey[]> {
    const rows: { key_id: string; algorithm: string; public_key: string; valid_from: Date; valid_to: Date | null }[] =
      await this.em.query(
        'SELECT key_id, algorithm, public_key, valid_from, valid_to FROM audit_public_keys ORDER BY valid_from, key_id',
      );
    return rows.map((r) => ({
      keyId: r.key_id,
      algorithm: r.algorithm,
      publicKey: r.public_key,
      validFrom: r.valid_from,
      validTo: r.valid_to,
    }));
  }

  /**
   * Publishes the key file's keys (the first its own, then its predecessors): each new one inserted with the
   * validity the file gives it (its start, else now()), a predecessor still in force here closed at its handover;
   * `onNewOwn` runs in the same transaction when the own key is new here (a rotation's record). Under a lock, so
   * that the API and the workers publish a key once. The private key never reaches the database; nothing here is
   * trusted (docs/architecture.md, "Which keys are trusted").
   */
  async recordPublicKeys(
    keys: { keyId: string; algorithm: string; publicKey: string; validFrom: Date | null; validTo: Date | null }[],
    onNewOwn: (em: EntityManager) => Promise<void> = async () => undefined,
  ): Promise<void> {
    await this.em.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      for (const [i, k] of keys.entries()) {
        const inserted: unknown[] = await em.query(
          `INSERT INTO audit_public_keys (key_id, algorithm, public_key, valid_from, valid_to)
           VALUES ($1, $2, $3, coalesce($4, now()), $5) ON CONFLICT (key_id) DO NOTHING RETURNING key_id`,
          [k.keyId, k.algorithm, k.publicKey, k.validFrom, k.validTo],
        );
        if (!inserted.length && k.validTo)
          await em.query('UPDATE audit_public_keys SET valid_to = $2 WHERE key_id = $1 AND valid_to IS NULL', [
            k.keyId,
            k.validTo,
          ]);
        if (i === 0 && inserted.length) await onNewOwn(em);
      }
    });
  }

  /**
   * Recomputes the chain (see verifyAuditTrail), on a connection of its own, and the Merkle root at each expected
   * checkpoint's size.
   */
  verify(
    range = AUDIT_VERIFY_RANGE,
    checkpoints: ExpectedCheckpoint[] = [],
    signatures?: SignatureScope,
  ): Promise<AuditVerification> {
    return verifyAuditTrail(this.em.connection, range, checkpoints, signatures);
  }

  /** The first seq whose record must be signed (migration 1765411200000); 1, every record, if the row is gone. */
  async signingHorizon(): Promise<number> {
    const rows: { signed_from: string }[] = await this.em.query('SELECT signed_from FROM audit_signature_horizon');
    return rows.length ? Number(rows[0].signed_from) : 1;
  }

  /**
   * Notes in `auth` every record in (after, upTo] that is not the application's: unsigned, badly signed, or whose
   * stored hash is not its body's digest or whose stored leaf is not its hash's (what a checkpoint would sign over).
   * A batch of records at a time.
   */
  async checkRecords(auth: RecordAuthenticator, treeAlg: HashAlgorithm, after: number, upTo: number): Promise<void> {
    for (let from = after; from < upTo;) {
      const rows: CheckedRow[] = await this.em.query(
        `${CHECKED_ROWS} WHERE r.seq > $1 AND r.seq <= $2 ORDER BY r.seq LIMIT ${SIGNATURE_CHECK_BATCH}`,
        [from, upTo],
      );
      if (!rows.length) return;
      for (const r of rows) noteRow(auth, treeAlg, r);
      from = Number(rows[rows.length - 1].seq);
    }
  }

  /** checkRecords for the records of these seqs: what each one is (a seq missing from the answer has no record). */
  async checkRecordsAt(
    auth: RecordAuthenticator,
    treeAlg: HashAlgorithm,
    seqs: number[],
  ): Promise<Map<number, { hash: string; outcome: RecordOutcome }>> {
    const rows: CheckedRow[] = await this.em.query(`${CHECKED_ROWS} WHERE r.seq = ANY($1::bigint[]) ORDER BY r.seq`, [
      seqs,
    ]);
    return new Map(rows.map((r) => [Number(r.seq), { hash: r.hash, outcome: noteRow(auth, treeAlg, r) }]));
  }

  /**
   * The acknowledgements (FORGED_RECORDS_ACKNOWLEDGED) in (after, upTo] that are the application's records (intact
   * and signed by a key `auth` trusts), with the records each names: one a forger inserted is left out.
   */
  async acknowledgementsIn(
    auth: RecordAuthenticator,
    after: number,
    upTo: number,
  ): Promise<{ seq: number; records: AcknowledgedRecord[] }[]> {
    return (await this.keyEvents(auth, FORGED_RECORDS_ACKNOWLEDGED, after, upTo)).flatMap(({ seq, after: a }) => {
      const records = acknowledgedRecordsOf(a);
      return records ? [{ seq, records }] : [];
    });
  }

  /** The rotation records in (after, upTo] that are the application's: which key handed over to which, where. */
  async rotationsIn(
    auth: RecordAuthenticator,
    after: number,
    upTo: number,
  ): Promise<{ seq: number; from: string; to: string }[]> {
    return (await this.keyEvents(auth, SIGNING_KEY_ROTATED, after, upTo)).flatMap(({ seq, after: a }) => {
      const rotation = rotationOf(a);
      return rotation ? [{ seq, ...rotation }] : [];
    });
  }

  /**
   * The records of one action in (after, upTo] (an index of their own), each intact and signed by a trusted key
   * (one a forger inserted with that action counts for nothing), with their `after` read from the body, which the
   * digest covers (the generated column could have been altered).
   */
  private async keyEvents(
    auth: RecordAuthenticator,
    action: typeof FORGED_RECORDS_ACKNOWLEDGED | typeof SIGNING_KEY_ROTATED,
    after: number,
    upTo: number,
  ): Promise<{ seq: number; after: unknown }[]> {
    // The action written into the statement (one of the two constants), not bound: the planner then sees the
    // partial index's predicate hold (migration 1765584000000) whatever plan it caches.
    if (action !== FORGED_RECORDS_ACKNOWLEDGED && action !== SIGNING_KEY_ROTATED) throw new Error(`not a key event`);
    const rows: Omit<CheckedRow, 'leaf'>[] = await this.em.query(
      `SELECT seq, hash, hash_alg, body, at, signature_key_id, signature FROM audit_records
       WHERE action = '${action}' AND seq > $1 AND seq <= $2 ORDER BY seq`,
      [after, upTo],
    );
    const out: { seq: number; after: unknown }[] = [];
    for (const r of rows) {
      const intact = (r.hash_alg === 'sha256' || r.hash_alg === 'sm3') && auditDigest(r.hash_alg, r.body) === r.hash;
      if (intact && !auth.check(Number(r.seq), r.hash, r.at.getTime(), r.signature_key_id, r.signature))
        out.push({ seq: Number(r.seq), after: (JSON.parse(r.body) as { after?: unknown }).after });
    }
    return out;
  }
}

/** A record as checkRecords reads it: with its stored Merkle leaf. */
interface CheckedRow {
  seq: string;
  hash: string;
  hash_alg: HashAlgorithm;
  body: string;
  at: Date;
  signature_key_id: string | null;
  signature: string | null;
  leaf: Buffer | null;
}

const CHECKED_ROWS = `SELECT r.seq, r.hash, r.hash_alg, r.body, r.at, r.signature_key_id, r.signature, n.hash AS leaf
  FROM audit_records r LEFT JOIN audit_tree_nodes n ON n.level = 0 AND n.idx = r.seq - 1`;

function noteRow(auth: RecordAuthenticator, treeAlg: HashAlgorithm, r: CheckedRow): RecordOutcome {
  const intact =
    (r.hash_alg === 'sha256' || r.hash_alg === 'sm3') &&
    auditDigest(r.hash_alg, r.body) === r.hash &&
    !!r.leaf?.equals(leafHash(treeAlg, Buffer.from(r.hash, 'hex')));
  return auth.note(Number(r.seq), r.hash, r.at.getTime(), r.signature_key_id, r.signature, intact);
}
