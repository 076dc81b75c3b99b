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
