import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Committee meetings (编委会会议): the meetings and their agenda items (a request at most on one open meeting: an item
 * without a result is on a meeting not yet closed). The minutes' numbers use the documents' counters (series MINUTES).
 */
export class CommitteeMeetings1764979200000 implements MigrationInterface {
  name = 'CommitteeMeetings1764979200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE meetings (
      id uuid PRIMARY KEY,
      title text NOT NULL,
      held_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'closing', 'closed')),
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      closed_at timestamptz NULL,
      minutes_number text NULL UNIQUE,
      minutes jsonb NULL)`);
    await q.query(`CREATE INDEX meetings_created_idx ON meetings (created_at DESC, id)`);
    await q.query(`CREATE TABLE meeting_items (
      meeting_id uuid NOT NULL REFERENCES meetings (id),
      request_id uuid NOT NULL REFERENCES change_requests (id),
      position int NOT NULL,
      vote_round int NOT NULL,
      result text NULL,
      tally jsonb NULL,
      PRIMARY KEY (meeting_id, request_id),
      UNIQUE (meeting_id, position))`);
    await q.query(`CREATE UNIQUE INDEX meeting_items_one_open_idx ON meeting_items (request_id) WHERE result IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE meeting_items');
    await q.query('DROP TABLE meetings');
  }
}
