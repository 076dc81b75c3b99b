import * as path from 'node:path';
import { appRoleFromUrl, backupDatabase, migrateDatabase, restoreDatabase } from '@bianzhi/persistence';

// `npm run backup -- DIR` and `npm run restore -- DIR`: the application's database, as its owner
// (DATABASE_OWNER_URL), written to DIR and read back from it (libs/persistence/src/backup.ts; docs/architecture.md,
// "Backups"). Keep DIR apart from the keys (PEOPLE_KEY_FILE, TEMPORAL_CODEC_KEY_FILE, AUDIT_SIGNING_KEY_FILE), which
// are never in it: whoever holds a backup reads no ID number and can sign nothing.

async function main(): Promise<void> {
  const [command, dir] = process.argv.slice(2);
  const ownerUrl = process.env.DATABASE_OWNER_URL;
  if (!ownerUrl || !dir || !['backup', 'restore'].includes(command)) {
    console.error(
      'usage: DATABASE_OWNER_URL=… npm run backup -- DIR   |   DATABASE_OWNER_URL=… npm run restore -- DIR',
    );
    process.exit(2);
  }
  if (command === 'backup') {
    const m = await backupDatabase(ownerUrl, path.resolve(dir));
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    console.log(
      `backup: ${m.tables.length} tables, ${rows} rows of ${m.database} (PostgreSQL ${m.serverVersion}) in ${dir}`,
    );
    return;
  }
  const r = await restoreDatabase(ownerUrl, path.resolve(dir));
  // The application's role granted as `npm run migrate` would, when DATABASE_URL names it.
  const appUrl = process.env.DATABASE_URL;
  if (appUrl) await migrateDatabase(ownerUrl, { appRole: appRoleFromUrl(appUrl) });
  console.log(`restore: ${r.tables} tables, ${r.rows} rows; now run the verification (GET /v1/audit/verify)`);
}

if (require.main === module)
  main().catch((err) => {
    console.error('failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
