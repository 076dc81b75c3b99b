import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privileges on the audit trail, beside the trigger: no role but the owner may change or remove records. The API
 * and the worker run as a role that is not the owner, which `npm run migrate` grants SELECT and INSERT only on the
 * trail (database-roles.ts), the embedded default too.
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
