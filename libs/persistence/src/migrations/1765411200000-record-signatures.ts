import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each audit record signed by the application (docs/architecture.md, "Records signed by the application"):
 * - audit_records.signature_key_id and .signature: the key file's signature over the record's hash, written by
 *   appendAudit; null for the records before this migration, which the checkpoints signed before it cover;
 * - audit_signature_horizon: one row, the first seq that must be signed (the trail's size here + 1), never updated;
 * - audit_public_keys: a key the application's role inserts is recorded as starting now (the database's time) and in
 *   force, whatever the insert says (the owner's, a restore's, as written), so that a key added by whoever holds
 *   that role can never pass for a predecessor of the key file's key (trustedRecordKeys).
 */
export class RecordSignatures1765411200000 implements MigrationInterface {
  name = 'RecordSignatures1765411200000';

  public async up(q: QueryRunner): Promise<void> {
    // No append between the horizon read here and the columns the writer fills.
    await q.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
    await q.query(`ALTER TABLE audit_records
      ADD COLUMN signature_key_id text NULL,
      ADD COLUMN signature text NULL,
      ADD CONSTRAINT audit_records_signature_whole CHECK ((signature_key_id IS NULL) = (signature IS NULL))`);
    await q.query(`CREATE TABLE audit_signature_horizon (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      signed_from bigint NOT NULL CHECK (signed_from >= 1),
      set_at timestamptz NOT NULL DEFAULT now())`);
    // Never updated; the application's role may not delete it (its grants), the owner may (a restore replaces it).
    await q.query(`CREATE TRIGGER audit_signature_horizon_no_update BEFORE UPDATE ON audit_signature_horizon
      FOR EACH ROW EXECUTE FUNCTION audit_table_append_only()`);
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON audit_signature_horizon FROM PUBLIC');
    await q.query(
      'INSERT INTO audit_signature_horizon (signed_from) SELECT coalesce(max(seq), 0) + 1 FROM audit_records',
    );
    await q.query(`CREATE FUNCTION audit_public_keys_start_now() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The owner (a restore, npm run migrate) writes keys as they were; the application's role never does.
        IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
          RETURN NEW;
        END IF;
        IF NEW.valid_to IS NOT NULL THEN
          RAISE EXCEPTION 'audit_public_keys: a key is recorded in force (valid_to is written when it is closed)';
        END IF;
        NEW.valid_from := now();
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_public_keys_start_now BEFORE INSERT ON audit_public_keys
      FOR EACH ROW EXECUTE FUNCTION audit_public_keys_start_now()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER audit_public_keys_start_now ON audit_public_keys');
    await q.query('DROP FUNCTION audit_public_keys_start_now');
    await q.query('DROP TABLE audit_signature_horizon');
    await q.query(`ALTER TABLE audit_records DROP CONSTRAINT audit_records_signature_whole,
      DROP COLUMN signature, DROP COLUMN signature_key_id`);
  }
}
