import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { backupDatabase, dataSourceOptions, restoreDatabase, verifyAuditTrail } from '@bianzhi/persistence';
import { WORKFLOW_BUNDLE_PATH } from '@bianzhi/workflows/bundle';
import { codecFromEnv, decodeHistory } from '@bianzhi/workflows/codec';
import { idNumberCheckCharacter } from '@bianzhi/domain';
import { County, seedCounty } from './support/county';
import { implement } from './support/procedure';
import { createDatabase, startStack, Stack } from './support/stack';

// `npm run backup` / `restore` (issue 17): a county with requests, people and documents backed up, restored into a
// fresh database, and there the trail verifies, every table holds what it held (a backup of the restored database is
// the same, file for file) and every request's workflow history replays against today's code.

let stack: Stack;
let c: County;
let dir: string;

const idNumber = (n: number) => {
  const first17 = `33010219800101${String(n).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
};

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'backup-'));
  await implement(c, 'clerk_health', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.health,
    title: '划转事业编制1名',
    payload: {
      lines: [{ fromUnitId: c.units.health, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 1 }],
    },
  });
  await implement(c, 'clerk_housing', {
    type: 'ENROL_PERSON',
    unitId: c.units.housing,
    title: '张三上编',
    payload: {
      unitId: c.units.housing,
      category: 'ADMIN',
      person: { name: '张三', idNumber: idNumber(1) },
      channel: 'RECRUITED',
    },
  });
}, 180_000);
afterAll(() => stack?.stop());

it('restores into a fresh database: the trail verifies, every table is the same, the histories replay', async () => {
  const manifest = await backupDatabase(stack.ownerUrl, path.join(dir, 'original'));
  const count = (name: string) => manifest.tables.find((t) => t.name === name)!.rows;
  expect(count('change_requests')).toBe(2);
  expect(count('people')).toBe(1);
  expect(count('documents')).toBe(2);
  expect(count('audit_records')).toBeGreaterThan(10);
  // No key and no ID number in the clear in it.
  const text = fs
    .readdirSync(path.join(dir, 'original'))
    .map((f) => fs.readFileSync(path.join(dir, 'original', f), 'latin1'))
    .join('');
  expect(text).not.toContain(idNumber(1));
  expect(text).not.toMatch(/PRIVATE KEY|privateKey/);

  // A file changed is refused before anything is written.
  const fresh = await createDatabase();
  const forged = path.join(dir, 'forged');
  fs.cpSync(path.join(dir, 'original'), forged, { recursive: true });
  fs.appendFileSync(path.join(forged, 'units.copy'), '');
  const units = fs.readFileSync(path.join(forged, 'units.copy'), 'utf8');
  fs.writeFileSync(path.join(forged, 'units.copy'), units.replace('县卫生健康局', '县卫生健康委'));
  await expect(restoreDatabase(fresh, forged)).rejects.toThrow(/units\.copy/);

  const restored = await restoreDatabase(fresh, path.join(dir, 'original'));
  expect(restored.rows).toBe(manifest.tables.reduce((n, t) => n + t.rows, 0));
  await expect(restoreDatabase(fresh, path.join(dir, 'original'))).rejects.toThrow(/empty database/);

  const db = new DataSource(dataSourceOptions(fresh, { extra: { max: 2 } }));
  await db.initialize();
  try {
    const verified = await verifyAuditTrail(db);
    expect(verified).toEqual(expect.objectContaining({ valid: true, records: count('audit_records') }));
    // The restored database backs up to the same files: every table holds what it held.
    const again = await backupDatabase(fresh, path.join(dir, 'again'));
    expect(again.tables.map((t) => [t.name, t.rows, t.sha256])).toEqual(
      manifest.tables.map((t) => [t.name, t.rows, t.sha256]),
    );
    // Every request's history (Temporal keeps them) replays against today's workflow code.
    const ids: { workflow_id: string }[] = await db.query('SELECT workflow_id FROM change_requests');
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const client = new Client({ connection, namespace: 'default' });
      for (const { workflow_id } of ids) {
        const history = await decodeHistory(
          await client.workflow.getHandle(workflow_id).fetchHistory(),
          codecFromEnv(),
        );
        await Worker.runReplayHistory(
          {
            workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? WORKFLOW_BUNDLE_PATH },
            replayName: 'restore',
          },
          history,
          workflow_id,
        );
      }
    } finally {
      await connection.close();
    }
  } finally {
    await db.destroy();
  }
});
