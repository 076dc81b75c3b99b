import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH, workflowsWebpackHook } from '../bundle';

// Replays the committed workflow histories of the main paths (exported from real runs, test/histories/)
// against today's workflow code: a change that would break running requests fails the build. Refresh them
// with `npm run histories:record` when a change is intended, and guard it with patched() first.

const DIR = path.resolve(__dirname, '../../test/histories');
const bundlerOptions = { webpackConfigHook: workflowsWebpackHook };

/** Every history under test/histories, including those of earlier workflow versions in its subfolders. */
function load() {
  return (fs.readdirSync(DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'))),
    }));
}

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
});

it('replays every committed history deterministically', async () => {
  const histories = load();
  expect(histories.length).toBeGreaterThanOrEqual(20);
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowsPath: WORKFLOWS_PATH, bundlerOptions, replayName: 'committed-histories' },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
}, 120_000);

it('reports a deliberately non-deterministic change to the workflow as such', async () => {
  const [one] = load().filter((h) => h.workflowId === 'transfer-quota-with-consultations');
  const results = [];
  for await (const result of Worker.runReplayHistories(
    { workflowsPath: path.resolve(__dirname, 'nondeterministic'), bundlerOptions, replayName: 'nondeterministic' },
    [one],
  ))
    results.push(result);
  expect(results).toHaveLength(1);
  expect(results[0].error?.name).toMatch(/DeterminismViolation/);
}, 120_000);
