import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { stopProcess } from '../../libs/dev-services/src';
import { Stack } from './stack';

const MAIN = path.resolve(__dirname, '../../dist/apps/worker/src/main.js');

/** Runs the production worker (`npm run build` output) as a child process, so a test can kill -9 it. */
export function spawnWorker(stack: Stack, env: Record<string, string> = {}): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, DATABASE_URL: stack.dbUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: stack.taskQueue, ...env },
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
