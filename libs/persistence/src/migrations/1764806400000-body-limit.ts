import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The body limit (机构限额, docs/domain.md): the most active PARTY + GOVERNMENT units the county may have,
 * recorded with the totals and versioned with them. Rows written before have none (null: no limit).
 */
export class BodyLimit1764806400000 implements MigrationInterface {
  name = 'BodyLimit1764806400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE establishment_totals ADD COLUMN body_limit int CHECK (body_limit >= 0)');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE establishment_totals DROP COLUMN body_limit');
  }
}
