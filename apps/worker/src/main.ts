import 'reflect-metadata';
import { DefaultLogger, LogLevel, NativeConnection, Runtime } from '@temporalio/worker';
import { officeDecidedTypesFrom } from '@bianzhi/domain';
import { fontDirsFrom } from '@bianzhi/documents';
import { checkApplicationDatabase, openDatabase } from '@bianzhi/persistence';
import { TASK_QUEUE_DEFAULT } from '@bianzhi/workflows';
import { temporalConnectionFromEnv } from '@bianzhi/workflows/connection';
import { createCheckpointer, createWorker } from './worker.factory';

// The Temporal worker: runs the change-request workflows and their activities against PostgreSQL.
async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL ?? 'WARN') as LogLevel) });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)');
  // Never migrates: refuses a schema with migrations pending, and a connection that could rewrite the trail
  // (docs/architecture.md, "Database roles").
  const db = await openDatabase(url);
  await checkApplicationDatabase(db).catch(async (err) => {
    await db.destroy();
    throw err;
  });
  // The audit trail's checkpoints: signed, stored and witnessed every few minutes when the trail grew, and after
  // each implementation (docs/architecture.md, "Checkpoints and witnesses"). Two workers sign one per tree size.
  // Without its signing key the worker does not start (createWorker): every record it writes is signed with it.
  const checkpointer = createCheckpointer(db);
  // mTLS where the cluster has it (TEMPORAL_TLS_*; workflows/connection.ts).
  const connection = await NativeConnection.connect(temporalConnectionFromEnv());
  const interval = Number(process.env.AUDIT_CHECKPOINT_INTERVAL_SECONDS ?? 300);
  const stopCheckpoints = interval > 0 ? checkpointer.schedule(interval) : async () => undefined;
  const worker = await createWorker({
    checkpointer,
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? TASK_QUEUE_DEFAULT,
    db,
    activityConfig: {
      officeCode: process.env.OFFICE_CODE ?? '清',
      utcOffsetHours: Number(process.env.OFFICE_UTC_OFFSET ?? 8),
      officeDecidedTypes: officeDecidedTypesFrom(process.env.OFFICE_DECIDED_TYPES),
      countyName: process.env.COUNTY_NAME ?? '本县',
      documentFontDirs: fontDirsFrom(process.env.DOCUMENT_FONT_DIRS),
      faultDelayMs: Number(process.env.BIANZHI_FAULT_IMPLEMENT_DELAY_MS ?? 0) || undefined,
    },
  });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`[worker] polling task queue ${worker.options.taskQueue}`);
  await worker.run();
  await stopCheckpoints();
  await connection.close();
  await db.destroy();
}

main().catch((err) => {
  console.error('[worker] failed:', err);
  process.exit(1);
});
