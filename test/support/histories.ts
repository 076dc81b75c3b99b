import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workflowIdFor } from '@bianzhi/workflows';
import { codecFromEnv, dataConverterFromEnv, decodeHistory } from '@bianzhi/workflows/codec';

export const HISTORIES_DIR = path.resolve(__dirname, '../histories');

/**
 * With RECORD_HISTORIES=1, writes the request's workflow history to test/histories/<name>.json, its payloads
 * decrypted (workflows/codec.ts) and in the proto JSON every SDK's replayer reads: the committed histories that
 * workflows/test/replay.spec.ts replays against today's workflow code.
 */
export async function recordHistory(temporalAddress: string, requestId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default', dataConverter: dataConverterFromEnv() });
    const handle = client.workflow.getHandle(workflowIdFor(requestId));
    // The steps after the decision (its document) come after the API has answered: the history is taken once the
    // run has ended, or after 30 s for a run that waits on (a loan not yet due).
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250)))
      if ((await handle.describe()).status.name !== 'RUNNING') break;
    const history = await decodeHistory(await handle.fetchHistory(), codecFromEnv());
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
  } finally {
    await connection.close();
  }
}
