import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      display_name text NOT NULL,
      roles text[] NOT NULL DEFAULT '{}',
      unit_id uuid NULL,
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);

    await q.query(`CREATE TABLE units (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      grade text NOT NULL,
      parent_id uuid NULL,
      funding text NULL,
      credit_code text NULL,
      status text NOT NULL DEFAULT 'active',
      merged_into uuid NULL,
      quotas jsonb NOT NULL,
      occupied jsonb NOT NULL,
      pending jsonb NOT NULL,
      loaned jsonb NOT NULL,
      leadership_posts jsonb NOT NULL,
      sections jsonb NOT NULL,
      name_plates jsonb NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX units_name_idx ON units (name)`);
    await q.query(`CREATE INDEX units_kind_idx ON units (kind)`);
    await q.query(`CREATE INDEX units_status_idx ON units (status)`);

    await q.query(`CREATE TABLE unit_versions (
      id bigserial PRIMARY KEY,
      unit_id uuid NOT NULL REFERENCES units(id),
      valid_from timestamptz NOT NULL,
      valid_to timestamptz NULL,
      state jsonb NOT NULL,
      request_id uuid NULL,
      document_number text NULL,
      cause text NOT NULL)`);
    await q.query(`CREATE INDEX unit_versions_unit_from_idx ON unit_versions (unit_id, valid_from)`);
    await q.query(`CREATE INDEX unit_versions_period_idx ON unit_versions (valid_from, valid_to)`);

    await q.query(`CREATE TABLE establishment_totals (
      id bigserial PRIMARY KEY,
      year int NOT NULL,
      totals jsonb NOT NULL,
      pool_size jsonb NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz NULL)`);
    await q.query(`CREATE INDEX establishment_totals_from_idx ON establishment_totals (valid_from)`);

    await q.query(`CREATE TABLE pool_loans (
      id bigserial PRIMARY KEY,
      request_id uuid NOT NULL,
      unit_id uuid NOT NULL REFERENCES units(id),
      category text NOT NULL,
      count int NOT NULL CHECK (count > 0),
      due_date date NOT NULL,
      lent_at timestamptz NOT NULL,
      returned_at timestamptz NULL)`);
    // A merge can bring two loans of one request to the same unit: they stay separate rows.
    await q.query(`CREATE INDEX pool_loans_request_idx ON pool_loans (request_id, unit_id, category)`);
    await q.query(`CREATE INDEX pool_loans_outstanding_idx ON pool_loans (due_date) WHERE returned_at IS NULL`);

    await q.query(`CREATE TABLE document_number_counters (year int PRIMARY KEY, last_number int NOT NULL)`);

    await q.query(`CREATE TABLE implementations (
      request_id uuid PRIMARY KEY,
      document_number text NOT NULL UNIQUE,
      year int NOT NULL,
      number int NOT NULL,
      applied_at timestamptz NOT NULL,
      diff jsonb NOT NULL,
      follow_ups jsonb NOT NULL,
      UNIQUE (year, number))`);

    await q.query(`CREATE TABLE change_requests (
      id uuid PRIMARY KEY,
      workflow_id text NOT NULL UNIQUE,
      type text NOT NULL,
      status text NOT NULL,
      unit_id uuid NOT NULL,
      title text NOT NULL,
      justification text NOT NULL,
      payload jsonb NOT NULL,
      new_unit_id uuid NULL,
      created_by uuid NOT NULL,
      diff jsonb NOT NULL DEFAULT '[]',
      procedure jsonb NOT NULL DEFAULT '{}',
      document_number text NULL,
      last_step int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX change_requests_status_idx ON change_requests (status, created_at DESC)`);
    await q.query(`CREATE INDEX change_requests_unit_idx ON change_requests (unit_id, created_at DESC)`);
    await q.query(`CREATE INDEX change_requests_type_idx ON change_requests (type, created_at DESC)`);
    await q.query(`CREATE INDEX change_requests_created_idx ON change_requests (created_at DESC)`);

    await q.query(`CREATE TABLE audit_records (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      actor_id text NULL,
      role text NOT NULL,
      action text NOT NULL,
      request_id uuid NULL,
      workflow_id text NULL,
      run_id text NULL,
      step_key text NULL UNIQUE,
      before jsonb NULL,
      after jsonb NULL,
      comment text NULL,
      prev_hash text NOT NULL,
      hash_alg text NOT NULL DEFAULT 'sha256',
      hash text NOT NULL)`);
    await q.query(`CREATE INDEX audit_records_request_idx ON audit_records (request_id, seq)`);
    await q.query(`CREATE INDEX audit_records_at_idx ON audit_records (at)`);
    await q.query(`CREATE INDEX audit_records_actor_idx ON audit_records (actor, seq)`);
    // The trail is append-only: the database itself refuses to change or remove a record.
    await q.query(`CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_records is append-only: % refused', TG_OP; END $$`);
    await q.query(`CREATE TRIGGER audit_records_no_update_delete BEFORE UPDATE OR DELETE ON audit_records
      FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()`);
    await q.query(`CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
      FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only()`);

    await q.query(`CREATE TABLE audit_signing_keys (
      algorithm text PRIMARY KEY,
      public_key text NOT NULL,
      private_key text NOT NULL,
      created_at timestamptz NOT NULL)`);

    await q.query(`CREATE TABLE idempotency_keys (
      user_id text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code int NULL,
      response jsonb NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, key))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'idempotency_keys',
      'audit_signing_keys',
      'audit_records',
      'change_requests',
      'implementations',
      'document_number_counters',
      'pool_loans',
      'establishment_totals',
      'unit_versions',
      'units',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS audit_records_append_only`);
  }
}
