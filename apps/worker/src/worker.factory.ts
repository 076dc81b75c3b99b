import * as fs from 'node:fs';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH, workflowsWebpackHook } from '@bianzhi/workflows/bundle';
import { dataConverterFromEnv } from '@bianzhi/workflows/codec';
import { Checkpointer, checkpointerConfig } from '@bianzhi/persistence';
import { ActivityConfig } from './activity-config';
import { createChangeRequestActivities } from './change-request.activities';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: DataSource;
  activityConfig: ActivityConfig;
  /** Use `workflowsPath` even if a bundle exists (tests that change workflow code). */
  fromSource?: boolean;
  /** A workflow bundle made elsewhere (the test setup bundles once for all test files). */
  bundlePath?: string;
  tuning?: Partial<WorkerOptions>;
  /** Signs a checkpoint after each implementation; by default one from the environment (AUDIT_SIGNING_KEY_FILE…). */
  checkpointer?: Checkpointer;
}

/** The worker's checkpointer, from AUDIT_SIGNING_KEY_FILE, AUDIT_WITNESS_DIR and AUDIT_WITNESS_URLS. */
export function createCheckpointer(db: DataSource): Checkpointer {
  return new Checkpointer(db.manager, checkpointerConfig());
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const checkpointer = setup.checkpointer ?? createCheckpointer(setup.db);
  // Refuses to start without the audit signing key (docs/architecture.md, "Records signed by the application"):
  // every record the activities append is signed with it.
  await checkpointer.signingKey();
  const bundle =
    setup.bundlePath ?? (!setup.fromSource && fs.existsSync(WORKFLOW_BUNDLE_PATH) ? WORKFLOW_BUNDLE_PATH : null);
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    ...(bundle
      ? { workflowBundle: { codePath: bundle } }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook: workflowsWebpackHook } }),
    activities: createChangeRequestActivities(setup.db, {
      ...setup.activityConfig,
      afterImplementation: () => checkpointer.nudge(),
    }),
    // The same payload codec as the API's client (workflows/codec.ts): Temporal stores only ciphertext.
    dataConverter: dataConverterFromEnv(),
    ...setup.tuning,
  });
}
