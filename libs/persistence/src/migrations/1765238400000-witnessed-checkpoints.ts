import { MigrationInterface, QueryRunner } from 'typeorm';
import { keyIdOf, leafHash, MerkleAccumulator, StoredNode } from '@bianzhi/audit';
import type { HashAlgorithm } from '@bianzhi/audit';

const BATCH = 20_000;

/** Refuses UPDATE, DELETE and TRUNCATE on the table it guards (a superuser can still disable it: witnesses can't). */
async function appendOnly(q: QueryRunner, table: string): Promise<void> {
  await q.query(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION audit_table_append_only()`);
  await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_append_only()`);
  await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC`);
}

/** The stored Merkle tree of the trail as it is (docs/architecture.md), up to its first gap. */
async function buildTree(q: QueryRunner): Promise<void> {
  const [first]: { hash_alg: HashAlgorithm }[] = await q.query('SELECT hash_alg FROM audit_records WHERE seq = 1');
  if (!first) return;
  const tree = new MerkleAccumulator(first.hash_alg);
  for (let after = 0; ;) {
    const rows: { seq: string; hash: string }[] = await q.query(
      `SELECT seq::text AS seq, hash FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT ${BATCH}`,
      [after],
    );
    const nodes: StoredNode[] = [];
    let gap = false;
    for (const r of rows) {
      // A removed record leaves the tree where it was: proofs past it answer 409, as the chain breaks there.
      if (Number(r.seq) !== tree.size + 1) {
        gap = true;
        break;
      }
      nodes.push(...tree.push(leafHash(tree.alg, Buffer.from(r.hash, 'hex'))));
    }
    if (nodes.length)
      await q.query(
        `INSERT INTO audit_tree_nodes (level, idx, hash)
         SELECT l, i, decode(h, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS n(l, i, h)`,
        [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash.toString('hex'))],
      );
    if (gap || rows.length < BATCH) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/**
 * Witnessed checkpoints, the signing key out of the database, and the trail's Merkle tree stored as it grows
 * (docs/domain.md "The audit trail", docs/architecture.md "Checkpoints and witnesses"):
 * - audit_tree_nodes: the hashes of the complete subtrees, written with each record (appendAudit), built here
 *   for the trail as it stands;
 * - audit_public_keys: the public keys checkpoints were signed with, and when each was in force. The private key
 *   leaves the database: a key kept only there is closed now (its checkpoints still verify with its public key)
 *   and the server starts a new one in its key file (AUDIT_SIGNING_KEY_FILE);
 * - audit_checkpoints and audit_checkpoint_witnesses: every signed checkpoint, and each witness's acceptance of it.
 * All append-only as the trail is.
 */
export class WitnessedCheckpoints1765238400000 implements MigrationInterface {
  name = 'WitnessedCheckpoints1765238400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION audit_table_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$`);

    // No append between the tree built here and the writer's first node; appends wait meanwhile.
    await q.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
    await q.query('SET LOCAL statement_timeout = 0');
    await q.query(`CREATE TABLE audit_tree_nodes (
      level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
      idx bigint NOT NULL CHECK (idx >= 0),
      hash bytea NOT NULL,
      PRIMARY KEY (level, idx))`);
    await appendOnly(q, 'audit_tree_nodes');
    await buildTree(q);

    await q.query(`CREATE TABLE audit_public_keys (
      key_id text PRIMARY KEY,
      algorithm text NOT NULL,
      public_key text NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz NULL)`);
    // Only a key's end may be written, once: a rotation closes the key in force.
    await q.query(`CREATE FUNCTION audit_public_keys_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.valid_to IS NULL AND NEW.valid_to IS NOT NULL AND NEW.key_id = OLD.key_id
           AND NEW.algorithm = OLD.algorithm AND NEW.public_key = OLD.public_key AND NEW.valid_from = OLD.valid_from
        THEN RETURN NEW; END IF;
        RAISE EXCEPTION 'audit_public_keys only records the end of a key in force: % refused', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER audit_public_keys_close_only BEFORE UPDATE OR DELETE ON audit_public_keys
      FOR EACH ROW EXECUTE FUNCTION audit_public_keys_close_only()`);
    await q.query(`CREATE TRIGGER audit_public_keys_no_truncate BEFORE TRUNCATE ON audit_public_keys
      FOR EACH STATEMENT EXECUTE FUNCTION audit_table_append_only()`);
    await q.query('REVOKE DELETE, TRUNCATE ON audit_public_keys FROM PUBLIC');
    const old: { algorithm: string; public_key: string; created_at: Date }[] = await q.query(
      'SELECT algorithm, public_key, created_at FROM audit_signing_keys ORDER BY created_at',
    );
    for (const k of old)
      await q.query(
        `INSERT INTO audit_public_keys (key_id, algorithm, public_key, valid_from, valid_to)
         VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING`,
        [keyIdOf(k.public_key), k.algorithm, k.public_key, k.created_at],
      );
    await q.query('DROP TABLE audit_signing_keys');

    await q.query(`CREATE TABLE audit_checkpoints (
      tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
      head_hash text NOT NULL,
      root_hash text NOT NULL,
      hash_alg text NOT NULL,
      signature_alg text NOT NULL,
      key_id text NOT NULL REFERENCES audit_public_keys (key_id),
      public_key text NOT NULL,
      signed_at timestamptz NOT NULL,
      signature text NOT NULL)`);
    await appendOnly(q, 'audit_checkpoints');
    await q.query(`CREATE TABLE audit_checkpoint_witnesses (
      tree_size bigint NOT NULL REFERENCES audit_checkpoints (tree_size),
      witness text NOT NULL,
      witnessed_at timestamptz NOT NULL,
      cosignature jsonb NULL,
      PRIMARY KEY (tree_size, witness))`);
    await q.query(
      'CREATE INDEX audit_checkpoint_witnesses_witness_idx ON audit_checkpoint_witnesses (witness, tree_size)',
    );
    await appendOnly(q, 'audit_checkpoint_witnesses');
  }

  public async down(q: QueryRunner): Promise<void> {
    // The private keys are gone for good: the table comes back empty, and a key is made on first use again.
    await q.query(`CREATE TABLE audit_signing_keys (
      algorithm text PRIMARY KEY,
      public_key text NOT NULL,
      private_key text NOT NULL,
      created_at timestamptz NOT NULL)`);
    for (const t of ['audit_checkpoint_witnesses', 'audit_checkpoints', 'audit_public_keys', 'audit_tree_nodes'])
      await q.query(`DROP TABLE ${t}`);
    await q.query('DROP FUNCTION audit_public_keys_close_only');
    await q.query('DROP FUNCTION audit_table_append_only');
  }
}
