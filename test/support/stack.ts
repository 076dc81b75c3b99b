import { randomBytes } from 'node:crypto';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { NestExpressApplication } from '@nestjs/platform-express';
import { officeDecidedTypesFrom } from '@bianzhi/domain';
import { dataSourceOptions, migrateDatabase, openDatabase, urlAs } from '@bianzhi/persistence';
import { createWorker } from '../../apps/worker/src/worker.factory';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { ApiClient } from './api-client';

// One test file's stack on the real servers of the global setup: its own database, its own task queue,
// an in-process worker and the API listening on a free port.

export const ADMIN_PASSWORD = 'admin-test-password';

let runtimeInstalled = false;

export interface Stack {
  api: ApiClient;
  /** The database as the application's role, which the worker and the API use. */
  db: DataSource;
  /** The application's role's URL (the worker and the API's DATABASE_URL). */
  dbUrl: string;
  /**
   * The database as its owner (the test cluster's superuser): for a test working behind the API, as an operator
   * adding a trigger or an attacker holding the database would.
   */
  ownerDb: DataSource;
  ownerUrl: string;
  taskQueue: string;
  temporalAddress: string;
  app: NestExpressApplication;
  worker: Worker | null;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function createDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new PgClient({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A database of its own, migrated by its owner (the test cluster's superuser) as `npm run migrate` does, with an
 * application's role of its own (roles are the cluster's: one per database keeps test files apart).
 */
export async function createMigratedDatabase(): Promise<{ ownerUrl: string; appUrl: string }> {
  const ownerUrl = await createDatabase();
  const role = { name: `${new URL(ownerUrl).pathname.slice(1)}_app`, password: randomBytes(12).toString('hex') };
  await migrateDatabase(ownerUrl, { appRole: role });
  return { ownerUrl, appUrl: urlAs(ownerUrl, role) };
}

export interface StackOptions {
  /** Durations per request type (days), as PROCEDURE_TIMING. */
  timing?: Record<string, Record<string, number>>;
  /** Run no worker in this process (a test that runs it as a child process). */
  noWorker?: boolean;
  env?: Record<string, string>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  if (!runtimeInstalled) {
    Runtime.install({
      logger: {
        log() {},
        trace() {},
        debug() {},
        info() {},
        warn() {},
        error: (m: string) => console.error(m),
      } as never,
    });
    runtimeInstalled = true;
  }
  const { ownerUrl, appUrl: dbUrl } = await createMigratedDatabase();
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const temporalAddress = process.env.TEMPORAL_ADDRESS!;
  Object.assign(process.env, {
    DATABASE_URL: dbUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    ADMIN_PASSWORD,
    JWT_SECRET: randomBytes(16).toString('hex'),
    PEOPLE_KEY: randomBytes(32).toString('hex'),
    TEMPORAL_CODEC_KEY: randomBytes(32).toString('hex'),
    AUDIT_SIGNING_KEY_FILE: `${process.env.TEST_TMP_DIR}/audit-signing-${taskQueue}.key`,
    PROCEDURE_TIMING: JSON.stringify(opts.timing ?? {}),
    LOGIN_RATE_LIMIT: '100000',
    LOG_LEVELS: 'error',
    BCRYPT_COST: '4',
    OFFICE_CODE: '清',
    COUNTY_NAME: '清源县',
    UPDATE_TIMEOUT_MS: '20000',
    TEMPORAL_SEARCH_ATTRIBUTES: process.env.TEST_SEARCH_ATTRIBUTES ?? '0',
    ...opts.env,
  });
  const db = await openDatabase(dbUrl);
  const ownerDb = new DataSource(dataSourceOptions(ownerUrl, { extra: { max: 2 } }));
  await ownerDb.initialize();
  let worker: Worker | null = null;
  let running: Promise<void> | null = null;
  let connection: NativeConnection | null = null;
  const stack: Stack = {
    api: null as never,
    db,
    dbUrl,
    ownerDb,
    ownerUrl,
    taskQueue,
    temporalAddress,
    app: null as never,
    worker: null,
    async startWorker() {
      connection = await NativeConnection.connect({ address: temporalAddress });
      worker = await createWorker({
        connection,
        namespace: 'default',
        taskQueue,
        db,
        activityConfig: {
          officeCode: '清',
          countyName: '清源县',
          utcOffsetHours: 8,
          officeDecidedTypes: officeDecidedTypesFrom(process.env.OFFICE_DECIDED_TYPES),
        },
        bundlePath: process.env.TEST_WORKFLOW_BUNDLE,
        tuning: { shutdownGraceTime: '2 seconds' },
      });
      stack.worker = worker;
      running = worker.run();
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      await connection?.close();
      worker = null;
      stack.worker = null;
    },
    async stop() {
      await stack.app?.close();
      await stack.stopWorker();
      await db.destroy();
      await ownerDb.destroy();
    },
  };
  if (!opts.noWorker) await stack.startWorker();
  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  stack.app = app;
  stack.api = new ApiClient(`http://127.0.0.1:${port}`);
  return stack;
}
