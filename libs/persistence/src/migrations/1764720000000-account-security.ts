import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts a security review passes (docs/architecture.md, "Accounts and the security log"): a forced password
 * change, the second factor's secret, sign-in failures and account locks (kept by username, known or not, so
 * that a lock says nothing about whether an account exists), revoked tokens, and the security log, a
 * hash-chained table apart from the business audit trail.
 */
export class AccountSecurity1764720000000 implements MigrationInterface {
  name = 'AccountSecurity1764720000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users
      ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
      ADD COLUMN totp_secret text,
      ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
      ADD COLUMN totp_last_step bigint`);
    await q.query(`CREATE TABLE sign_in_failures (
      id bigserial PRIMARY KEY,
      username text NOT NULL,
      address text,
      at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX sign_in_failures_username_idx ON sign_in_failures (lower(username), at)`);
    await q.query(`CREATE TABLE account_locks (username text PRIMARY KEY, locked_until timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE revoked_tokens (jti uuid PRIMARY KEY, expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE security_events (
      seq bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      type text NOT NULL,
      username text,
      actor text,
      address text,
      detail jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL)`);
    await q.query(`CREATE INDEX security_events_at_idx ON security_events (at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_events`);
    await q.query(`DROP TABLE revoked_tokens`);
    await q.query(`DROP TABLE account_locks`);
    await q.query(`DROP TABLE sign_in_failures`);
    await q.query(`ALTER TABLE users DROP COLUMN must_change_password, DROP COLUMN totp_secret,
      DROP COLUMN totp_enabled, DROP COLUMN totp_last_step`);
  }
}
