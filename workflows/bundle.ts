import * as path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

// Where the workflow code and its prebuilt bundle live, and how to bundle it: shared by the worker, the API's
// replay, the dossier verifier, the benchmark and the tests. Outside `src/` because it runs in Node, not in the
// workflow sandbox (docs/architecture.md).

/** The bundle's entry: every workflow type the worker serves. */
export const WORKFLOWS_PATH = require.resolve('./src');
/** The prebuilt workflow bundle (`npm run build` makes it); used when present, else the source is bundled at start. */
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '../workflow-bundle.js');

const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/**
 * The bundler resolves `@bianzhi/domain` as TypeScript does (tsconfig paths). Compiled code has it rewritten
 * to a relative path already; sources (jest) need the alias.
 */
export const workflowsWebpackHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => {
  config.resolve ??= {};
  config.resolve.alias = {
    ...(config.resolve.alias as Record<string, string>),
    '@bianzhi/domain': path.join(REPO_ROOT, 'libs/domain/src'),
  };
  return config;
};

/** Options for `bundleWorkflowCode` (the entry defaults to the workflows this project serves). */
export function workflowBundleOptions(workflowsPath = WORKFLOWS_PATH, logger?: BundleOptions['logger']): BundleOptions {
  return { workflowsPath, webpackConfigHook: workflowsWebpackHook, ...(logger ? { logger } : {}) };
}
