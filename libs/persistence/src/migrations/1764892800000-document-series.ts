import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each kind of document has its own gap-free series per year (docs/domain.md, "Document numbers"): committee
 * replies 编, office replies 编办, quota-use notices 编用. Numbers issued before were all the committee's. And an index
 * for the stalled steps of implementation the office is to retry.
 */
export class DocumentSeries1764892800000 implements MigrationInterface {
  name = 'DocumentSeries1764892800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_number_counters ADD COLUMN series text NOT NULL DEFAULT 'COMMITTEE'`);
    await q.query(`ALTER TABLE document_number_counters DROP CONSTRAINT document_number_counters_pkey`);
    await q.query(`ALTER TABLE document_number_counters ADD PRIMARY KEY (series, year)`);
    await q.query(`ALTER TABLE implementations ADD COLUMN series text NOT NULL DEFAULT 'COMMITTEE'`);
    await q.query(`ALTER TABLE implementations DROP CONSTRAINT implementations_year_number_key`);
    await q.query(`ALTER TABLE implementations ADD CONSTRAINT implementations_series_year_number_key
      UNIQUE (series, year, number)`);
    // The office director's work list finds stalled steps of implementation among every implemented request.
    await q.query(`CREATE INDEX change_requests_stalled_idx ON change_requests (updated_at)
      WHERE (procedure -> 'stalled') IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX change_requests_stalled_idx`);
    await q.query(`ALTER TABLE implementations DROP CONSTRAINT implementations_series_year_number_key`);
    await q.query(`ALTER TABLE implementations ADD CONSTRAINT implementations_year_number_key UNIQUE (year, number)`);
    await q.query(`ALTER TABLE implementations DROP COLUMN series`);
    await q.query(`ALTER TABLE document_number_counters DROP CONSTRAINT document_number_counters_pkey`);
    await q.query(`ALTER TABLE document_number_counters ADD PRIMARY KEY (year)`);
    await q.query(`ALTER TABLE document_number_counters DROP COLUMN series`);
  }
}
