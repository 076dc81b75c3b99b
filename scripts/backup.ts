import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureTemporalDatabases, setUpTemporalSchema, type TemporalServerLayout } from '@bianzhi/dev-services';
import {
  appRoleFromUrl,
  backupDatabase,
  migrateDatabase,
  restoreDatabase,
  type BackupManifest,
  type TemporalDatabaseUrls,
  type TemporalRestoreTarget,
} from '@bianzhi/persistence';
import { ROOT } from './root';

// `npm run backup -- DIR` and `npm run restore -- DIR`: the application's database, as its owner
// (DATABASE_OWNER_URL), and, when TEMPORAL_DB_URL says where they are, the Temporal server's two databases (the
// cluster topology), written to DIR and read back from it (libs/persistence/src/backup.ts; docs/architecture.md,
// "Backups"). Keep DIR apart from the keys (PEOPLE_KEY_FILE, TEMPORAL_CODEC_KEY_FILE, AUDIT_SIGNING_KEY_FILE), which
// are never in it: whoever holds a backup reads no ID number and can sign nothing.

const USAGE =
  'usage: DATABASE_OWNER_URL=… [TEMPORAL_DB_URL=… [TEMPORAL_VISIBILITY_DB_URL=…]] npm run backup -- DIR\n' +
  '       DATABASE_OWNER_URL=… [DATABASE_URL=…] [TEMPORAL_DB_URL=… [TEMPORAL_VISIBILITY_DB_URL=…]] ' +
  'npm run restore -- DIR';

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

/** `npm run backup -- DIR` with the environment `env`. */
export async function backupCommand(dir: string, env: NodeJS.ProcessEnv): Promise<BackupManifest> {
  const ownerUrl = env.DATABASE_OWNER_URL;
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL is required');
  return backupDatabase(ownerUrl, path.resolve(dir), { temporal: temporalUrlsFromEnv(env) });
}

/**
 * `npm run restore -- DIR` with the environment `env`: Temporal's databases (made by the owner when missing, the
 * schema by temporal-sql-tool of `.tools/temporal-server` or TEMPORAL_SERVER_HOME), then the application's; the
 * application's role granted as `npm run migrate` would, when DATABASE_URL names it.
 */
export async function restoreCommand(dir: string, env: NodeJS.ProcessEnv) {
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
      makeDatabases: () => ensureTemporalDatabases(ownerUrl, [urls.history, urls.visibility]),
    };
  }
  const r = await restoreDatabase(ownerUrl, path.resolve(dir), { temporal });
  const appUrl = env.DATABASE_URL;
  if (appUrl) await migrateDatabase(ownerUrl, { appRole: appRoleFromUrl(appUrl) });
  return r;
}

async function main(): Promise<void> {
  const [command, dir] = process.argv.slice(2);
  if (!process.env.DATABASE_OWNER_URL || !dir || !['backup', 'restore'].includes(command)) {
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
        `(PostgreSQL ${m.serverVersion}) in ${dir}`,
    );
    return;
  }
  const r = await restoreCommand(dir, process.env);
  console.log(
    `restore: ${r.tables} tables, ${r.rows} rows` +
      (r.temporal ? `; Temporal: ${r.temporal.tables} tables, ${r.temporal.rows} rows` : '') +
      '; now run the verification (GET /v1/audit/verify)',
  );
}

if (require.main === module)
  main().catch((err) => {
    console.error('failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
