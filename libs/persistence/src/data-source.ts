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
    // Fail fast when PostgreSQL is away, so callers answer 503 instead of hanging (docs/api.md, "Errors").
    extra: { max: Number(process.env.DB_POOL_SIZE ?? 10), connectionTimeoutMillis: 3000, statement_timeout: 15000 },
    ...extra,
  } as DataSourceOptions;
}

/** Opens a data source and brings its schema up to date. */
export async function openDatabase(url: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/** For the TypeORM CLI: `npx typeorm -d dist/libs/persistence/src/data-source.js migration:show`. */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/bianzhi'));
