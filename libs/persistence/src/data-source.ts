import { DataSource, DataSourceOptions } from 'typeorm';
import * as entities from './entities';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { AuditPrivileges1763856000000 } from './migrations/1763856000000-audit-privileges';
import { AuditStoredBody1764028800000 } from './migrations/1764028800000-audit-stored-body';
import { ConsoleWorkLists1764547200000 } from './migrations/1764547200000-console-work-lists';
import { RequestReferenceNumber1764633600000 } from './migrations/1764633600000-request-reference-number';
import { AccountSecurity1764720000000 } from './migrations/1764720000000-account-security';
import { BodyLimit1764806400000 } from './migrations/1764806400000-body-limit';
import { DocumentSeries1764892800000 } from './migrations/1764892800000-document-series';
import { CommitteeMeetings1764979200000 } from './migrations/1764979200000-committee-meetings';
import { Documents1765065600000 } from './migrations/1765065600000-documents';
import { People1765152000000 } from './migrations/1765152000000-people';
import { WitnessedCheckpoints1765238400000 } from './migrations/1765238400000-witnessed-checkpoints';
import { SecurityLogPrivileges1765324800000 } from './migrations/1765324800000-security-log-privileges';
import { RecordSignatures1765411200000 } from './migrations/1765411200000-record-signatures';
import { IdempotencyHolder1765497600000 } from './migrations/1765497600000-idempotency-holder';
import { KeyTrustInFile1765584000000 } from './migrations/1765584000000-key-trust-in-file';

export const ENTITIES = Object.values(entities);
export const MIGRATIONS = [
  InitialSchema1763769600000,
  AuditPrivileges1763856000000,
  AuditStoredBody1764028800000,
  ConsoleWorkLists1764547200000,
  RequestReferenceNumber1764633600000,
  AccountSecurity1764720000000,
  BodyLimit1764806400000,
  DocumentSeries1764892800000,
  CommitteeMeetings1764979200000,
  Documents1765065600000,
  People1765152000000,
  WitnessedCheckpoints1765238400000,
  SecurityLogPrivileges1765324800000,
  RecordSignatures1765411200000,
  IdempotencyHolder1765497600000,
  KeyTrustInFile1765584000000,
];

/** TypeORM options for the project's PostgreSQL; the schema comes from migrations only. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    // The schema's UUIDs come from PostgreSQL's own gen_random_uuid(): no extension to install, and the application's
    // role could not install one (docs/architecture.md, "Database roles").
    installExtensions: false,
    // Fail fast when PostgreSQL is away, so callers answer 503 instead of hanging (docs/api.md, "Errors").
    extra: { max: Number(process.env.DB_POOL_SIZE ?? 10), connectionTimeoutMillis: 3000, statement_timeout: 15000 },
    ...extra,
  } as DataSourceOptions;
}

/**
 * The migrations this code knows that the database has not run, in order: none when the schema is up to date.
 * Read from TypeORM's migrations table, which the application's role may read (and only read).
 */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  const [{ present }] = await ds.query(`SELECT to_regclass('typeorm_migrations') IS NOT NULL AS present`);
  const done = new Set<string>(
    present ? (await ds.query('SELECT name FROM typeorm_migrations')).map((r: { name: string }) => r.name) : [],
  );
  return ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !done.has(name));
}

/** Refused at start by the API and the worker: the schema is older than the code. */
export class SchemaNotUpToDateError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `the database schema is not up to date: ${pending.length} migration(s) pending (${pending.join(', ')}). ` +
        "Run `npm run migrate` with the owner's credentials (DATABASE_OWNER_URL) first; the API and the worker " +
        'never migrate (README, "Database roles")',
    );
    this.name = 'SchemaNotUpToDateError';
  }
}

/**
 * Opens a data source on a schema that is up to date, refusing one with migrations pending: migrations are the
 * owner's step (`npm run migrate`, migrateDatabase in database-roles.ts), never run by the API or the worker.
 */
export async function openDatabase(url: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const pending = await pendingMigrations(ds);
    if (pending.length) throw new SchemaNotUpToDateError(pending);
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}

/** For the TypeORM CLI, as the owner: `npx typeorm -d dist/libs/persistence/src/data-source.js migration:show`. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/bianzhi'),
);
