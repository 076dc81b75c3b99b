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
// any later migration. docs/architecture.md, "Backups".

export const BACKUP_FORMAT = 'bianzhi-backup/1';

export interface BackupTable {
  name: string;
  /** The columns written (generated ones are left out: PostgreSQL computes them again). */
  columns: string[];
  rows: number;
  file: string;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  takenAt: string;
  database: string;
  serverVersion: string;
  /** The migrations the schema had, in order (their class names). */
  migrations: string[];
  tables: BackupTable[];
}

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

/** Writes a backup of the database at `ownerUrl` into `dir` (created; must be empty). */
export async function backupDatabase(ownerUrl: string, dir: string): Promise<BackupManifest> {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length) throw new Error(`${dir} is not empty`);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // One snapshot for every table: the trail, the registry and the requests agree with one another.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [{ version }] = (await client.query('SHOW server_version')).rows.map((r) => ({ version: r.server_version }));
    const [{ db }] = (await client.query('SELECT current_database() AS db')).rows;
    const migrations = (await client.query('SELECT name FROM typeorm_migrations ORDER BY timestamp')).rows.map(
      (r: { name: string }) => r.name,
    );
    const tables: BackupTable[] = [];
    for (const name of await tablesInLoadOrder(client)) {
      const columns = await columnsOf(client, name);
      const file = `${name}.copy`;
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
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      takenAt: new Date().toISOString(),
      database: db,
      serverVersion: version,
      migrations,
      tables,
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return manifest;
  } finally {
    await client.end();
  }
}

/**
 * Restores a backup into the empty database at `ownerUrl`: migrated to the backup's migrations, every table loaded
 * (each file's SHA-256 checked first), the sequences set past the rows, then migrated to this code's last migration.
 * Refuses a backup whose migrations this code does not have in that order, or a database that is not empty.
 */
export async function restoreDatabase(ownerUrl: string, dir: string): Promise<{ tables: number; rows: number }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`not a backup of this kind: ${manifest.format}`);
  const known = MIGRATIONS.map((m) => m.name);
  const prefix = MIGRATIONS.slice(0, manifest.migrations.length);
  if (manifest.migrations.some((name, i) => known[i] !== name))
    throw new Error(`the backup's migrations are not this code's (${manifest.migrations.join(', ')})`);
  for (const t of manifest.tables) {
    const sha = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, t.file)))
      .digest('hex');
    if (sha !== t.sha256) throw new Error(`${t.file} is not the file the backup wrote (SHA-256 differs)`);
  }
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows: present } = await client.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    if (present[0].n > 0) throw new Error('restore into an empty database only');
  } finally {
    await client.end();
  }
  await migrateDatabase(ownerUrl, { migrations: prefix });
  const load = new Client({ connectionString: ownerUrl });
  await load.connect();
  let rows = 0;
  try {
    await load.query('BEGIN');
    // Rows a migration wrote (counters, seeds) give way to the backup's.
    for (const t of [...manifest.tables].reverse())
      if ((await load.query(`SELECT EXISTS (SELECT 1 FROM ${ident(t.name)}) AS any`)).rows[0].any)
        await load.query(`DELETE FROM ${ident(t.name)}`);
    for (const t of manifest.tables) {
      await pipeline(
        fs.createReadStream(path.join(dir, t.file)),
        load.query(copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`)),
      );
      rows += t.rows;
    }
    // Each serial column's sequence after its largest value.
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
  await migrateDatabase(ownerUrl);
  return { tables: manifest.tables.length, rows };
}
