import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * idempotency_keys.holder: the lease of the API process that claimed a key (IdempotencyLease), so that a retry at
 * another API takes over a claim whose holder died at once, instead of after IDEMPOTENCY_CLAIM_TTL_MS
 * (docs/architecture.md, "Topologies"). Null for claims made before, or by a process without its lease: those
 * wait out the two minutes as before.
 */
export class IdempotencyHolder1765497600000 implements MigrationInterface {
  name = 'IdempotencyHolder1765497600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN holder integer NULL');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN holder');
  }
}
