import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOrCreateKeyFile, pinnedKeysOf, suiteOf } from '@bianzhi/audit';
import { ensureTemporalRole, setUpTemporalSchema, type TemporalServerLayout } from '@bianzhi/dev-services';
import {
  appRoleFromUrl,
  backupDatabase,
  restoreDatabase,
  trustedBackupKeys,
  type BackupManifest,
  type TemporalDatabaseUrls,
  type TemporalRestoreTarget,
} from '@bianzhi/persistence';
import { ROOT } from './root';

// `npm run backup -- DIR` and `npm run restore -- DIR`: the application's database, as its owner
// (DATABASE_OWNER_URL), and, when TEMPORAL_DB_URL says where they are, the Temporal server's two databases (the
// cluster topology), written to DIR and read back from it (libs/persistence/src/backup.ts; docs/architecture.md,
// "Backups"). Keep DIR apart from the keys (PEOPLE_KEY_FILE, TEMPORAL_CODEC_KEY_FILE, AUDIT_SIGNING_KEY_FILE), which
// are never in it: whoever holds a backup reads no ID number and can sign nothing. The manifest is signed with a key
// of its own (BACKUP_SIGNING_KEY_FILE, made at the first backup), not the audit trail's: whoever runs the backups
// holds the owner's password, and with the trail's key as well could rewrite and re-sign it. A restore checks the
// signature with that key's public half (or --public-key FILE).

const USAGE =
  'usage: DATABASE_OWNER_URL=… BACKUP_SIGNING_KEY_FILE=… [TEMPORAL_DB_URL=… [TEMPORAL_VISIBILITY_DB_URL=…]] ' +
  'npm run backup -- DIR\n' +
  '       DATABASE_OWNER_URL=… [DATABASE_URL=…] [BACKUP_SIGNING_KEY_FILE=…] [TEMPORAL_DB_URL=… ' +
  '[TEMPORAL_VISIBILITY_DB_URL=…]] npm run restore -- DIR [--public-key FILE] [--unsigned]';

/**
 * Temporal's databases from the environment: TEMPORAL_DB_URL is the history database as the role that owns it (the
 * server's own, `temporal`); the visibility database is TEMPORAL_VISIBILITY_DB_URL, or the same URL with
 * `_visibility` after the database's name, as startTemporalServer names it.
 */
export function temporalUrlsFromEnv(env: NodeJS.ProcessEnv): TemporalDatabaseUrls | undefined {
  const history = env.TEMPORAL_DB_URL;
  if (!history) {
    if (env.TEMPORAL_VISIBILITY_DB_URL) throw new Error('TEMPORAL_VISIBILITY_DB_URL without TEMPORAL_DB_URL');
    return undefined;
  }
  const u = new URL(history);
  if (!u.pathname.slice(1)) throw new Error('TEMPORAL_DB_URL names no database');
  let visibility = env.TEMPORAL_VISIBILITY_DB_URL;
  if (!visibility) {
    const v = new URL(history);
    v.pathname = `${u.pathname}_visibility`;
    visibility = v.toString();
  }
  return { history, visibility };
}

/** `npm run backup -- DIR` with the environment `env`: the manifest signed with BACKUP_SIGNING_KEY_FILE's key. */
export async function backupCommand(dir: string, env: NodeJS.ProcessEnv): Promise<BackupManifest> {
  const ownerUrl = env.DATABASE_OWNER_URL;
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL is required');
  if (!env.BACKUP_SIGNING_KEY_FILE)
    throw new Error(
      "BACKUP_SIGNING_KEY_FILE is required: the backup's manifest is signed with the key of that file (made, 0600, " +
        "at the first backup; not the audit trail's key)",
    );
  const signingKey = loadOrCreateKeyFile(env.BACKUP_SIGNING_KEY_FILE, suiteOf(env).signature);
  return backupDatabase(ownerUrl, path.resolve(dir), { temporal: temporalUrlsFromEnv(env), signingKey });
}

/** What `restore` takes besides DIR: the keys it trusts, whether it admits an unsigned manifest, where it reports. */
export interface RestoreFlags {
  /** --public-key FILE: the public keys as an operator keeps them (pinnedKeysOf), instead of the key file's own. */
  publicKeyFile?: string;
  /** --unsigned: a backup from before manifests were signed is restored (with a warning). */
  unsigned?: boolean;
  log?: (line: string) => void;
}

/** The keys a manifest's signature is checked with: --public-key FILE's, else BACKUP_SIGNING_KEY_FILE's. */
function trustedKeysFor(flags: RestoreFlags, env: NodeJS.ProcessEnv): string[] {
  if (flags.publicKeyFile) {
    const text = fs.readFileSync(flags.publicKeyFile, 'utf8');
    const keys = pinnedKeysOf(text);
    if (!keys.length) throw new Error(`${flags.publicKeyFile} (--public-key) holds no public key (PEM or SM2 hex)`);
    return keys;
  }
  return env.BACKUP_SIGNING_KEY_FILE && fs.existsSync(env.BACKUP_SIGNING_KEY_FILE)
    ? trustedBackupKeys(env.BACKUP_SIGNING_KEY_FILE)
    : [];
}

/**
 * `npm run restore -- DIR` with the environment `env`: the manifest's signature checked, Temporal's databases (the
 * role made by the owner when missing, the schema by temporal-sql-tool of `.tools/temporal-server` or
 * TEMPORAL_SERVER_HOME), then the application's, each into a database of the restore's making that takes the
 * target's name at the end; the application's role granted as `npm run migrate` would, when DATABASE_URL names it.
 */
export async function restoreCommand(dir: string, env: NodeJS.ProcessEnv, flags: RestoreFlags = {}) {
  const ownerUrl = env.DATABASE_OWNER_URL;
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL is required');
  const manifest = JSON.parse(fs.readFileSync(path.join(path.resolve(dir), 'manifest.json'), 'utf8')) as BackupManifest;
  const urls = temporalUrlsFromEnv(env);
  if (manifest.temporal?.length && !urls)
    throw new Error(
      "the backup holds Temporal's databases: set TEMPORAL_DB_URL (and TEMPORAL_VISIBILITY_DB_URL if not " +
        '<name>_visibility) to the empty databases to restore them into',
    );
  let temporal: TemporalRestoreTarget | undefined;
  if (urls) {
    const { ensureTemporalServer } = require(path.join(ROOT, 'scripts', 'temporal-server.js'));
    const layout: TemporalServerLayout | null = ensureTemporalServer();
    if (!layout)
      throw new Error(`no temporal-sql-tool: ${ensureTemporalServer.why ?? 'the Temporal server could not be built'}`);
    temporal = {
      ...urls,
      setUpSchema: (kind, url, version) => setUpTemporalSchema(layout, url, kind, version),
      makeRole: () => ensureTemporalRole(ownerUrl, [urls.history, urls.visibility]),
    };
  }
  return restoreDatabase(ownerUrl, path.resolve(dir), {
    temporal,
    trustedKeys: trustedKeysFor(flags, env),
    unsigned: flags.unsigned,
    appRole: env.DATABASE_URL ? appRoleFromUrl(env.DATABASE_URL) : undefined,
    log: flags.log,
  });
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const flags: RestoreFlags = { log: (line) => console.log(`restore: ${line}`) };
  let dir: string | undefined;
  let bad = false;
  for (let i = 0; i < args.length; i++) {
    if (command === 'restore' && args[i] === '--public-key' && args[i + 1]) flags.publicKeyFile = args[++i];
    else if (command === 'restore' && args[i] === '--unsigned') flags.unsigned = true;
    else if (!args[i].startsWith('--') && !dir) dir = args[i];
    else bad = true;
  }
  if (bad || !process.env.DATABASE_OWNER_URL || !dir || !['backup', 'restore'].includes(command!)) {
    console.error(USAGE);
    process.exit(2);
  }
  if (command === 'backup') {
    const m = await backupCommand(dir, process.env);
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    const temporal = (m.temporal ?? []).map(
      (d) =>
        `${d.tables.length} tables, ${d.tables.reduce((n, t) => n + t.rows, 0)} rows of ${d.database} ` +
        `(Temporal ${d.kind}, schema ${d.schemaVersion})`,
    );
    console.log(
      `backup: ${[...temporal, `${m.tables.length} tables, ${rows} rows of ${m.database}`].join('; ')} ` +
        `(PostgreSQL ${m.serverVersion}) in ${dir}, the manifest signed by key ${m.signature!.keyId}`,
    );
    // Kept apart from the key file, this is what a restore on another host is given (--public-key).
    console.log(
      `backup: the backup key's public half (for restore --public-key):\n` +
        loadOrCreateKeyFile(process.env.BACKUP_SIGNING_KEY_FILE!, suiteOf().signature).publicKey.trim(),
    );
    return;
  }
  const r = await restoreCommand(dir, process.env, flags);
  console.log(
    `restore: ${r.signed ? 'the manifest signed by a trusted key; ' : 'UNSIGNED manifest (--unsigned); '}` +
      `${r.tables} tables, ${r.rows} rows` +
      (r.temporal ? `; Temporal: ${r.temporal.tables} tables, ${r.temporal.rows} rows` : '') +
      '; now run the verification (GET /v1/audit/verify)',
  );
}

if (require.main === module)
  main().catch((err) => {
    console.error('failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
