import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Official documents (公文): each PDF as issued, with its SHA-256 and the facts it was rendered from; one per
 * issuing step (the audit record's step key). Their numbers come from the documents' counters.
 */
export class Documents1765065600000 implements MigrationInterface {
  name = 'Documents1765065600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE documents (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('APPROVAL_REPLY', 'REJECTION_NOTICE', 'QUOTA_USE_NOTICE', 'MINUTES')),
      request_id uuid NULL REFERENCES change_requests (id),
      meeting_id uuid NULL REFERENCES meetings (id),
      document_number text NULL UNIQUE,
      title text NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      fonts text NULL,
      size int NOT NULL,
      content bytea NOT NULL,
      facts jsonb NOT NULL,
      step_key text NOT NULL UNIQUE,
      issued_at timestamptz NOT NULL,
      CHECK ((request_id IS NULL) <> (meeting_id IS NULL)))`);
    await q.query(
      `CREATE INDEX documents_request_idx ON documents (request_id, issued_at) WHERE request_id IS NOT NULL`,
    );
    // A request's outcome calls for one document of its kind, whatever the retries (docs/domain.md).
    await q.query(
      `CREATE UNIQUE INDEX documents_request_kind_idx ON documents (request_id, kind) WHERE request_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX documents_meeting_idx ON documents (meeting_id, issued_at) WHERE meeting_id IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE documents');
  }
}
