import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLogService } from '../apps/api/src/audit/audit-log.service';
import { AuditContent, auditHash, GENESIS_HASH, leafHash, treeRoot } from '@bianzhi/audit';
import {
  AuditCheckpointsRepository,
  AuditTrailRepository,
  Checkpointer,
  checkpointerConfig,
  dataSourceOptions,
  MIGRATIONS,
} from '@bianzhi/persistence';
import { createDatabase } from './support/stack';

// The migration to stored bodies (1764028800000) on a trail written before it: every record kept with its
// hash, the columns unchanged, a record altered before the migration still found, the application role's
// grants kept; and back down again.

const COLUMNS =
  `seq::text AS seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, ` +
  'actor, actor_id, role, action, request_id, workflow_id, run_id, step_key, before, after, comment, ' +
  'prev_hash, hash_alg, hash';

const logOf = (ds: DataSource) =>
  new AuditLogService(
    new AuditTrailRepository(ds.manager),
    new AuditCheckpointsRepository(ds.manager),
    new Checkpointer(ds.manager, checkpointerConfig({})),
  );

async function open(url: string, migrations = MIGRATIONS): Promise<DataSource> {
  const ds = new DataSource({ ...dataSourceOptions(url), migrations });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

it('moves a trail written before bodies were stored, keeping every record, its hash and its evidence', async () => {
  const url = await createDatabase();
  const before = await open(url, MIGRATIONS.slice(0, 2));
  const requestId = randomUUID();
  let prev = GENESIS_HASH;
  // As the writer of the time stored them: the columns and a hash over their canonical text.
  for (let seq = 1; seq <= 6; seq++) {
    const alg = seq === 3 ? 'sm3' : 'sha256';
    const content: AuditContent = {
      seq: String(seq),
      at: new Date(Date.UTC(2026, 10, 1, 8, 0, seq, 123)).toISOString(),
      actor: seq % 2 ? 'clerk_health' : '县编办',
      actorId: seq % 2 ? randomUUID() : null,
      role: 'clerk',
      action: seq === 1 ? 'created' : 'submitted',
      requestId: seq === 6 ? null : requestId,
      workflowId: `change-request-${requestId}`,
      runId: null,
      stepKey: seq === 6 ? null : `change-request-${requestId}:${seq}`,
      before: seq === 1 ? null : { status: 'draft', staffing: { 行政编制: 12 }, list: [1, 'b', null] },
      after: { status: 'demonstration', note: '引号"与\\反斜杠\n换行' },
      comment: seq === 2 ? null : '同意',
    };
    const hash = auditHash(content, prev, alg);
    await before.query(
      `INSERT INTO audit_records (seq, at, actor, actor_id, role, action, request_id, workflow_id, run_id, step_key,
                                  before, after, comment, prev_hash, hash_alg, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        seq,
        content.at,
        content.actor,
        content.actorId,
        content.role,
        content.action,
        content.requestId,
        content.workflowId,
        content.runId,
        content.stepKey,
        content.before === null ? null : JSON.stringify(content.before),
        JSON.stringify(content.after),
        content.comment,
        prev,
        alg,
        hash,
      ],
    );
    prev = hash;
  }
  const appRole = `audit_app_${randomBytes(4).toString('hex')}`;
  await before.query(`CREATE ROLE ${appRole}`);
  await before.query(`GRANT SELECT, INSERT ON audit_records TO ${appRole}`);
  // Altered before the migration, with the triggers bypassed as only the owner can.
  await before.query('SET session_replication_role = replica');
  await before.query(`UPDATE audit_records SET comment = '不同意' WHERE seq = 4`);
  await before.query('SET session_replication_role = DEFAULT');
  const rowsBefore = await before.query(`SELECT ${COLUMNS} FROM audit_records ORDER BY seq`);
  await before.destroy();

  const after = await open(url);
  expect(await after.query(`SELECT ${COLUMNS} FROM audit_records ORDER BY seq`)).toEqual(rowsBefore);
  const log = logOf(after);
  // Every record is before the signing horizon (migration 1765411200000): none is checked for a signature.
  const verified = { valid: false, records: 6, headHash: prev, firstBrokenSeq: 4, signaturesCheckedAfter: 0 };
  expect(await log.verify()).toEqual(verified);
  // The same over COPY statements of a few records each: ranges ending on the trail's end and inside it.
  for (const range of [1, 2, 4, 6]) {
    log.verifyRange = range;
    expect([range, await log.verify()]).toEqual([range, verified]);
  }
  const [grants] = await after.query(
    `SELECT has_table_privilege($1, 'audit_records', 'INSERT') AS insert,
            has_table_privilege($1, 'audit_records', 'UPDATE') AS update`,
    [appRole],
  );
  expect(grants).toEqual({ insert: true, update: false });
  await expect(after.query(`DELETE FROM audit_records WHERE seq = 1`)).rejects.toThrow(/append-only/);

  await after.undoLastMigration({ transaction: 'each' });
  expect(await after.query(`SELECT ${COLUMNS} FROM audit_records ORDER BY seq`)).toEqual(rowsBefore);
  await after.runMigrations({ transaction: 'each' });
  // The Merkle tree built by 1765238400000 from the stored hashes, as merkle.ts computes it from all of them.
  const hashes: { hash: string }[] = await after.query('SELECT hash FROM audit_records ORDER BY seq');
  const leaves = hashes.map((h) => leafHash('sha256', Buffer.from(h.hash, 'hex')));
  for (const size of [1, 5, 6])
    expect(
      (await new AuditTrailRepository(after.manager).overTree('sha256', (t) => t.root(size))).toString('hex'),
    ).toBe(treeRoot('sha256', leaves, size).toString('hex'));
  expect(await logOf(after).verify()).toMatchObject({
    valid: false,
    records: 6,
    firstBrokenSeq: 4,
  });
  await after.destroy();
});
