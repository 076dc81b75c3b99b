import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { checkApplicationDatabase, dataSourceOptions, migrateDatabase, urlAs } from '@bianzhi/persistence';
import { SecurityLogService } from '../apps/api/src/auth/security-log.service';
import { County, seedCounty } from './support/county';
import { implement } from './support/procedure';
import { createDatabase, createMigratedDatabase, startStack, Stack } from './support/stack';

// Least privilege in PostgreSQL (docs/architecture.md, "Database roles"): the whole procedure runs as the
// application's role, which cannot change, remove or truncate the trail (the audit trail and the security log),
// disable their triggers, set session_replication_role or reach another database; `npm run migrate` makes that
// role as the owner, idempotently; the API and the worker refuse a schema with migrations pending and a
// connection that could rewrite the trail.

const ROOT = path.resolve(__dirname, '..');

let stack: Stack;
let c: County;
let app: PgClient;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  app = new PgClient({ connectionString: stack.dbUrl });
  await app.connect();
});
afterAll(async () => {
  await app?.end();
  await stack?.stop();
});

const sql = (text: string, params: unknown[] = []) => app.query(text, params);

async function connect(url: string): Promise<PgClient> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  return client;
}

/** A built program (`npm run build` output) run with `env` on top of the test's; its exit code and output. */
function run(file: string, env: Record<string, string>, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', file)], {
      env: { ...process.env, LOG_LEVELS: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

it("runs the whole procedure as the application's role", async () => {
  const [me] = (await sql(`SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user`)).rows;
  expect(me).toEqual({ name: new URL(stack.dbUrl).username, rolsuper: false });
  const done = await implement(c, 'clerk_housing', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.housing,
    title: '调剂事业编制',
    payload: {
      lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 3 }],
    },
  });
  expect(done.documentNumber).toBeTruthy();
  const auditor = c.users.auditor.api;
  expect((await auditor.get('/v1/audit/verify')).body).toMatchObject({ valid: true });
  expect((await auditor.get('/v1/audit/checkpoint')).status).toBe(200);
  expect((await c.users.audit_admin.api.get('/v1/security-events/verify')).body).toMatchObject({ ok: true });
  // Retention through the owner's function: nothing here is 180 days old, so nothing goes.
  const [{ n: events }] = (await sql('SELECT count(*)::int AS n FROM security_events')).rows;
  expect(await stack.app.get(SecurityLogService).purge()).toBe(0);
  expect((await sql('SELECT count(*)::int AS n FROM security_events')).rows[0].n).toBeGreaterThanOrEqual(events);
});

describe("the application's role", () => {
  it.each(['audit_records', 'security_events'])('cannot UPDATE, DELETE or TRUNCATE %s', async (table) => {
    const [{ n }] = (await sql(`SELECT count(*)::int AS n FROM ${table}`)).rows;
    expect(n).toBeGreaterThan(0);
    for (const change of [`UPDATE ${table} SET hash = hash`, `DELETE FROM ${table}`, `TRUNCATE ${table}`])
      await expect(sql(change)).rejects.toThrow(`permission denied for table ${table}`);
    expect((await sql(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(n);
  });

  it('cannot disable the triggers, drop the trail or grant itself more: it is not the owner', async () => {
    for (const table of ['audit_records', 'security_events']) {
      await expect(sql(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).rejects.toThrow(`must be owner of table ${table}`);
      await expect(sql(`DROP TABLE ${table}`)).rejects.toThrow(`must be owner of table ${table}`);
      await sql(`GRANT UPDATE, DELETE ON ${table} TO CURRENT_USER`); // a warning: no privileges were granted
      const [may] = (
        await sql(`SELECT has_table_privilege($1, 'UPDATE') AS update, has_table_privilege($1, 'DELETE') AS delete`, [
          table,
        ])
      ).rows;
      expect(may).toEqual({ update: false, delete: false });
    }
    await expect(sql(`SET ROLE postgres`)).rejects.toThrow(/permission denied to set role/);
  });

  it('cannot SET session_replication_role = replica: it is not a superuser', async () => {
    await expect(sql('SET session_replication_role = replica')).rejects.toThrow(
      'permission denied to set parameter "session_replication_role"',
    );
    await expect(sql('SET LOCAL session_replication_role = replica')).rejects.toThrow(/permission denied/);
  });

  it('deletes from the security log only through its owner, and only what is past retention', async () => {
    const [{ n }] = (await sql('SELECT count(*)::int AS n FROM security_events')).rows;
    expect((await sql(`SELECT security_events_purge(now() + interval '1 day') AS n`)).rows[0].n).toBe('0');
    expect((await sql('SELECT count(*)::int AS n FROM security_events')).rows[0].n).toBe(n);
    // Even its owner (short of a superuser bypassing triggers) cannot remove a young record or change one.
    await expect(stack.ownerDb.query('DELETE FROM security_events')).rejects.toThrow(/append-only/);
    await expect(stack.ownerDb.query('UPDATE security_events SET hash = hash')).rejects.toThrow(/append-only/);
  });

  it('cannot mark a migration as run, create objects, move a sequence or reach another database', async () => {
    await expect(sql(`INSERT INTO typeorm_migrations (timestamp, name) VALUES (1, 'x')`)).rejects.toThrow(
      'permission denied for table typeorm_migrations',
    );
    await expect(sql(`DELETE FROM typeorm_migrations`)).rejects.toThrow(/permission denied/);
    await expect(sql(`CREATE TABLE audit_shadow (seq bigint)`)).rejects.toThrow('permission denied for schema public');
    await expect(sql(`SELECT setval('security_events_seq_seq', 1)`)).rejects.toThrow(/permission denied/);
    const other = await createMigratedDatabase();
    const otherName = new URL(other.ownerUrl).pathname.slice(1);
    const intruder = new URL(other.ownerUrl);
    intruder.username = new URL(stack.dbUrl).username;
    intruder.password = new URL(stack.dbUrl).password;
    await expect(connect(intruder.toString())).rejects.toThrow(`permission denied for database "${otherName}"`);
  });
});

it('covers a table of the trail added later by its name, and grants an ordinary one DML', async () => {
  await stack.ownerDb.query('CREATE TABLE audit_later (id bigserial PRIMARY KEY, v text)');
  await stack.ownerDb.query('CREATE TABLE notes_later (id bigserial PRIMARY KEY, v text)');
  try {
    // Before the next migrate, the default privileges: read and append.
    for (const t of ['audit_later', 'notes_later']) {
      await sql(`INSERT INTO ${t} (v) VALUES ('a')`);
      await expect(sql(`UPDATE ${t} SET v = 'b'`)).rejects.toThrow(`permission denied for table ${t}`);
    }
    await migrateDatabase(stack.ownerUrl, { appRole: { name: new URL(stack.dbUrl).username } });
    await sql(`UPDATE notes_later SET v = 'b'`);
    await sql(`DELETE FROM notes_later`);
    await sql(`INSERT INTO audit_later (v) VALUES ('c')`);
    await expect(sql(`UPDATE audit_later SET v = 'b'`)).rejects.toThrow('permission denied for table audit_later');
    await expect(sql(`DELETE FROM audit_later`)).rejects.toThrow('permission denied for table audit_later');
  } finally {
    await stack.ownerDb.query('DROP TABLE audit_later, notes_later');
  }
});

describe('npm run migrate', () => {
  it("migrates as the owner, creates the application's role, and runs again idempotently", async () => {
    const ownerUrl = await createDatabase();
    const name = `${new URL(ownerUrl).pathname.slice(1)}_app`;
    const first = urlAs(ownerUrl, { name, password: randomBytes(9).toString('hex') });
    // Two at once take turns (the migration lock): one migrates, the other finds the schema up to date.
    const runs = await Promise.all(
      [1, 2].map(() => run('scripts/migrate.js', { DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: first })),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const outputs = runs.map((r) => r.output).sort();
    expect(outputs[0]).toMatch(/migrate: ran InitialSchema1763769600000, .*KeyTrustInFile1765584000000; /);
    expect(outputs[1]).toMatch(/migrate: the schema was up to date; the application's role t_\w+_app granted/);
    const client = await connect(first);
    await client.end();
    // A new password in DATABASE_URL: the role's password follows it.
    const second = urlAs(ownerUrl, { name, password: randomBytes(9).toString('hex') });
    const again = await run('scripts/migrate.js', { DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: second });
    expect([again.code, again.output]).toEqual([0, expect.stringContaining('the schema was up to date')]);
    await expect(connect(first)).rejects.toThrow(/password authentication failed/);
    await (await connect(second)).end();
    // The owner is not the application's role.
    const self = await run('scripts/migrate.js', { DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: ownerUrl });
    expect(self.code).toBe(1);
    expect(self.output).toMatch(/is the owner itself: it needs a role of its own/);
    const none = await run('scripts/migrate.js', { DATABASE_OWNER_URL: '', DATABASE_URL: second });
    expect([none.code, none.output]).toEqual([1, expect.stringContaining('DATABASE_OWNER_URL is required')]);
  });

  it('works with an owner that is no superuser, which the application refuses to run as', async () => {
    const base = new URL(await createDatabase());
    const db = base.pathname.slice(1);
    const ownerRole = { name: `${db}_owner`, password: randomBytes(9).toString('hex') };
    const admin = await connect(base.toString());
    await admin.query(`CREATE ROLE ${ownerRole.name} LOGIN CREATEROLE PASSWORD '${ownerRole.password}'`);
    await admin.query(`ALTER DATABASE ${db} OWNER TO ${ownerRole.name}`);
    await admin.query(`ALTER SCHEMA public OWNER TO ${ownerRole.name}`);
    await admin.end();
    const ownerUrl = urlAs(base.toString(), ownerRole);
    const appRole = { name: `${db}_app`, password: randomBytes(9).toString('hex') };
    await migrateDatabase(ownerUrl, { appRole });
    await migrateDatabase(ownerUrl, { appRole });
    const asOwner = new DataSource(dataSourceOptions(ownerUrl));
    const asApp = new DataSource(dataSourceOptions(urlAs(ownerUrl, appRole)));
    await asOwner.initialize();
    await asApp.initialize();
    try {
      await expect(checkApplicationDatabase(asOwner)).rejects.toThrow(
        /connects as t_\w+_owner, which owns \(or may become the owner of\) .*audit_records.*security_events/,
      );
      await expect(checkApplicationDatabase(asApp)).resolves.toBeUndefined();
    } finally {
      await asOwner.destroy();
      await asApp.destroy();
    }
  });
});

describe('the worker and the API at start', () => {
  const env = () => ({ TEMPORAL_TASK_QUEUE: `refused-${randomBytes(4).toString('hex')}`, PORT: '0' });

  it('refuse a schema with migrations pending: they never migrate', async () => {
    const fresh = await createDatabase();
    for (const main of ['apps/worker/src/main.js', 'apps/api/src/main.js']) {
      const r = await run(main, { ...env(), DATABASE_URL: fresh });
      expect([main, r.code]).not.toEqual([main, 0]);
      expect(r.output).toMatch(/the database schema is not up to date: \d+ migration\(s\) pending \(InitialSchema/);
      expect(r.output).toContain('Run `npm run migrate`');
    }
    const admin = await connect(fresh);
    const { rows } = await admin.query(`SELECT to_regclass('audit_records') AS t`);
    await admin.end();
    expect(rows[0].t).toBeNull();
  });

  it("refuse to run as a superuser: DATABASE_URL is the application's role", async () => {
    for (const main of ['apps/worker/src/main.js', 'apps/api/src/main.js']) {
      const r = await run(main, { ...env(), DATABASE_URL: stack.ownerUrl });
      expect([main, r.code]).not.toEqual([main, 0]);
      expect(r.output).toMatch(/DATABASE_URL connects as postgres, which is a superuser/);
      expect(r.output).toContain('npm run migrate');
    }
  });
});
