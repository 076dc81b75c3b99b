import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTemporalDevServer } from '../libs/dev-services/src';
import { bareMark, bareStep } from './bare.workflow';

// A probe of one Update's round trip on bare Temporal (no API, no database): where the floor is.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporalCli } = require('../../scripts/temporal-cli.js');

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const t = await startTemporalDevServer({ cliPath: ensureTemporalCli() });
  const connection = await NativeConnection.connect({ address: t.address });
  const worker = await Worker.create({ connection, taskQueue: 'probe', workflowsPath: require.resolve('./bare.workflow'), activities: { async noop() {} } });
  const client = new Client({ connection: await Connection.connect({ address: t.address }) });
  await worker.runUntil(async () => {
    const start = new WithStartWorkflowOperation('bareLifecycle', { workflowId: 'probe-1', taskQueue: 'probe', args: [1000], workflowIdConflictPolicy: 'FAIL' });
    await client.workflow.executeUpdateWithStart(bareStep, { args: ['x'], startWorkflowOperation: start });
    const h = client.workflow.getHandle('probe-1');
    const lat: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await h.executeUpdate(bareStep, { args: ['step'] });
      lat.push(performance.now() - t0);
    }
    lat.sort((a, b) => a - b);
    console.log('update+activity round trip ms: p50', lat[20].toFixed(1), 'min', lat[0].toFixed(1), 'max', lat[39].toFixed(1));
    const u: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await h.executeUpdate(bareMark, { args: ['mark'] });
      u.push(performance.now() - t0);
    }
    u.sort((a, b) => a - b);
    console.log('update alone (no activity) round trip ms: p50', u[20].toFixed(1), 'min', u[0].toFixed(1), 'max', u[39].toFixed(1));
    const d: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await h.describe();
      d.push(performance.now() - t0);
    }
    d.sort((a, b) => a - b);
    console.log('describe (client to server only) ms: p50', d[20].toFixed(1));
    const q: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await h.query('__stack_trace').catch(() => undefined);
      q.push(performance.now() - t0);
    }
    q.sort((a, b) => a - b);
    console.log('query (client, server, worker) ms: p50', q[10].toFixed(1));
    await h.terminate();
  });
  await t.stop();
}
main().then(() => process.exit(0));
