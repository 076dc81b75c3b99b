import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { MIGRATIONS } from './data-source';
import { migrateDatabase } from './database-roles';

// A backup of the application's database that needs no pg_dump (none of PostgreSQL 18's is installable beside the
// embedded server): every table's rows as COPY text, all from one REPEATABLE READ snapshot, with the list of
// migrations the schema had; the schema itself comes back from the migrations. Restoring migrates an empty database
// to that list, loads the rows in foreign-key order as the owner (no superuser needed), sets the sequences, then runs
// any later migration. With the cluster topology, the Temporal server's two databases (history, visibility) go in
// the same backup, the same way, their snapshots taken BEFORE the application's; their schema comes back from
// Temporal's schema tool at the recorded version. docs/architecture.md, "Backups".

export const BACKUP_FORMAT = 'bianzhi-backup/2';
/** Backups written before Temporal's databases could be in one: the application's database alone. */
const READABLE_FORMATS: readonly string[] = ['bianzhi-backup/1', BACKUP_FORMAT];

export interface BackupTable {
  name: string;
  /** The columns written (generated ones are left out: PostgreSQL computes them again). */
  columns: string[];
  rows: number;
  file: string;
  sha256: string;
}

export type TemporalDatabaseKind = 'history' | 'visibility';

/** One of the Temporal server's databases in a backup (files under `temporal/<kind>/`). */
export interface TemporalDatabaseBackup {
  kind: TemporalDatabaseKind;
  database: string;
  /** `schema_version.curr_version`: the restore sets the schema up to exactly this version. */
  schemaVersion: string;
  tables: BackupTable[];
}

export interface BackupManifest {
  format: string;
  takenAt: string;
  database: string;
  serverVersion: string;
  /** The migrations the schema had, in order (their class names). */
  migrations: string[];
  tables: BackupTable[];
  /** The Temporal server's databases, when the backup was told where they are; their snapshots came first. */
  temporal?: TemporalDatabaseBackup[];
}

/** Where the Temporal server's databases are, as a role that owns them (the server's own, `temporal`). */
export interface TemporalDatabaseUrls {
  history: string;
  visibility: string;
}

/**
 * Sets up a Temporal database's schema at `version` from nothing (temporal-sql-tool `setup-schema -v 0.0`, then
 * `update-schema -v <version>`), connecting as `url` says; given by the caller, which has the tool
 * (libs/dev-services `setUpTemporalSchema`).
 */
export type TemporalSchemaSetup = (kind: TemporalDatabaseKind, url: string, version: string) => Promise<void> | void;

/** Where a restore puts Temporal's databases, and how their schema is set up. */
export type TemporalRestoreTarget = TemporalDatabaseUrls & {
  setUpSchema: TemporalSchemaSetup;
  /** Makes the databases when missing; called once the files are checked, before anything else is written. */
  makeDatabases?: () => Promise<void>;
};

/**
 * Tables of Temporal's databases left out: the schema tool's own (it writes them again for the database it sets up,
 * under that database's name; the version is in the manifest), and the live servers' membership (who answers on
 * which port now: the servers write it again as they start).
 */
const TEMPORAL_TABLES_LEFT_OUT = ['schema_version', 'schema_update_history', 'cluster_membership'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function columnsOf(client: Client, table: string): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT a.attname AS name FROM pg_attribute a
     WHERE a.attrelid = ('public.' || quote_ident($1))::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attgenerated = '' ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r: { name: string }) => r.name);
}

/** The schema's tables, each after those its foreign keys point to. */
async function tablesInLoadOrder(client: Client): Promise<string[]> {
  const { rows: tables } = await client.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'typeorm_migrations' ORDER BY 1`,
  );
  const { rows: fks } = await client.query(
    `SELECT src.relname AS "from", dst.relname AS "to" FROM pg_constraint k
     JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = src.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND src.oid <> dst.oid`,
  );
  const needs = new Map<string, Set<string>>(tables.map((t: { name: string }) => [t.name, new Set<string>()]));
  for (const fk of fks as { from: string; to: string }[]) needs.get(fk.from)?.add(fk.to);
  const order: string[] = [];
  const visit = (t: string, path: string[] = []) => {
    if (order.includes(t)) return;
    if (path.includes(t)) throw new Error(`foreign keys in a cycle: ${[...path, t].join(' → ')}`);
    for (const dep of needs.get(t) ?? []) visit(dep, [...path, t]);
    order.push(t);
  };
  for (const t of needs.keys()) visit(t);
  return order;
}

/** Every table's rows (in load order), each into `dir/<sub>/<table>.copy`, within the client's transaction. */
async function copyTables(
  client: Client,
  dir: string,
  sub: string,
  skip: readonly string[] = [],
): Promise<BackupTable[]> {
  if (sub) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o700 });
  const tables: BackupTable[] = [];
  for (const name of await tablesInLoadOrder(client)) {
    if (skip.includes(name)) continue;
    const columns = await columnsOf(client, name);
    const file = sub ? `${sub}/${name}.copy` : `${name}.copy`;
    const hash = createHash('sha256');
    let rows = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        for (const b of chunk) if (b === 0x0a) rows += 1; // text COPY escapes newlines inside values
        done(null, chunk);
      },
    });
    await pipeline(
      client.query(copyTo(`COPY (SELECT ${columns.map(ident).join(', ')} FROM ${ident(name)}) TO STDOUT`)),
      counter,
      fs.createWriteStream(path.join(dir, file), { mode: 0o600 }),
    );
    tables.push({ name, columns, rows, file, sha256: hash.digest('hex') });
  }
  return tables;
}

/** A read-only transaction whose snapshot is taken now (by its first query), answering the database's name. */
async function openSnapshot(client: Client): Promise<string> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  return (await client.query('SELECT current_database() AS db')).rows[0].db;
}

/**
 * Writes a backup of the database at `ownerUrl` into `dir` (created; must be empty), and of the Temporal server's
 * databases when `temporal` says where they are. The snapshots are taken one right after the other before anything
 * is copied, Temporal's first: a Temporal older than the application only makes activities run again (idempotent),
 * a newer one would hold workflows past steps whose records are missing (docs/architecture.md, "Backups").
 */
export async function backupDatabase(
  ownerUrl: string,
  dir: string,
  opts: { temporal?: TemporalDatabaseUrls } = {},
): Promise<BackupManifest> {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length) throw new Error(`${dir} is not empty`);
  const kinds: TemporalDatabaseKind[] = opts.temporal ? ['history', 'visibility'] : [];
  const temporalClients = kinds.map((k) => new Client({ connectionString: opts.temporal![k] }));
  const client = new Client({ connectionString: ownerUrl });
  const all = [...temporalClients, client];
  try {
    // Connected first, so that the snapshots below follow one another by milliseconds.
    for (const c of all) await c.connect();
    // History before visibility (visibility is written from the history's tasks, which a restored history still
    // holds), both before the application's database.
    const temporalNames: string[] = [];
    for (const c of temporalClients) temporalNames.push(await openSnapshot(c));
    // One snapshot for every table: the trail, the registry and the requests agree with one another.
    const db = await openSnapshot(client);
    const temporal: TemporalDatabaseBackup[] = [];
    for (const [i, c] of temporalClients.entries()) {
      const { rows: version } = await c.query(
        'SELECT curr_version FROM schema_version WHERE version_partition = 0 AND db_name = $1',
        [temporalNames[i]],
      );
      if (!version.length)
        throw new Error(`${temporalNames[i]} has no Temporal schema version (is it Temporal's ${kinds[i]} database?)`);
      temporal.push({
        kind: kinds[i],
        database: temporalNames[i],
        schemaVersion: version[0].curr_version,
        tables: await copyTables(c, dir, `temporal/${kinds[i]}`, TEMPORAL_TABLES_LEFT_OUT),
      });
      await c.query('COMMIT');
    }
    const [{ version }] = (await client.query('SHOW server_version')).rows.map((r) => ({ version: r.server_version }));
    const migrations = (await client.query('SELECT name FROM typeorm_migrations ORDER BY timestamp')).rows.map(
      (r: { name: string }) => r.name,
    );
    const tables = await copyTables(client, dir, '');
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      takenAt: new Date().toISOString(),
      database: db,
      serverVersion: version,
      migrations,
      tables,
      ...(temporal.length ? { temporal } : {}),
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return manifest;
  } finally {
    for (const c of all) await c.end().catch(() => undefined);
  }
}

/** Refuses a database with a table in its public schema. */
async function assertEmpty(url: string, what: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: present } = await client.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    if (present[0].n > 0) throw new Error(`restore into an empty database only (${what} has tables)`);
  } finally {
    await client.end();
  }
}

/**
 * In one transaction: the rows a schema set-up wrote (counters, seeds) give way to the backup's, every table is
 * loaded, and each serial column's sequence is set after its largest value.
 */
async function loadTables(url: string, dir: string, tables: BackupTable[]): Promise<number> {
  const load = new Client({ connectionString: url });
  await load.connect();
  let rows = 0;
  try {
    await load.query('BEGIN');
    for (const t of [...tables].reverse())
      if ((await load.query(`SELECT EXISTS (SELECT 1 FROM ${ident(t.name)}) AS any`)).rows[0].any)
        await load.query(`DELETE FROM ${ident(t.name)}`);
    for (const t of tables) {
      await pipeline(
        fs.createReadStream(path.join(dir, t.file)),
        load.query(copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`)),
      );
      rows += t.rows;
    }
    const { rows: serials } = await load.query(
      `SELECT c.relname AS "table", a.attname AS "column",
              pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
    );
    for (const s of serials as { table: string; column: string; seq: string }[])
      await load.query(
        `SELECT setval($1, coalesce((SELECT max(${ident(s.column)}) FROM ${ident(s.table)}), 0) + 1, false)`,
        [s.seq],
      );
    await load.query('COMMIT');
  } catch (err) {
    await load.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await load.end();
  }
  return rows;
}

/**
 * Restores a backup into the empty database at `ownerUrl`: migrated to the backup's migrations, every table loaded
 * (each file's SHA-256 checked first), the sequences set past the rows, then migrated to this code's last migration.
 * With `temporal`, the Temporal server's databases too, into empty databases (as the role that will own the tables,
 * the server's own): the schema set up by `setUpSchema` to the backup's recorded version, then the rows.
 * Refuses a backup whose migrations this code does not have in that order, a changed file, or a database that is
 * not empty, before anything is written.
 */
export async function restoreDatabase(
  ownerUrl: string,
  dir: string,
  opts: { temporal?: TemporalRestoreTarget } = {},
): Promise<{ tables: number; rows: number; temporal?: { tables: number; rows: number } }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (!READABLE_FORMATS.includes(manifest.format)) throw new Error(`not a backup of this kind: ${manifest.format}`);
  const known = MIGRATIONS.map((m) => m.name);
  const prefix = MIGRATIONS.slice(0, manifest.migrations.length);
  if (manifest.migrations.some((name, i) => known[i] !== name))
    throw new Error(`the backup's migrations are not this code's (${manifest.migrations.join(', ')})`);
  const temporal = opts.temporal ? (manifest.temporal ?? []) : [];
  if (opts.temporal && !temporal.length)
    throw new Error('the backup holds no Temporal databases (it was taken without TEMPORAL_DB_URL)');
  if (temporal.length && temporal.map((d) => d.kind).join() !== 'history,visibility')
    throw new Error(`the manifest's Temporal databases are not history and visibility`);
  for (const d of temporal)
    if (!/^\d+\.\d+$/.test(d.schemaVersion))
      throw new Error(`the manifest's ${d.kind} schema version is not a version: ${d.schemaVersion}`);
  for (const t of [...temporal.flatMap((d) => d.tables), ...manifest.tables]) {
    const sha = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, t.file)))
      .digest('hex');
    if (sha !== t.sha256) throw new Error(`${t.file} is not the file the backup wrote (SHA-256 differs)`);
  }
  await assertEmpty(ownerUrl, "the application's database");
  if (temporal.length) await opts.temporal!.makeDatabases?.();
  for (const d of temporal) await assertEmpty(opts.temporal![d.kind], `Temporal's ${d.kind} database`);

  let temporalRows = 0;
  for (const d of temporal) {
    await opts.temporal!.setUpSchema(d.kind, opts.temporal![d.kind], d.schemaVersion);
    temporalRows += await loadTables(opts.temporal![d.kind], dir, d.tables);
  }
  await migrateDatabase(ownerUrl, { migrations: prefix });
  const rows = await loadTables(ownerUrl, dir, manifest.tables);
  await migrateDatabase(ownerUrl);
  return {
    tables: manifest.tables.length,
    rows,
    ...(temporal.length
      ? { temporal: { tables: temporal.reduce((n, d) => n + d.tables.length, 0), rows: temporalRows } }
      : {}),
  };
}
