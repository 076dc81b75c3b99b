import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security log gets the audit trail's treatment (docs/architecture.md, "Database roles"): the database refuses
 * to change a record, or to remove one younger than the retention period (180 days, by the database's clock, not
 * the application's), whoever asks short of a superuser bypassing triggers. The application's role may only read
 * and append (the grants of `npm run migrate`); its retention job deletes through security_events_purge, which
 * runs as the owner and removes only what is past retention.
 */
export class SecurityLogPrivileges1765324800000 implements MigrationInterface {
  name = 'SecurityLogPrivileges1765324800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION security_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND OLD.at < now() - interval '180 days' THEN RETURN OLD; END IF;
        RAISE EXCEPTION 'security_events is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER security_events_no_update_delete BEFORE UPDATE OR DELETE ON security_events
      FOR EACH ROW EXECUTE FUNCTION security_events_guard()`);
    await q.query(`CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
      FOR EACH STATEMENT EXECUTE FUNCTION security_events_guard()`);
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON security_events FROM PUBLIC');
    // SECURITY DEFINER with a fixed search_path, so that a caller's objects cannot stand in for the log.
    await q.query(`CREATE FUNCTION security_events_purge(before timestamptz) RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE n bigint;
      BEGIN
        DELETE FROM public.security_events WHERE at < least(before, now() - interval '180 days');
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$`);
    await q.query('REVOKE ALL ON FUNCTION security_events_purge(timestamptz) FROM PUBLIC');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION security_events_purge(timestamptz)');
    await q.query('DROP TRIGGER security_events_no_truncate ON security_events');
    await q.query('DROP TRIGGER security_events_no_update_delete ON security_events');
    await q.query('DROP FUNCTION security_events_guard()');
  }
}
