import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import { tmpDir } from '@bianzhi/dev-services';
import { parseKey } from '@bianzhi/audit';
import { type BackupManifest, signManifest, urlAs } from '@bianzhi/persistence';
import { backupCommand, restoreCommand } from '../scripts/backup';
import { RunningStack, startAll } from '../scripts/start';
import { ApiClient } from './support/api-client';
import { County, PASSWORD, seedCounty, until } from './support/county';
import { ADMIN_PASSWORD, createDatabase, createMigratedDatabase, Stack } from './support/stack';

// `npm run backup` / `restore` of the cluster topology (the issue on trust against insiders): the application's
// database AND the Temporal server's two, backed up while the cluster runs, with one request implemented and one
// stopped mid-vote; everything stopped; all three restored into fresh databases; the cluster started on them with
// the same key files. There the trail verifies, every history replays, the request stopped mid-vote takes its
// remaining votes and is implemented with the next number, and nothing is applied twice (docs/architecture.md,
// "Backups"). Before that, a restore failing half-way (Temporal's two databases loaded, the application's not)
// leaves nothing behind, and the same command then succeeds. Needs the server binary, like test/cluster.e2e-spec.ts.

const { ensureTemporalServer } = require('../scripts/temporal-server.js');

const layout = process.env.SKIP_CLUSTER_TEST ? null : ensureTemporalServer();
const why = process.env.SKIP_CLUSTER_TEST ? 'SKIP_CLUSTER_TEST is set' : ensureTemporalServer.why;
if (!layout) console.warn(`test/backup-temporal.e2e-spec.ts skipped: ${why ?? 'no Temporal server binary'}`);
const maybe = layout ? describe : describe.skip;

jest.setTimeout(15 * 60_000);

const dbName = (url: string) => new URL(url).pathname.slice(1);

/** Temporal's history database as its own role (`temporal`, the password startAll keeps in the data dir). */
function temporalUrl(ownerUrl: string, dataDir: string, database: string): string {
  const u = new URL(urlAs(ownerUrl, { name: 'temporal', password: read(dataDir, 'temporal-db-password') }));
  u.pathname = `/${database}`;
  return u.toString();
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8').trim();

async function query<T>(url: string, sql: string): Promise<T[]> {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query(sql)).rows;
  } finally {
    await pg.end();
  }
}

maybe('backup and restore of the cluster: the application and the Temporal server', () => {
  const saved: Record<string, string | undefined> = {};
  const dataDir = tmpDir('bianzhi-tbackup-');
  const backupDir = path.join(tmpDir('bianzhi-tbackup-dir-'), 'backup');
  let running: RunningStack | undefined;
  let c: County;
  let original: { ownerUrl: string; appUrl: string; temporal: string };

  const start = (ownerUrl: string, appUrl: string, temporalDatabase: string) => {
    process.env.DATABASE_OWNER_URL = ownerUrl;
    process.env.DATABASE_URL = appUrl;
    return startAll({
      dataDir,
      port: 20_000 + Math.floor(Math.random() * 10_000),
      demo: false,
      fixedTemporalPorts: false,
      topology: 'cluster',
      // Two CPUs for everything: one API and one worker are enough to prove the restore.
      apis: 1,
      workers: 1,
      temporalDatabase,
    });
  };

  /** Every county user signed in again at the running API (its port is new after a restart). */
  async function signInAgain(): Promise<void> {
    const api = new ApiClient(running!.apiUrl);
    c.admin = await api.login('admin', ADMIN_PASSWORD);
    for (const name of Object.keys(c.users)) c.users[name].api = await api.login(name, PASSWORD);
  }

  const get = (path: string) => c.users.auditor.api.get(path);
  const settled = (id: string) =>
    until(
      'implemented with its document',
      () => get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented' && r.body.documents?.length > 0,
      5 * 60_000,
    );
  const quota = async (unitId: string): Promise<number> => (await get(`/v1/units/${unitId}`)).body.quotas.ADMIN;

  async function create(clerk: string, unitId: string, title: string): Promise<string> {
    const res = await c.users[clerk].api.post('/v1/change-requests', {
      type: 'ADJUST_QUOTA',
      unitId,
      title,
      justification: '职能增加',
      payload: { unitId, category: 'ADMIN', delta: 1 },
      submit: true,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function vote(id: string, members: { username: string }[]) {
    for (const m of members) {
      const res = await c.users[m.username].api.post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
      expect(res.status).toBe(200);
    }
  }

  beforeAll(async () => {
    for (const k of [
      'DATABASE_URL',
      'DATABASE_OWNER_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_SEARCH_ATTRIBUTES',
      'ADMIN_PASSWORD',
      'LOGIN_RATE_LIMIT',
    ]) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    process.env.ADMIN_PASSWORD = ADMIN_PASSWORD;
    process.env.LOGIN_RATE_LIMIT = '100000';
    const { ownerUrl, appUrl } = await createMigratedDatabase();
    original = { ownerUrl, appUrl, temporal: `temporal_${dbName(ownerUrl)}` };
    running = await start(ownerUrl, appUrl, original.temporal);
    c = await seedCounty({ api: new ApiClient(running.apiUrl) } as Stack);
  });

  afterAll(async () => {
    await running?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('restores all three: the trail verifies, the histories replay, the vote goes on, nothing twice', async () => {
    const before = await quota(c.units.housing);
    // One request implemented…
    const done = await create('clerk_housing', c.units.housing, '核增行政编制1名');
    const fwd = await c.users.reviewer.api.post(`/v1/change-requests/${done}/review`, { decision: 'forward' });
    expect(fwd.status).toBe(200);
    await vote(done, fwd.body.eligibleMembers);
    const first = await settled(done);
    const number = /^清编〔(\d{4})〕(\d+)号$/.exec(first.body.documentNumber)!;
    expect(number[2]).toBe('1');
    // …and one stopped mid-vote: forwarded, two members have voted, the others have not.
    const pending = await create('clerk_housing', c.units.housing, '再核增行政编制1名');
    const fwd2 = await c.users.reviewer.api.post(`/v1/change-requests/${pending}/review`, { decision: 'forward' });
    expect(fwd2.status).toBe(200);
    const members = fwd2.body.eligibleMembers as { username: string }[];
    expect(members.length).toBeGreaterThan(2);
    await vote(pending, members.slice(0, 2));
    expect((await get(`/v1/change-requests/${pending}`)).body.status).toBe('committee');
    expect(await quota(c.units.housing)).toBe(before + 1);

    // The backup, taken while the cluster runs, as an operator would: the owner's URL, Temporal's role's URL.
    // The manifest signed with a backup key of its own (made by the first backup), not the trail's.
    const keyFile = path.join(backupDir, '..', 'backup-signing.key');
    const manifest: BackupManifest = await backupCommand(backupDir, {
      DATABASE_OWNER_URL: original.ownerUrl,
      BACKUP_SIGNING_KEY_FILE: keyFile,
      TEMPORAL_DB_URL: temporalUrl(original.ownerUrl, dataDir, original.temporal),
    });
    expect(manifest.signature?.algorithm).toBe('ed25519');
    expect(manifest.temporal?.map((d) => [d.kind, d.database])).toEqual([
      ['history', original.temporal],
      ['visibility', `${original.temporal}_visibility`],
    ]);
    const [history, visibility] = manifest.temporal!;
    const latest = (kind: string) =>
      fs
        .readdirSync(path.join(layout.schemaDir, kind, 'versioned'))
        .map((v) => v.slice(1))
        .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
        .pop();
    expect(history.schemaVersion).toBe(latest('temporal'));
    expect(visibility.schemaVersion).toBe(latest('visibility'));
    const rowsOf = (tables: { name: string; rows: number }[], name: string) =>
      tables.find((t) => t.name === name)?.rows ?? 0;
    expect(rowsOf(history.tables, 'executions')).toBeGreaterThanOrEqual(2);
    expect(rowsOf(history.tables, 'history_node')).toBeGreaterThan(0);
    expect(rowsOf(visibility.tables, 'executions_visibility')).toBeGreaterThanOrEqual(2);
    expect(rowsOf(manifest.tables, 'change_requests')).toBe(2);
    for (const t of history.tables) expect(t.file).toMatch(/^temporal\/history\/[a-z_0-9]+\.copy$/);

    await running!.stop();
    running = undefined;

    // Fresh databases: the application's (its own role) and Temporal's two (made by the restore, owned by `temporal`).
    const fresh = await createDatabase();
    const freshApp = urlAs(fresh, { name: `${dbName(fresh)}_app`, password: randomBytes(12).toString('hex') });
    const freshTemporal = `temporal_${dbName(fresh)}`;
    const env = {
      DATABASE_OWNER_URL: fresh,
      DATABASE_URL: freshApp,
      BACKUP_SIGNING_KEY_FILE: keyFile,
      TEMPORAL_DB_URL: temporalUrl(fresh, dataDir, freshTemporal),
    };

    // A changed Temporal file is refused before anything is written.
    const forged = path.join(path.dirname(backupDir), 'forged');
    fs.cpSync(backupDir, forged, { recursive: true });
    const victim = path.join(forged, history.tables.find((t) => t.name === 'executions')!.file);
    fs.writeFileSync(
      victim,
      fs.readFileSync(victim, 'utf8').replace(/^./, (ch) => (ch === '0' ? '1' : '0')),
    );
    await expect(restoreCommand(forged, env)).rejects.toThrow(/temporal\/history\/executions\.copy.*SHA-256/);
    const tablesIn = async (url: string) =>
      (await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))[0].n;
    expect(await tablesIn(fresh)).toBe(0);
    const databases = async () =>
      (await query<{ datname: string }>(fresh, 'SELECT datname FROM pg_database')).map((r) => r.datname);
    expect(await databases()).not.toContain(freshTemporal);

    // A restore failing half-way: Temporal's two databases set up and loaded, the application's migrated, then a row
    // of its that breaks a key (the file, its SHA-256 and the manifest's signature all as they should be). Nothing
    // of it is left: the application's database is empty, Temporal's two were never made, nor any of the restore's.
    const broken = path.join(path.dirname(backupDir), 'broken');
    fs.cpSync(backupDir, broken, { recursive: true });
    const m = JSON.parse(fs.readFileSync(path.join(broken, 'manifest.json'), 'utf8')) as BackupManifest;
    const requests = m.tables.find((t) => t.name === 'change_requests')!;
    const lines = fs.readFileSync(path.join(broken, requests.file), 'utf8');
    const doubled = lines + lines.split('\n')[0] + '\n';
    fs.writeFileSync(path.join(broken, requests.file), doubled);
    requests.rows += 1;
    requests.sha256 = createHash('sha256').update(doubled).digest('hex');
    m.signature = signManifest(m, parseKey(keyFile));
    fs.writeFileSync(path.join(broken, 'manifest.json'), JSON.stringify(m, null, 2));
    const said: string[] = [];
    await expect(restoreCommand(broken, env, { log: (l) => said.push(l) })).rejects.toThrow(/duplicate key/);
    expect(said.filter((l) => /^dropped .*__restoring/.test(l))).toHaveLength(3);
    expect(await tablesIn(fresh)).toBe(0);
    expect((await databases()).filter((d) => d.startsWith(freshTemporal) || d.startsWith(dbName(fresh)))).toEqual([
      dbName(fresh),
    ]);

    // Without TEMPORAL_DB_URL, a backup holding Temporal's databases is not half-restored.
    await expect(restoreCommand(backupDir, { DATABASE_OWNER_URL: fresh })).rejects.toThrow(/TEMPORAL_DB_URL/);

    const restored = await restoreCommand(backupDir, env);
    expect(restored.rows).toBe(manifest.tables.reduce((n, t) => n + t.rows, 0));
    expect(restored.temporal!.rows).toBe(manifest.temporal!.flatMap((d) => d.tables).reduce((n, t) => n + t.rows, 0));
    // Not into databases that are no longer empty.
    await expect(restoreCommand(backupDir, env)).rejects.toThrow(/empty database/);
    // The schema at the recorded version, under the new databases' names.
    for (const [db, version] of [
      [freshTemporal, history.schemaVersion],
      [`${freshTemporal}_visibility`, visibility.schemaVersion],
    ])
      expect(await query(temporalUrl(fresh, dataDir, db), 'SELECT db_name, curr_version FROM schema_version')).toEqual([
        { db_name: db, curr_version: version },
      ]);

    // The cluster on the restored databases, with the same data dir: the same key files.
    running = await start(fresh, freshApp, freshTemporal);
    await signInAgain();

    expect((await get('/v1/audit/verify')).body).toMatchObject({ valid: true });
    for (const id of [done, pending]) {
      const replay = await get(`/v1/change-requests/${id}/replay`);
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ deterministic: true });
    }
    expect((await get(`/v1/change-requests/${done}`)).body).toMatchObject({
      status: 'implemented',
      documentNumber: first.body.documentNumber,
    });

    // The request stopped mid-vote takes its remaining votes where it stood, and is implemented with the next number.
    const standing = (await get(`/v1/change-requests/${pending}`)).body;
    expect(standing.status).toBe('committee');
    await vote(pending, members.slice(2));
    const second = await settled(pending);
    expect(second.body.documentNumber).toBe(`清编〔${number[1]}〕2号`);

    // Nothing applied twice: each request once in the registry and once in the trail; the trail still verifies.
    expect(await quota(c.units.housing)).toBe(before + 2);
    for (const id of [done, pending]) {
      const trail = (await get(`/v1/change-requests/${id}/audit`)).body as { action: string }[];
      expect(trail.filter((r) => r.action === 'implemented')).toHaveLength(1);
    }
    expect(await query(fresh, 'SELECT count(*)::int AS n FROM implementations')).toEqual([{ n: 2 }]);
    const replay = await get(`/v1/change-requests/${pending}/replay`);
    expect(replay.body).toMatchObject({ deterministic: true });
    expect((await get('/v1/audit/verify')).body).toMatchObject({ valid: true });
  });
});
