import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection, type TLSConfig } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import type { TemporalCerts } from './certs';
import { portFree, stopProcess, waitForPort } from './index';

// The Temporal server itself (not the CLI's dev server) on PostgreSQL: its own role and two databases (history
// and visibility), the schema set up and updated by its schema tool from the module's schema files, all four
// services in one process, configured by the template the official temporalio/server image uses (config/docker.yaml)
// through the same environment variables as docker/compose.yaml, with the repository's dynamic configuration
// (docker/temporal/dynamicconfig.yaml), mTLS when certificates are given, and the namespace and the workflows'
// search attributes registered through the operator API (docs/architecture.md, "Topologies").

/** What scripts/temporal-server.js `ensureTemporalServer()` returns. */
export interface TemporalServerLayout {
  version: string;
  server: string;
  sqlTool: string;
  configDir: string;
  schemaDir: string;
  home: string;
}

export interface TemporalServerOptions {
  layout: TemporalServerLayout;
  /** A PostgreSQL URL of a role that may create roles and databases (the embedded superuser, or the owner). */
  adminUrl: string;
  /** The Temporal server's own role and its password (made if missing). */
  role?: string;
  rolePassword: string;
  /** Its history database; the visibility database is the same name with `_visibility` (default `temporal`). */
  database?: string;
  /** The frontend's gRPC port; the other services take free ports. */
  port?: number;
  namespace?: string;
  retentionDays?: number;
  searchAttributes?: readonly string[];
  dynamicConfigFile: string;
  /** Server and client certificates: the frontend then requires a client certificate signed by the CA. */
  certs?: TemporalCerts;
  log?: (m: string) => void;
}

export interface TemporalServerHandle {
  address: string;
  /** The `tls` option clients pass (undefined without certificates). */
  clientTls: TLSConfig | undefined;
  /** Environment variables the API and the worker need to reach it (TEMPORAL_ADDRESS, TEMPORAL_TLS_*). */
  clientEnv: Record<string, string>;
  process(): ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL) and starts it again on the same ports and databases. */
  restart(): Promise<void>;
}

/**
 * The environment the server and its schema tool get: never the caller's whole one, which holds the app's secrets
 * (the payload key Temporal must never see, the owner's database URL), and whose stray variables would feed the
 * server's configuration template silently.
 */
function minimalEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'TZ'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]),
  );
}

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD (the proto package is the client's own). */
const INDEXED_VALUE_TYPE_KEYWORD = 2;

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}

/**
 * A free port below 32768: the server stores its services' membership ports in a smallint column, so the kernel's
 * ephemeral ports (32768 and up) cannot be used.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    if (await portFree(port)) {
      taken.add(port);
      return port;
    }
  }
}

/** The role, made (or its password set) by `pg`, the PostgreSQL administrator. */
async function ensureRole(pg: PgClient, role: string, password: string): Promise<void> {
  const exists = await pg.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  // The password as a literal: CREATE/ALTER ROLE takes no parameters.
  const literal = `'${password.replace(/'/g, "''")}'`;
  await pg.query(
    exists.rowCount
      ? `ALTER ROLE ${quoteIdent(role)} WITH LOGIN PASSWORD ${literal}`
      : `CREATE ROLE ${quoteIdent(role)} WITH LOGIN PASSWORD ${literal}`,
  );
}

/** The role and the two databases, made once; kept (with their data) on later starts. */
async function ensureDatabases(adminUrl: string, role: string, password: string, dbs: string[]): Promise<void> {
  const pg = new PgClient({ connectionString: adminUrl });
  await pg.connect();
  try {
    await ensureRole(pg, role, password);
    for (const db of dbs) {
      const has = await pg.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
      if (!has.rowCount) await pg.query(`CREATE DATABASE ${quoteIdent(db)} OWNER ${quoteIdent(role)}`);
    }
  } finally {
    await pg.end();
  }
}

/**
 * `setup-schema -v 0.0`, then `update-schema` to `version` (the module's latest when not given); both idempotent.
 * `kind` picks the versioned schema: the history database's or the visibility database's.
 */
function ensureSchema(
  layout: TemporalServerLayout,
  conn: { host: string; port: number; user: string; password: string },
  db: string,
  kind: 'history' | 'visibility',
  version?: string,
): void {
  const versioned = path.join(layout.schemaDir, kind === 'history' ? 'temporal' : 'visibility', 'versioned');
  const base = ['--plugin', 'postgres12', '--ep', conn.host, '-p', String(conn.port), '-u', conn.user];
  const env = { ...minimalEnv(), SQL_PASSWORD: conn.password };
  const run = (args: string[]) => {
    try {
      execFileSync(layout.sqlTool, [...base, '--db', db, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const out = String((err as { stderr?: Buffer }).stderr ?? err);
      throw new Error(`temporal-sql-tool ${args[0]} on ${db}: ${out.slice(-2000)}`);
    }
  };
  // Idempotent: on a database already set up, the tool sees a later version and leaves it.
  run(['setup-schema', '-v', '0.0']);
  run(['update-schema', '-d', versioned, ...(version ? ['-v', version] : [])]);
}

/**
 * Sets up the schema of the Temporal database `url` names (connecting as its role, which then owns the tables) at
 * `version`, as a restore needs it (docs/architecture.md, "Backups").
 */
export function setUpTemporalSchema(
  layout: TemporalServerLayout,
  url: string,
  kind: 'history' | 'visibility',
  version: string,
): void {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.slice(1));
  if (!db) throw new Error(`${kind} database URL names no database`);
  const conn = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
  ensureSchema(layout, conn, db, kind, version);
}

/** A connection once the server answers (it may still be starting); throws after `timeoutMs`. */
export async function waitUntilServing(
  address: string,
  tls: TLSConfig | undefined,
  timeoutMs: number,
): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, tls, connectTimeout: '2 seconds' });
      try {
        await connection.workflowService.getSystemInfo({});
        return connection;
      } catch (err) {
        await connection.close();
        throw err;
      }
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`the Temporal server at ${address} did not answer: ${last}`);
}

/**
 * The namespace and the search attributes, as `temporal operator …` would register them, through the operator API;
 * idempotent. Used by startTemporalServer and by `npm run temporal:register` (compose's one-shot job).
 */
export async function registerNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
  searchAttributes: readonly string[],
): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
    });
  } catch (err) {
    if (!/already exists/i.test(String(err))) throw err;
  }
  // The frontend learns of a new namespace on its next cache refresh (seconds).
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      const listed = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = searchAttributes.filter((n) => !(n in (listed.customAttributes ?? {})));
      if (missing.length)
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((n) => [n, INDEXED_VALUE_TYPE_KEYWORD])),
        });
      // Usable once a list by the attributes answers.
      if (searchAttributes.length)
        await connection.workflowService.listWorkflowExecutions({
          namespace,
          pageSize: 1,
          query: `${searchAttributes[0]} = 'probe'`,
        });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Starts the server (setting up its databases on first use) and registers the namespace and search attributes. */
export async function startTemporalServer(opts: TemporalServerOptions): Promise<TemporalServerHandle> {
  const url = new URL(opts.adminUrl);
  const role = opts.role ?? 'temporal';
  const name = opts.database ?? 'temporal';
  const dbs = { history: name, visibility: `${name}_visibility` };
  await ensureDatabases(opts.adminUrl, role, opts.rolePassword, Object.values(dbs));
  const conn = { host: url.hostname, port: Number(url.port || 5432), user: role, password: opts.rolePassword };
  ensureSchema(opts.layout, conn, dbs.history, 'history');
  ensureSchema(opts.layout, conn, dbs.visibility, 'visibility');

  const taken = new Set<number>();
  const port = opts.port ?? (await freeLowPort(taken));
  const ports: Record<string, number> = { FRONTEND_GRPC_PORT: port };
  for (const name of [
    'FRONTEND_HTTP_PORT',
    'FRONTEND_MEMBERSHIP_PORT',
    'HISTORY_GRPC_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'MATCHING_GRPC_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'WORKER_GRPC_PORT',
    'WORKER_MEMBERSHIP_PORT',
  ])
    ports[name] = await freeLowPort(taken);
  const c = opts.certs;
  // The variables of the temporalio/server image's template (config/docker.yaml), as docker/compose.yaml sets them.
  const env: NodeJS.ProcessEnv = {
    ...minimalEnv(),
    DB: 'postgres12',
    POSTGRES_SEEDS: conn.host,
    DB_PORT: String(conn.port),
    POSTGRES_PORT: String(conn.port),
    POSTGRES_USER: role,
    POSTGRES_PWD: opts.rolePassword,
    DBNAME: dbs.history,
    VISIBILITY_DBNAME: dbs.visibility,
    // Fixed for the life of the databases: the history shards cannot be changed once data is written.
    NUM_HISTORY_SHARDS: '4',
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: opts.dynamicConfigFile,
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    ...(c
      ? {
          TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
          TEMPORAL_TLS_SERVER_CA_CERT: c.ca,
          TEMPORAL_TLS_SERVER_CERT: c.serverCert,
          TEMPORAL_TLS_SERVER_KEY: c.serverKey,
          TEMPORAL_TLS_INTERNODE_SERVER_NAME: c.serverName,
          TEMPORAL_TLS_FRONTEND_CERT: c.serverCert,
          TEMPORAL_TLS_FRONTEND_KEY: c.serverKey,
          TEMPORAL_TLS_CLIENT1_CA_CERT: c.ca,
          TEMPORAL_TLS_CLIENT2_CA_CERT: c.ca,
          TEMPORAL_TLS_FRONTEND_SERVER_NAME: c.serverName,
        }
      : {}),
  };
  const address = `127.0.0.1:${port}`;
  const clientTls: TemporalServerHandle['clientTls'] = c
    ? {
        serverRootCACertificate: fs.readFileSync(c.ca),
        clientCertPair: { crt: fs.readFileSync(c.clientCert), key: fs.readFileSync(c.clientKey) },
        serverNameOverride: c.serverName,
      }
    : undefined;
  const clientEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    ...(c
      ? {
          TEMPORAL_TLS_CA_FILE: c.ca,
          TEMPORAL_TLS_CERT_FILE: c.clientCert,
          TEMPORAL_TLS_KEY_FILE: c.clientKey,
          TEMPORAL_TLS_SERVER_NAME: c.serverName,
        }
      : {}),
  };

  let proc!: ChildProcess;
  const launch = async () => {
    proc = spawn(
      opts.layout.server,
      ['--root', opts.layout.home, '--config', 'config', '--env', 'docker', '--allow-no-auth', 'start'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const forward = (d: Buffer) => opts.log?.(d.toString());
    proc.stdout?.on('data', forward);
    proc.stderr?.on('data', forward);
    await waitForPort(port, 120_000, 'the Temporal server', proc);
    const connection = await waitUntilServing(address, clientTls, 120_000);
    try {
      await registerNamespace(
        connection,
        opts.namespace ?? 'default',
        opts.retentionDays ?? 3650,
        opts.searchAttributes ?? [],
      );
    } finally {
      await connection.close();
    }
  };
  await launch();
  return {
    address,
    clientTls,
    clientEnv,
    process: () => proc,
    stop: () => stopProcess(proc, 'SIGTERM', 20_000),
    restart: async () => {
      await stopProcess(proc, 'SIGKILL');
      await launch();
    },
  };
}

/**
 * The Temporal server's role as the URLs name it (user and password; one role for both databases), made by
 * `adminUrl` when missing, as startTemporalServer makes it: a restore into a new PostgreSQL makes the databases
 * itself, owned by this role (docs/architecture.md, "Backups").
 */
export async function ensureTemporalRole(adminUrl: string, urls: string[]): Promise<void> {
  const roles = new Set(urls.map((u) => decodeURIComponent(new URL(u).username)));
  if (roles.size !== 1) throw new Error("Temporal's databases are owned by one role: the URLs name several");
  const first = new URL(urls[0]);
  const pg = new PgClient({ connectionString: adminUrl });
  await pg.connect();
  try {
    await ensureRole(pg, decodeURIComponent(first.username), decodeURIComponent(first.password));
  } finally {
    await pg.end();
  }
}
