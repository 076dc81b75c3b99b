import { MigrationInterface, QueryRunner } from 'typeorm';
import { auditBody, contentOf, StoredAuditRecord } from '@bianzhi/audit';
import type { HashAlgorithm } from '@bianzhi/audit';
import { auditDerivedColumnsSql } from '../audit-columns';

const COPY_BATCH = 5_000;

/** The privileges granted on the trail (an operator's GRANT to the application's role), to give again. */
async function grantsOnTrail(q: QueryRunner): Promise<string[]> {
  const rows: { grant: string }[] = await q.query(
    `
    SELECT format('GRANT %s ON audit_records TO %s', g.privilege_type, ` +
      `CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE g.grantee::regrole::text END) AS grant
    FROM pg_class c, aclexplode(c.relacl) g
    WHERE c.oid = 'audit_records'::regclass AND g.grantee <> c.relowner`,
  );
  return rows.map((r) => r.grant);
}

/** Replaces the trail by a table of the same records, keeping its guards and the privileges granted on it. */
async function swapTrail(q: QueryRunner, replacement: string): Promise<void> {
  const grants = await grantsOnTrail(q);
  await q.query(`DROP TABLE audit_records`);
  await q.query(`ALTER TABLE ${replacement} RENAME TO audit_records`);
  await guardTrail(q);
  for (const grant of grants) await q.query(grant);
}

/** The trail's constraints, indexes, triggers and privileges, as the earlier migrations made them. */
async function guardTrail(q: QueryRunner): Promise<void> {
  await q.query(`ALTER TABLE audit_records ADD CONSTRAINT audit_records_pkey PRIMARY KEY (seq)`);
  await q.query(`ALTER TABLE audit_records ADD CONSTRAINT audit_records_step_key_key UNIQUE (step_key)`);
  await q.query(`CREATE INDEX audit_records_request_idx ON audit_records (request_id, seq)`);
  await q.query(`CREATE INDEX audit_records_at_idx ON audit_records (at)`);
  await q.query(`CREATE INDEX audit_records_actor_idx ON audit_records (actor, seq)`);
  await q.query(`CREATE TRIGGER audit_records_no_update_delete BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()`);
  await q.query(`CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only()`);
  await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON audit_records FROM PUBLIC');
}

/**
 * Each audit record is kept as the very text its hash covers, and the other columns are generated from it
 * (see audit-columns.ts): verification hashes stored bytes instead of rebuilding the text from fifteen
 * columns, and a column can no longer disagree with what was hashed. Existing records get their body
 * rebuilt from their columns exactly as their hash was computed, so a record altered before this migration
 * still fails verification after it.
 */
export class AuditStoredBody1764028800000 implements MigrationInterface {
  name = 'AuditStoredBody1764028800000';

  public async up(q: QueryRunner): Promise<void> {
    // No append may land between the copy and the swap (a worker can be running while the API migrates);
    // appends wait meanwhile (≈ 0.15 ms a record to copy). Indexing a long trail may outlast the pool's
    // statement timeout, which is meant for requests: lifted for this transaction only.
    await q.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
    await q.query('SET LOCAL statement_timeout = 0');
    // Generated columns need immutable expressions: an ISO 8601 text with its `Z` reads the same instant
    // whatever the session's TimeZone or DateStyle, which is what IMMUTABLE promises here.
    await q.query(
      'CREATE FUNCTION audit_instant(iso text) RETURNS timestamptz ' +
        `LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT (iso::timestamp) AT TIME ZONE 'UTC' $$`,
    );
    await q.query(`CREATE TABLE audit_records_stored (
      body text NOT NULL,
      hash text NOT NULL,
      ${auditDerivedColumnsSql()})`);
    let after = '0';
    for (;;) {
      const rows: (StoredAuditRecord & { seq: string; prevHash: string; hashAlg: HashAlgorithm; hash: string })[] =
        await q.query(
          `SELECT seq::text AS seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, ` +
            `actor, actor_id AS "actorId", role, action,
                request_id AS "requestId", workflow_id AS "workflowId", run_id AS "runId", ` +
            `step_key AS "stepKey", before, after, comment,
                prev_hash AS "prevHash", hash_alg AS "hashAlg", hash
         FROM audit_records WHERE audit_records.seq > $1 ORDER BY audit_records.seq LIMIT ${COPY_BATCH}`,
          [after],
        );
      if (!rows.length) break;
      await q.query(`INSERT INTO audit_records_stored (body, hash) SELECT * FROM unnest($1::text[], $2::text[])`, [
        rows.map((r) => auditBody(contentOf(r), r.prevHash, r.hashAlg)),
        rows.map((r) => r.hash),
      ]);
      after = rows[rows.length - 1].seq;
    }
    await swapTrail(q, 'audit_records_stored');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
    await q.query('SET LOCAL statement_timeout = 0');
    await q.query(`CREATE TABLE audit_records_plain (
      seq bigint NOT NULL,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      actor_id text NULL,
      role text NOT NULL,
      action text NOT NULL,
      request_id uuid NULL,
      workflow_id text NULL,
      run_id text NULL,
      step_key text NULL,
      before jsonb NULL,
      after jsonb NULL,
      comment text NULL,
      prev_hash text NOT NULL,
      hash_alg text NOT NULL DEFAULT 'sha256',
      hash text NOT NULL)`);
    await q.query(
      `INSERT INTO audit_records_plain
      SELECT seq, at, actor, actor_id, role, action, request_id, workflow_id, run_id, step_key, ` +
        `before, after, comment, prev_hash, hash_alg, hash
      FROM audit_records ORDER BY seq`,
    );
    await swapTrail(q, 'audit_records_plain');
    await q.query(`DROP FUNCTION audit_instant`);
  }
}
