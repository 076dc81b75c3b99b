import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the web console needs: the attachments table (bytes in PostgreSQL, with their SHA-256), an index for
 * the consultee's work list (its unit among a request's consultations, by JSON containment), and one for the
 * done list (a user's records in the audit trail, by request).
 */
export class ConsoleWorkLists1764547200000 implements MigrationInterface {
  name = 'ConsoleWorkLists1764547200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE attachments (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES change_requests (id),
      name text NOT NULL,
      content_type text NOT NULL,
      size int NOT NULL,
      sha256 text NOT NULL,
      content bytea NOT NULL,
      uploaded_by uuid NOT NULL,
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX attachments_request_idx ON attachments (request_id, created_at)`);
    await q.query(
      `CREATE INDEX change_requests_consultations_idx ON change_requests
       USING gin ((procedure -> 'consultations') jsonb_path_ops)`,
    );
    await q.query(
      `CREATE INDEX audit_records_actor_request_idx ON audit_records (actor_id, request_id, seq)
       WHERE request_id IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX audit_records_actor_request_idx');
    await q.query('DROP INDEX change_requests_consultations_idx');
    await q.query('DROP TABLE attachments');
  }
}
