import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { stopProcess } from '@bianzhi/dev-services';
import { Stack } from './stack';

const MAIN = path.resolve(__dirname, '../../dist/apps/worker/src/main.js');

/** Runs the production worker (`npm run build` output) as a child process, so a test can kill -9 it. */
export function spawnWorker(stack: Stack, env: Record<string, string> = {}): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: stack.dbUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (d) => child.output.push(d.toString()));
  child.stderr?.on('data', (d) => child.output.push(d.toString()));
  return child;
}

export async function killHard(child: ChildProcess): Promise<void> {
  await stopProcess(child, 'SIGKILL', 1000);
}

export { stopProcess };

const PG_MAIN = path.resolve(__dirname, '../../dist/libs/dev-services/src/postgres-main.js');

/** An embedded PostgreSQL in a process of its own, which a test can stop and start again on the same data. */
export async function startPostgresProcess(
  dataDir: string,
  port?: number,
): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [PG_MAIN, dataDir, ...(port ? [String(port)] : []), '--fast'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr?.on('data', (d) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`postgres exited (${code}): ${out}`)));
  });
  return { url, port: Number(new URL(url).port), stop: () => stopProcess(child, 'SIGTERM', 15_000) };
}

/** True while an implementation's transaction holds the registry lock open (the fault hook's pause). */
export async function implementationInFlight(db: { query(sql: string): Promise<{ n: number }[]> }): Promise<boolean> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.objid = 7301 AND l.granted
       AND a.datname = current_database() AND a.state = 'idle in transaction'`,
  );
  return n > 0;
}
