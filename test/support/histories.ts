import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workflowIdFor } from '@bianzhi/workflows';

export const HISTORIES_DIR = path.resolve(__dirname, '../histories');

/**
 * With RECORD_HISTORIES=1, writes the request's workflow history to test/histories/<name>.json with the
 * Temporal CLI (`temporal workflow show --output json`, the format every SDK's replayer reads): the committed
 * histories that workflows/test/replay.spec.ts replays against today's workflow code.
 */
export async function recordHistory(temporalAddress: string, requestId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli) throw new Error('TEMPORAL_CLI_PATH is needed to record histories');
  // The steps after the decision (its document) come after the API has answered: the history is taken once the
  // run has ended, or after 30 s for a run that waits on (a loan not yet due).
  const common = ['--workflow-id', workflowIdFor(requestId), '--address', temporalAddress, '--namespace', 'default'];
  for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const described = JSON.parse(
      execFileSync(cli, ['workflow', 'describe', ...common, '--output', 'json'], {}).toString(),
    );
    if (!/RUNNING/.test(String(described.workflowExecutionInfo?.status ?? ''))) break;
  }
  const json = execFileSync(
    cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowIdFor(requestId),
      '--address',
      temporalAddress,
      '--namespace',
      'default',
      '--output',
      'json',
    ],
    { maxBuffer: 64 << 20 },
  );
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
