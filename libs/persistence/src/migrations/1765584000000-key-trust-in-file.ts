import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which keys sign the trail is said by the key file, not the database (docs/architecture.md, "Which keys are
 * trusted"): audit_public_keys only publishes the file's keys with the validity the file gives them. The trigger
 * that made every key the application's role inserted start now() and in force (so that it could not pass for a
 * predecessor while trust came from this table) would now refuse that publication, so it goes. The records that
 * bound keys and records (rotations, acknowledgements) are read at every checkpoint: an index of their own.
 */
export class KeyTrustInFile1765584000000 implements MigrationInterface {
  name = 'KeyTrustInFile1765584000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER audit_public_keys_start_now ON audit_public_keys');
    await q.query('DROP FUNCTION audit_public_keys_start_now');
    await q.query(`CREATE INDEX audit_records_key_events_idx ON audit_records (action, seq)
      WHERE action IN ('audit_signing_key_rotated', 'forged_records_acknowledged')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX audit_records_key_events_idx');
    await q.query(`CREATE FUNCTION audit_public_keys_start_now() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
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
}
