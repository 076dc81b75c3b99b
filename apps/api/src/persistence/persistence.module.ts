import { Global, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AttachmentsRepository,
  AuditCheckpointsRepository,
  AuditTrailRepository,
  ChangeRequestRepository,
  checkApplicationDatabase,
  DocumentsRepository,
  IdempotencyLease,
  IdempotencyRepository,
  MeetingsRepository,
  PeopleRepository,
  RegistryRepository,
  SecurityRepository,
  StatisticsRepository,
  TrailRepository,
  UsersRepository,
  WorkItemsRepository,
  Checkpointer,
  checkpointerConfig,
} from '@bianzhi/persistence';

// The repositories of libs/persistence (which knows nothing of Nest) as providers, each bound to the data
// source's manager; a service that writes in a transaction gets one bound to it from `transaction` (see
// docs/architecture.md: repositories own the SQL).

const REPOSITORIES: (new (em: EntityManager) => object)[] = [
  AttachmentsRepository,
  AuditCheckpointsRepository,
  AuditTrailRepository,
  ChangeRequestRepository,
  DocumentsRepository,
  IdempotencyRepository,
  MeetingsRepository,
  PeopleRepository,
  RegistryRepository,
  SecurityRepository,
  StatisticsRepository,
  TrailRepository,
  UsersRepository,
  WorkItemsRepository,
];

const providers: Provider[] = [
  ...REPOSITORIES.map((repository) => ({
    provide: repository,
    useFactory: (db: DataSource) => new repository(db.manager),
    inject: [getDataSourceToken()],
  })),
  // Signs and stores the audit trail's checkpoints with the key file (AUDIT_SIGNING_KEY_FILE), and witnesses them.
  {
    provide: Checkpointer,
    useFactory: (db: DataSource) => new Checkpointer(db.manager, checkpointerConfig()),
    inject: [getDataSourceToken()],
  },
];

/**
 * Refuses to start on a schema with migrations pending (the API never migrates: `npm run migrate` does, as the
 * owner) or on a connection that could rewrite the trail (docs/architecture.md, "Database roles").
 */
export const DATABASE_CHECKED = Symbol('DATABASE_CHECKED');
providers.push({
  provide: DATABASE_CHECKED,
  useFactory: (db: DataSource) => checkApplicationDatabase(db).then(() => true),
  inject: [getDataSourceToken()],
});

/**
 * Refuses to start without the audit signing key (docs/architecture.md, "Records signed by the application"): every
 * record is signed with it, and a key file missing while the database records a key in force is not made afresh.
 */
export const AUDIT_KEY_LOADED = Symbol('AUDIT_KEY_LOADED');
providers.push({
  provide: AUDIT_KEY_LOADED,
  useFactory: (checkpointer: Checkpointer) => checkpointer.signingKey().then(() => true),
  inject: [Checkpointer, DATABASE_CHECKED],
});

/** This process's lease on its idempotency claims, so that another API can tell when it has died (Topologies). */
providers.push({
  provide: IdempotencyLease,
  useFactory: (db: DataSource) => new IdempotencyLease((db.options as { url: string }).url),
  inject: [getDataSourceToken()],
});

@Global()
@Module({ providers, exports: [...REPOSITORIES, Checkpointer, IdempotencyLease] })
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(IdempotencyLease) private readonly lease: IdempotencyLease) {}

  onApplicationShutdown(): Promise<void> {
    return this.lease.close();
  }
}
