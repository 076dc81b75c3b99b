import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import {
  canonicalJson,
  keyIdOf,
  parseKey,
  signMessage,
  trustedRecordKeys,
  verifyMessage,
  type SigningKey,
} from '@bianzhi/audit';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { MIGRATIONS } from './data-source';
import { migrateDatabase, type AppRole } from './database-roles';

// A backup of the application's database that needs no pg_dump (none of PostgreSQL 18's is installable beside the
// embedded server): every table's rows as COPY text, all from one REPEATABLE READ snapshot, with the list of
// migrations the schema had; the schema itself comes back from the migrations. Restoring migrates an empty database
// to that list, loads the rows in foreign-key order as the owner (no superuser needed), sets the sequences, then runs
// any later migration. With the cluster topology, the Temporal server's two databases (history, visibility) go in
// the same backup, the same way, their snapshots taken BEFORE the application's; their schema comes back from
// Temporal's schema tool at the recorded version. The manifest is signed with a key of its own (not the trail's), so
// that whoever can write the backup's directory cannot change a file and its SHA-256 together. A restore loads
// everything into databases of its own making and swaps them into place only when all are loaded: a restore that
// fails, or dies, leaves the targets as they were. docs/architecture.md, "Backups".

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
  /** Over signedManifestText (the canonical JSON without this field); absent before backups were signed. */
  signature?: ManifestSignature;
}

/** The manifest's signature by the backup signing key (BACKUP_SIGNING_KEY_FILE). */
export interface ManifestSignature {
  algorithm: SigningKey['algorithm'];
  /** keyIdOf the public key: names the key in messages, proves nothing (the trusted keys are given to the restore). */
  keyId: string;
  /** Hex. */
  value: string;
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
  /** Makes the role the URLs name when missing; called once the files are checked, before any database is made. */
  makeRole?: () => Promise<void>;
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
  /** `signingKey`: the backup signing key (BACKUP_SIGNING_KEY_FILE's); without it the manifest is unsigned. */
  opts: { temporal?: TemporalDatabaseUrls; signingKey?: SigningKey } = {},
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
    if (opts.signingKey) manifest.signature = signManifest(manifest, opts.signingKey);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return manifest;
  } finally {
    for (const c of all) await c.end().catch(() => undefined);
  }
}

/** What a manifest's signature covers: its canonical JSON (RFC 8785) without the signature itself. */
export function signedManifestText(manifest: BackupManifest): string {
  const { signature: _signature, ...rest } = manifest;
  return canonicalJson(rest);
}

/** The manifest's signature by `key` (the backup signing key). */
export function signManifest(manifest: BackupManifest, key: SigningKey): ManifestSignature {
  return {
    algorithm: key.algorithm,
    keyId: keyIdOf(key.publicKey),
    value: signMessage(key, signedManifestText(manifest)),
  };
}

/**
 * The public keys a restore accepts a manifest's signature from, given the backup signing key's file: its own and
 * the predecessors it names (a backup signed before a rotation of that key).
 */
export function trustedBackupKeys(keyFile: string): string[] {
  return trustedRecordKeys(parseKey(keyFile)).map((k) => k.publicKey);
}

/** A public key's algorithm by its form: a PEM block is Ed25519's, a hex point SM2's (as pinnedKeysOf reads them). */
const algorithmOfKey = (publicKey: string): SigningKey['algorithm'] =>
  publicKey.includes('BEGIN PUBLIC KEY') ? 'ed25519' : 'sm2';

/**
 * Refuses a manifest whose signature does not verify with one of `trustedKeys`, and an unsigned one unless
 * `unsigned` admits it (a backup from before manifests were signed). The messages name the keys by id.
 */
export function checkManifestSignature(
  manifest: BackupManifest,
  trustedKeys: readonly string[],
  unsigned = false,
): 'signed' | 'unsigned' {
  const sig = manifest.signature;
  if (!sig) {
    if (unsigned) return 'unsigned';
    throw new Error(
      "the backup's manifest is not signed (a backup from before manifests were signed, or its signature was " +
        'removed): restore it only with --unsigned, once you know where it comes from',
    );
  }
  if (!trustedKeys.length)
    throw new Error(
      `the backup's manifest is signed (key ${sig.keyId}), but no trusted public key was given: ` +
        'set BACKUP_SIGNING_KEY_FILE or pass --public-key FILE',
    );
  const text = signedManifestText(manifest);
  const verified = trustedKeys.some(
    (k) => algorithmOfKey(k) === sig.algorithm && verifyMessage(sig.algorithm, k, text, String(sig.value ?? '')),
  );
  if (verified) return 'signed';
  const ids = trustedKeys.map(keyIdOf);
  throw new Error(
    ids.includes(sig.keyId)
      ? `the backup's manifest signature does not verify with the trusted key ${sig.keyId}: the manifest (or a ` +
          "file's SHA-256 in it) was changed after the backup was taken"
      : `the backup's manifest is signed by key ${sig.keyId}, which is not a trusted key (${ids.join(', ')}): ` +
          'pass --public-key FILE with the key that signed it, if you trust it',
  );
}

/** The tables in the public schema of the database at `url`. */
async function tableCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/**
 * In one transaction: the rows a schema set-up wrote (counters, seeds) give way to the backup's, every table is
 * loaded (each file's rows counted against the manifest's), and each serial column's sequence is set after its
 * largest value.
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
      const copy = load.query(copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`));
      await pipeline(fs.createReadStream(path.join(dir, t.file)), copy);
      if (copy.rowCount !== t.rows)
        throw new Error(`${t.file}: ${copy.rowCount} rows loaded, the manifest says ${t.rows}`);
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

const dbNameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** `url` with its database replaced by `db`. */
function urlFor(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}

/**
 * The name of a database the restore makes for `target` (`__restoring`: being loaded) or puts an empty target
 * aside under (`__replaced`) during the swap; fixed, so that a later restore recognises what an interrupted one
 * left. Within PostgreSQL's 63 bytes: a long target's name is cut and a hash of it added.
 */
export function restoreWorkName(target: string, role: 'restoring' | 'replaced'): string {
  const suffix = `__${role}`;
  if (Buffer.byteLength(target) + suffix.length <= 63) return `${target}${suffix}`;
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 8);
  let head = target;
  while (Buffer.byteLength(head) + suffix.length + 9 > 63) head = head.slice(0, -1);
  return `${head}_${hash}${suffix}`;
}

/** One database a restore writes: where it goes, who owns it, and the database of its own making it loads first. */
interface RestoreTarget {
  what: string;
  /** The target's name, and a URL to it as the role that loads it (the owner; Temporal's role). */
  name: string;
  url: string;
  /** Who owns the database made: the target's owner when it exists, else `url`'s user. */
  owner: string;
  exists: boolean;
  /** The database the restore makes and loads (restoreWorkName 'restoring'), and `url` pointing at it. */
  work: string;
  workUrl: string;
}

/**
 * The database's properties a copy must have for the backup's text to load the same way: encoding and locale,
 * from the target when it exists (read through to_jsonb, whose columns differ between PostgreSQL versions).
 */
async function createClause(admin: Client, target: RestoreTarget): Promise<string> {
  const clauses = [`OWNER ${admin.escapeIdentifier(target.owner)}`];
  if (!target.exists) return clauses.join(' ');
  const { rows } = await admin.query(
    `SELECT pg_encoding_to_char(d.encoding) AS encoding, to_jsonb(d) AS d FROM pg_database d WHERE datname = $1`,
    [target.name],
  );
  const d = rows[0].d as Record<string, string | null>;
  const lit = (v: string) => admin.escapeLiteral(v);
  clauses.push('TEMPLATE template0', `ENCODING ${lit(rows[0].encoding)}`);
  clauses.push(`LC_COLLATE ${lit(d.datcollate!)}`, `LC_CTYPE ${lit(d.datctype!)}`);
  const locale = d.datlocale ?? d.daticulocale;
  if (d.datlocprovider === 'i' && locale) clauses.push('LOCALE_PROVIDER icu', `ICU_LOCALE ${lit(locale)}`);
  if (d.datlocprovider === 'b' && locale) clauses.push('LOCALE_PROVIDER builtin', `BUILTIN_LOCALE ${lit(locale)}`);
  return clauses.join(' ');
}

const databaseExists = async (admin: Client, name: string) =>
  ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;

/**
 * What an earlier restore of these targets left when it was killed before it could clean up: its databases being
 * loaded (dropped: they are the restore's own) and empty targets it had put aside (dropped when they still have no
 * table; one that has tables is left, and refused).
 */
async function dropLeftovers(
  admin: Client,
  adminUrl: string,
  targets: RestoreTarget[],
  log: (line: string) => void,
): Promise<void> {
  const drop = (name: string) =>
    admin.query(`DROP DATABASE ${admin.escapeIdentifier(name)}`).catch((err: Error) => {
      throw new Error(`${name}, left by an earlier restore, cannot be dropped (is a restore running?): ${err.message}`);
    });
  for (const t of targets) {
    if (await databaseExists(admin, t.work)) {
      await drop(t.work);
      log(`dropped ${t.work}: ${t.what} as an earlier restore that did not finish had half loaded it`);
    }
    const aside = restoreWorkName(t.name, 'replaced');
    if (await databaseExists(admin, aside)) {
      if ((await tableCount(urlFor(adminUrl, aside))) > 0)
        throw new Error(
          `${aside} has tables: it is not the empty database an earlier restore put aside; rename it and restore again`,
        );
      await drop(aside);
      log(`dropped ${aside}: ${t.what} as it was (empty), put aside by an earlier restore`);
    }
  }
}

/**
 * Restores a backup, checked first: the manifest's signature (with one of `trustedKeys`; an unsigned manifest only
 * with `unsigned`), this code's migrations in that order, each file's SHA-256; then the targets, which must not
 * exist or be empty. Nothing is written into a target: each database is restored into one the restore makes, as the
 * administrator (`ownerUrl`'s role, which needs CREATEDB), named restoreWorkName(target, 'restoring'):
 * - with `temporal`, the Temporal server's two databases, owned by its role (made by `makeRole`): the schema set up
 *   by `setUpSchema` (as that role) to the backup's recorded version, then the rows;
 * - the application's: migrated to the backup's migrations, every table loaded, the sequences set past the rows,
 *   migrated to this code's last migration, and `appRole` granted (as `npm run migrate` does);
 * and only when all are loaded (each file's row count checked) they take the targets' names, in one transaction
 * (an existing empty target is renamed aside in it, and dropped after). On failure the databases made are dropped:
 * the targets are as they were, and the same restore can run again; one killed leaves them to the next, which drops
 * them and says so (`log`). docs/architecture.md, "Backups".
 */
export async function restoreDatabase(
  ownerUrl: string,
  dir: string,
  opts: {
    temporal?: TemporalRestoreTarget;
    trustedKeys?: readonly string[];
    unsigned?: boolean;
    appRole?: AppRole;
    log?: (line: string) => void;
  } = {},
): Promise<{
  tables: number;
  rows: number;
  signed: boolean;
  temporal?: { tables: number; rows: number };
}> {
  const log = opts.log ?? (() => undefined);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (!READABLE_FORMATS.includes(manifest.format)) throw new Error(`not a backup of this kind: ${manifest.format}`);
  const signed = checkManifestSignature(manifest, opts.trustedKeys ?? [], opts.unsigned) === 'signed';
  if (!signed) log("WARNING: the backup's manifest is not signed: its files are checked against it, not it itself");
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

  const urls: [string, string][] = [
    ...temporal.map((d): [string, string] => [`Temporal's ${d.kind} database`, opts.temporal![d.kind]]),
    ["the application's database", ownerUrl],
  ];
  const names = urls.map(([, url]) => dbNameOf(url));
  if (names.some((n) => !n)) throw new Error('a database URL names no database');
  if (new Set(names).size !== names.length) throw new Error(`the restore's databases are not distinct: ${names}`);
  // The administrator works from a database the restore does not touch (one cannot rename the one connected to).
  const adminUrl = urlFor(ownerUrl, names.includes('postgres') ? 'template1' : 'postgres');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const made: RestoreTarget[] = [];
  try {
    const targets: RestoreTarget[] = [];
    for (const [what, url] of urls) {
      const name = dbNameOf(url);
      const { rows } = await admin.query(
        'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
        [name],
      );
      const work = restoreWorkName(name, 'restoring');
      const owner = rows[0]?.owner ?? decodeURIComponent(new URL(url).username);
      targets.push({ what, name, url, owner, exists: rows.length > 0, work, workUrl: urlFor(url, work) });
    }
    await dropLeftovers(admin, ownerUrl, targets, log);
    for (const t of targets)
      if (t.exists && (await tableCount(t.url)) > 0)
        throw new Error(`restore into an empty database only (${t.what}, ${t.name}, has tables)`);
    if (temporal.length) await opts.temporal!.makeRole?.();

    for (const t of targets) {
      const clause = await createClause(admin, t);
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(t.work)} ${clause}`);
      made.push(t);
    }
    let temporalRows = 0;
    for (const [i, d] of temporal.entries()) {
      const t = targets[i];
      await opts.temporal!.setUpSchema(d.kind, t.workUrl, d.schemaVersion);
      // The schema tool recorded the version under the name it was given; the server looks it up under the target's.
      await withClient(t.workUrl, (c) =>
        c.query('UPDATE schema_version SET db_name = $1 WHERE db_name = $2', [t.name, t.work]),
      );
      temporalRows += await loadTables(t.workUrl, dir, d.tables);
    }
    const app = targets[targets.length - 1];
    await migrateDatabase(app.workUrl, { migrations: prefix });
    const rows = await loadTables(app.workUrl, dir, manifest.tables);
    await migrateDatabase(app.workUrl, opts.appRole ? { appRole: opts.appRole } : {});

    // All loaded: the swap. A target written to since it was found empty is refused here too.
    for (const t of targets)
      if ((await databaseExists(admin, t.name)) && (await tableCount(t.url)) > 0)
        throw new Error(`restore into an empty database only (${t.what}, ${t.name}, has tables now)`);
    const aside: string[] = [];
    await admin.query('BEGIN');
    try {
      for (const t of targets) {
        if (await databaseExists(admin, t.name)) {
          aside.push(restoreWorkName(t.name, 'replaced'));
          await admin.query(
            `ALTER DATABASE ${admin.escapeIdentifier(t.name)} RENAME TO ${admin.escapeIdentifier(aside.at(-1)!)}`,
          );
        }
        await admin.query(
          `ALTER DATABASE ${admin.escapeIdentifier(t.work)} RENAME TO ${admin.escapeIdentifier(t.name)}`,
        );
      }
      await admin.query('COMMIT');
    } catch (err) {
      await admin.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    made.length = 0;
    for (const name of aside)
      await admin
        .query(`DROP DATABASE ${admin.escapeIdentifier(name)}`)
        .catch((err) =>
          log(`${name} (an empty database put aside) not dropped: ${err.message}; the next restore will`),
        );
    return {
      tables: manifest.tables.length,
      rows,
      signed,
      ...(temporal.length
        ? { temporal: { tables: temporal.reduce((n, d) => n + d.tables.length, 0), rows: temporalRows } }
        : {}),
    };
  } catch (err) {
    for (const t of made)
      await admin
        .query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(t.work)}`)
        .then(() => log(`dropped ${t.work} (${t.what}, half loaded): the targets are as they were`))
        .catch((e) => log(`${t.work} not dropped (${e.message}); the next restore drops it`));
    throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
