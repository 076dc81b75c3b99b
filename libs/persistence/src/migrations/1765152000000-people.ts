import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People on the establishment (实名制, docs/domain.md "People on the establishment"): the person, the history of
 * every move, and apart from both the ID number itself, encrypted by the API with a key the database never sees
 * and found by its keyed hash (HMAC).
 */
export class People1765152000000 implements MigrationInterface {
  name = 'People1765152000000';

  public async up(q: QueryRunner): Promise<void> {
    // The ID number, sealed: written when a request or an import first names the person, never changed.
    await q.query(`CREATE TABLE person_identities (
      id_hash text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
      id_number_sealed text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE people (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      id_hash text NOT NULL UNIQUE REFERENCES person_identities (id_hash),
      id_number_masked text NOT NULL,
      status text NOT NULL CHECK (status IN ('on', 'off')),
      unit_id uuid NULL REFERENCES units (id),
      category text NULL,
      since timestamptz NOT NULL,
      CHECK (status = 'off' OR (unit_id IS NOT NULL AND category IS NOT NULL)))`);
    // A unit's people by status and category (the lists, 实名 per category, the counts of a unit).
    await q.query(`CREATE INDEX people_unit_idx ON people (unit_id, status, category)`);
    await q.query(`CREATE INDEX people_name_idx ON people (name)`);
    await q.query(`CREATE TABLE person_events (
      id bigserial PRIMARY KEY,
      person_id uuid NOT NULL REFERENCES people (id),
      at timestamptz NOT NULL,
      action text NOT NULL CHECK (action IN ('IMPORTED', 'ENROLLED', 'DISENROLLED', 'TRANSFERRED', 'MOVED_WITH_UNIT')),
      unit_id uuid NOT NULL,
      category text NOT NULL,
      unit_kind text NOT NULL,
      from_unit_id uuid NULL,
      from_category text NULL,
      from_unit_kind text NULL,
      channel text NULL,
      reason text NULL,
      date date NULL,
      request_id uuid NULL,
      document_number text NULL)`);
    await q.query(`CREATE INDEX person_events_person_idx ON person_events (person_id, id)`);
    await q.query(`CREATE INDEX person_events_at_idx ON person_events (at)`);
    // A request's moves are written once, whatever the retries.
    await q.query(
      `CREATE UNIQUE INDEX person_events_request_idx ON person_events (request_id, person_id, action)
       WHERE request_id IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE person_events');
    await q.query('DROP TABLE people');
    await q.query('DROP TABLE person_identities');
  }
}
