import { appRoleFromUrl, MigrateResult, migrateDatabase } from '@bianzhi/persistence';

// `npm run migrate`: the schema brought up to date by its owner, in a step of its own before the worker and the API
// start (they never migrate; docs/architecture.md, "Database roles"). DATABASE_OWNER_URL connects as the owner;
// DATABASE_URL names the application's role, which is created (or brought back to LOGIN and nothing more, with
// DATABASE_URL's password) and granted what the API and the worker need: SELECT and INSERT only on the trail.
// Idempotent: run it at every deployment. `npm start` does the same for the embedded PostgreSQL.

export function migrationReport(r: MigrateResult): string {
  const ran = r.migrations.length ? `ran ${r.migrations.join(', ')}` : 'the schema was up to date';
  const role = r.appRole ? `the application's role ${r.appRole} granted` : 'no application role (DATABASE_URL unset)';
  return `migrate: ${ran}; ${role}`;
}

async function main(): Promise<void> {
  const ownerUrl = process.env.DATABASE_OWNER_URL;
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL is required: the migrations run as the owner of the schema');
  const appUrl = process.env.DATABASE_URL;
  const result = await migrateDatabase(ownerUrl, { appRole: appUrl ? appRoleFromUrl(appUrl) : undefined });
  console.log(migrationReport(result));
}

if (require.main === module)
  main().catch((err) => {
    console.error('migrate failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
