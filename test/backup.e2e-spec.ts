import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { generateSigningKey, loadOrCreateKeyFile } from '@bianzhi/audit';
import {
  backupDatabase,
  type BackupManifest,
  dataSourceOptions,
  restoreDatabase,
  restoreWorkName,
  signManifest,
  verifyAuditTrail,
} from '@bianzhi/persistence';
import { restoreCommand } from '../scripts/backup';
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
let keyFile: string;

const dbName = (url: string) => new URL(url).pathname.slice(1);

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query(sql, params)).rows;
  } finally {
    await pg.end();
  }
}

const tablesIn = async (url: string) =>
  (await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))[0].n;
const databasesLike = async (url: string, prefix: string) =>
  (await query<{ datname: string }>(url, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]))
    .map((r) => r.datname)
    .sort();

/** A copy of the backup at `from`, `edit` applied to its files and manifest, the manifest signed again by `sign`. */
function rewritten(
  from: string,
  to: string,
  edit: (dir: string, m: BackupManifest) => void,
  sign?: Parameters<typeof signManifest>[1],
): string {
  fs.cpSync(from, to, { recursive: true });
  const m = JSON.parse(fs.readFileSync(path.join(to, 'manifest.json'), 'utf8')) as BackupManifest;
  edit(to, m);
  if (sign) m.signature = signManifest(m, sign);
  fs.writeFileSync(path.join(to, 'manifest.json'), JSON.stringify(m, null, 2));
  return to;
}

/** The file of `table` rewritten to `text`, its row count and SHA-256 put in the manifest. */
function rewriteTable(dir: string, m: BackupManifest, table: string, text: string): void {
  const t = m.tables.find((x) => x.name === table)!;
  fs.writeFileSync(path.join(dir, t.file), text);
  t.sha256 = createHash('sha256').update(text).digest('hex');
  t.rows = text.split('\n').length - 1;
}

const idNumber = (n: number) => {
  const first17 = `33010219800101${String(n).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
};

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'backup-'));
  keyFile = path.join(dir, 'backup-signing.key');
  loadOrCreateKeyFile(keyFile, 'ed25519');
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
  const signingKey = loadOrCreateKeyFile(keyFile, 'ed25519');
  const trustedKeys = [signingKey.publicKey];
  const manifest = await backupDatabase(stack.ownerUrl, path.join(dir, 'original'), { signingKey });
  expect(manifest.signature).toMatchObject({ algorithm: 'ed25519', keyId: expect.stringMatching(/^[0-9a-f]{32}$/) });
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
  await expect(restoreDatabase(fresh, forged, { trustedKeys })).rejects.toThrow(/units\.copy/);
  // …and so is a file changed with its SHA-256 in the manifest (an insider who can write the backup's directory):
  // the manifest's signature no longer verifies. Signed again by another key, it is not a trusted key's.
  const renamed = (d: string, m: BackupManifest) =>
    rewriteTable(d, m, 'units', units.replace('县卫生健康局', '县卫生健康委'));
  const resummed = rewritten(path.join(dir, 'original'), path.join(dir, 'resummed'), renamed);
  await expect(restoreDatabase(fresh, resummed, { trustedKeys })).rejects.toThrow(
    /manifest signature does not verify with the trusted key [0-9a-f]{32}: the manifest .* was changed/,
  );
  const intruder = generateSigningKey('ed25519');
  const resigned = rewritten(path.join(dir, 'original'), path.join(dir, 'resigned'), renamed, intruder);
  await expect(restoreDatabase(fresh, resigned, { trustedKeys })).rejects.toThrow(/is not a trusted key/);
  await expect(
    restoreCommand(resigned, { DATABASE_OWNER_URL: fresh, BACKUP_SIGNING_KEY_FILE: keyFile }),
  ).rejects.toThrow(/is not a trusted key/);
  // The key that signs must be given: none, and a signed manifest is not taken on its own word.
  await expect(restoreCommand(path.join(dir, 'original'), { DATABASE_OWNER_URL: fresh })).rejects.toThrow(
    /no trusted public key was given/,
  );
  // An unsigned backup (as before manifests were signed) only with --unsigned.
  const unsigned = path.join(dir, 'unsigned');
  const unsignedRows = (await backupDatabase(stack.ownerUrl, unsigned)).tables.reduce((n, t) => n + t.rows, 0);
  await expect(restoreDatabase(fresh, unsigned, { trustedKeys })).rejects.toThrow(/not signed.*--unsigned/);
  expect(await tablesIn(fresh)).toBe(0);

  // A restore that fails half-way (the application's database migrated, some tables loaded, then a row that breaks
  // a key, in a manifest signed as it should be) leaves the target as it was: empty, nothing of the restore's left.
  const broken = rewritten(
    path.join(dir, 'original'),
    path.join(dir, 'broken'),
    (d, m) => {
      const t = m.tables.find((x) => x.name === 'change_requests')!;
      const lines = fs.readFileSync(path.join(d, t.file), 'utf8');
      rewriteTable(d, m, 'change_requests', lines + lines.split('\n')[0] + '\n');
    },
    signingKey,
  );
  const said: string[] = [];
  await expect(restoreDatabase(fresh, broken, { trustedKeys, log: (l) => said.push(l) })).rejects.toThrow(
    /duplicate key/,
  );
  expect(await tablesIn(fresh)).toBe(0);
  expect(await databasesLike(fresh, dbName(fresh))).toEqual([dbName(fresh)]);
  expect(said.join('\n')).toMatch(/dropped .*__restoring .*the targets are as they were/);

  // A restore killed half-way leaves its database being loaded (and, killed during the swap's clean-up, the empty
  // target it put aside): the next one recognises them by name, drops them and says so.
  const admin = new PgClient({ connectionString: fresh });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${restoreWorkName(dbName(fresh), 'restoring')}`);
  await admin.query(`CREATE DATABASE ${restoreWorkName(dbName(fresh), 'replaced')}`);
  await admin.end();
  await query(fresh.replace(dbName(fresh), restoreWorkName(dbName(fresh), 'restoring')), 'CREATE TABLE half (x int)');

  // Unsigned, with --unsigned: restored, with a warning; then the signed backup is refused, the target not empty.
  const notes: string[] = [];
  const restored = await restoreCommand(
    unsigned,
    { DATABASE_OWNER_URL: fresh, BACKUP_SIGNING_KEY_FILE: keyFile },
    { unsigned: true, log: (l) => notes.push(l) },
  );
  expect(restored).toMatchObject({ signed: false, rows: unsignedRows });
  expect(notes.join('\n')).toMatch(/dropped .*__restoring: the application's database as an earlier restore/);
  expect(notes.join('\n')).toMatch(/dropped .*__replaced: the application's database as it was \(empty\)/);
  expect(notes.join('\n')).toMatch(/WARNING: the backup's manifest is not signed/);
  expect(await databasesLike(fresh, dbName(fresh))).toEqual([dbName(fresh)]);
  await expect(restoreDatabase(fresh, path.join(dir, 'original'), { trustedKeys })).rejects.toThrow(/empty database/);

  // The signed backup into a database that does not exist yet (the restore makes it), the key pinned by
  // --public-key as the operator keeps it.
  const pinned = path.join(dir, 'pinned.txt');
  fs.writeFileSync(pinned, `the log's key, as kept:\n${signingKey.publicKey}`);
  const other = fresh.replace(dbName(fresh), `${dbName(fresh)}_b`);
  fs.writeFileSync(path.join(dir, 'empty.txt'), 'no key here\n');
  await expect(
    restoreCommand(
      path.join(dir, 'original'),
      { DATABASE_OWNER_URL: other },
      { publicKeyFile: path.join(dir, 'empty.txt') },
    ),
  ).rejects.toThrow(/holds no public key/);
  const again = await restoreCommand(
    path.join(dir, 'original'),
    { DATABASE_OWNER_URL: other },
    { publicKeyFile: pinned },
  );
  expect(again).toMatchObject({ signed: true, rows: manifest.tables.reduce((n, t) => n + t.rows, 0) });
  const otherKey = path.join(dir, 'other.txt');
  fs.writeFileSync(otherKey, intruder.publicKey);
  await expect(
    restoreCommand(path.join(dir, 'original'), { DATABASE_OWNER_URL: fresh }, { publicKeyFile: otherKey }),
  ).rejects.toThrow(/is not a trusted key/);

  const db = new DataSource(dataSourceOptions(other, { extra: { max: 2 } }));
  await db.initialize();
  try {
    const verified = await verifyAuditTrail(db);
    expect(verified).toEqual(expect.objectContaining({ valid: true, records: count('audit_records') }));
    // The restored database backs up to the same files: every table holds what it held.
    const copy = await backupDatabase(other, path.join(dir, 'again'));
    expect(copy.tables.map((t) => [t.name, t.rows, t.sha256])).toEqual(
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
