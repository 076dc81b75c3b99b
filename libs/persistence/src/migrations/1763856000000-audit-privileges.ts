import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privileges on the audit trail, beside the trigger: no role but the owner may change or remove records. In
 * production run the API and the worker as a role that is not the owner, granted INSERT and SELECT only
 * (`GRANT SELECT, INSERT ON audit_records TO bianzhi_app`); the embedded default runs as the owner.
 */
export class AuditPrivileges1763856000000 implements MigrationInterface {
  name = 'AuditPrivileges1763856000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON audit_records FROM PUBLIC');
  }

  public async down(): Promise<void> {
    // Nothing to give back: PUBLIC never had these privileges by design.
  }
}
