import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTemporalDevServer } from '@bianzhi/dev-services';
import { SEARCH_ATTRIBUTE_NAMES } from '@bianzhi/workflows';
import { bareMark, bareStep } from './bare.workflow';

// A probe of one Update's round trip on bare Temporal (no API, no database): where the floor is.
const { ensureTemporalCli } = require('../../scripts/temporal-cli.js');

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const t = await startTemporalDevServer({ searchAttributes: SEARCH_ATTRIBUTE_NAMES, cliPath: ensureTemporalCli() });
  const connection = await NativeConnection.connect({ address: t.address });
  const worker = await Worker.create({
    connection,
    taskQueue: 'probe',
    workflowsPath: require.resolve('./bare.workflow'),
    activities: { async noop() {} },
  });
  const client = new Client({ connection: await Connection.connect({ address: t.address }) });
  await worker.runUntil(async () => {
    const start = new WithStartWorkflowOperation('bareLifecycle', {
      workflowId: 'probe-1',
      taskQueue: 'probe',
      args: [1000],
      workflowIdConflictPolicy: 'FAIL',
    });
    await client.workflow.executeUpdateWithStart(bareStep, { args: ['x'], startWorkflowOperation: start });
    const h = client.workflow.getHandle('probe-1');
    /** Times `n` calls one after another and prints p50, min and max in ms. */
    const probe = async (what: string, n: number, call: () => Promise<unknown>) => {
      const lat: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await call();
        lat.push(performance.now() - t0);
      }
      lat.sort((a, b) => a - b);
      console.log(`${what} ms: p50 ${lat[n >> 1].toFixed(1)} min ${lat[0].toFixed(1)} max ${lat[n - 1].toFixed(1)}`);
    };
    await probe('update+activity round trip', 40, () => h.executeUpdate(bareStep, { args: ['step'] }));
    await probe('update alone (no activity) round trip', 40, () => h.executeUpdate(bareMark, { args: ['mark'] }));
    await probe('describe (client to server only)', 40, () => h.describe());
    await probe('query (client, server, worker)', 20, () => h.query('__stack_trace').catch(() => undefined));
    await h.terminate();
  });
  await t.stop();
}
main().then(() => process.exit(0));
