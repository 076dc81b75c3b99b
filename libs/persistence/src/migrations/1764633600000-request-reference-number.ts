import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request's 来文号 (the requesting unit's own document number) and 抄送 (the units to receive copies), both
 * optional: requests made before have none, which the defaults say.
 */
export class RequestReferenceNumber1764633600000 implements MigrationInterface {
  name = 'RequestReferenceNumber1764633600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE change_requests ADD COLUMN reference_number text`);
    await q.query(`ALTER TABLE change_requests ADD COLUMN copy_to uuid[] NOT NULL DEFAULT '{}'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE change_requests DROP COLUMN copy_to');
    await q.query('ALTER TABLE change_requests DROP COLUMN reference_number');
  }
}
