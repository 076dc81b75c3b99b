import { escapeIdentifier, escapeLiteral } from 'pg';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { dataSourceOptions, pendingMigrations, SchemaNotUpToDateError } from './data-source';

// The owner of the schema and the application's role (docs/architecture.md, "Database roles"). `npm run migrate`
// connects as the owner (DATABASE_OWNER_URL, or the embedded superuser), runs the migrations and grants the
// application's role (the user of DATABASE_URL) what the API and the worker need and no more: on the trail's tables
// SELECT and INSERT only, so that it cannot change, remove or truncate a record; not the owner, so that it cannot
// disable a trigger or grant itself more; not a superuser, so that it cannot set session_replication_role.

/**
 * The trail's tables: the application may read them and append to them, never change, delete or truncate. The
 * audit trail and everything kept beside it (every table named audit_*: signing keys, checkpoints, tree nodes) and
 * the security log. A new table of the trail is covered by its name; `npm run migrate` grants the rest DML.
 */
export function isAppendOnlyTable(table: string): boolean {
  return table.startsWith('audit_') || table === 'security_events';
}

/** Tables the application only reads: the migrations' own bookkeeping, which says whether the schema is current. */
const READ_ONLY_TABLES = new Set(['typeorm_migrations']);

/**
 * What the application may change in a table of the trail, column by column: a signing key's end of validity when
 * the key is rotated (a trigger of the table lets it be set once, docs/architecture.md "Checkpoints and witnesses").
 */
const TRAIL_COLUMN_GRANTS: Record<string, string> = { audit_public_keys: 'UPDATE (valid_to)' };

/** Functions the application calls, closed to PUBLIC by the migration that made them. */
const APP_FUNCTIONS = ['security_events_purge(timestamptz)'];

/** One `npm run migrate` at a time per database (a session lock, held while the migrations run). */
export const MIGRATION_LOCK_KEY = 7309;

export interface AppRole {
  name: string;
  /** Set (or reset) when given; a role made by a DBA keeps the password it has when not. */
  password?: string;
}

/** The application's role as DATABASE_URL names it: its user and password. */
export function appRoleFromUrl(url: string): AppRole {
  const u = new URL(url);
  if (!u.username) throw new Error('DATABASE_URL names no user: the application connects as a role of its own');
  return { name: decodeURIComponent(u.username), password: u.password ? decodeURIComponent(u.password) : undefined };
}

/** `url` with another user and password: the application's URL made from the owner's. */
export function urlAs(url: string, role: Required<AppRole>): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role.name);
  u.password = encodeURIComponent(role.password);
  return u.toString();
}

export interface MigrateResult {
  /** The migrations run now (none when the schema was up to date). */
  migrations: string[];
  /** The application's role granted, when one was given. */
  appRole: string | null;
}

/**
 * `npm run migrate`: as the owner, brings the schema up to date and (given the application's role) creates or
 * updates that role and sets its privileges, idempotently. Concurrent runs on one database take turns.
 */
export async function migrateDatabase(
  ownerUrl: string,
  /** `migrations`: only these, in order (a restore brings a database to its backup's migrations first). */
  opts: { appRole?: AppRole; migrations?: DataSourceOptions['migrations'] } = {},
): Promise<MigrateResult> {
  // No statement timeout: a migration may rewrite a large table (the application's 15 s is for requests).
  const ds = new DataSource(
    dataSourceOptions(ownerUrl, {
      extra: { max: 3, connectionTimeoutMillis: 10_000 },
      ...(opts.migrations ? { migrations: opts.migrations } : {}),
    }),
  );
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await ds.runMigrations({ transaction: 'each' });
    if (opts.appRole) await grantAppRole(ds, opts.appRole);
    return { migrations: ran.map((m) => m.name), appRole: opts.appRole?.name ?? null };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}

/**
 * Creates the application's role (LOGIN, no other attribute) or brings an existing one back to that, then sets its
 * privileges in one transaction: whatever it had on the schema's tables is replaced by what this grants, so that a
 * table that joined the trail loses the application's UPDATE at the next migrate. Default privileges give a table
 * the owner creates later (outside `npm run migrate`) SELECT and INSERT only, until the next migrate.
 */
export async function grantAppRole(ds: DataSource, role: AppRole): Promise<void> {
  const [me] = await ds.query(
    `SELECT current_user AS owner, rolsuper AS superuser, rolcreaterole AS "createRole",
            current_database() AS database
     FROM pg_roles WHERE rolname = current_user`,
  );
  if (role.name === me.owner)
    throw new Error(
      `the application's role (DATABASE_URL's user, ${role.name}) is the owner itself: it needs a role of its own ` +
        '(e.g. bianzhi_app), which `npm run migrate` creates',
    );
  await ensureRole(ds, role, me);
  const [{ member }] = await ds.query(`SELECT pg_has_role($1, current_user, 'MEMBER') AS member`, [role.name]);
  if (member)
    throw new Error(`the application's role ${role.name} is a member of the owner ${me.owner}: it would own the trail`);
  const r = escapeIdentifier(role.name);
  await ds.transaction(async (em: EntityManager) => {
    const db = escapeIdentifier(me.database);
    await em.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC`);
    await em.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${r}`);
    await em.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await em.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await em.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`);
    await em.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${r}`);
    const tables: { name: string }[] = await em.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname`,
    );
    for (const { name } of tables) {
      const privileges = READ_ONLY_TABLES.has(name)
        ? 'SELECT'
        : isAppendOnlyTable(name)
          ? 'SELECT, INSERT'
          : 'SELECT, INSERT, UPDATE, DELETE';
      await em.query(`GRANT ${privileges} ON TABLE public.${escapeIdentifier(name)} TO ${r}`);
      if (TRAIL_COLUMN_GRANTS[name])
        await em.query(`GRANT ${TRAIL_COLUMN_GRANTS[name]} ON TABLE public.${escapeIdentifier(name)} TO ${r}`);
    }
    // nextval, never setval.
    await em.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
    for (const fn of APP_FUNCTIONS) {
      const [{ present }] = await em.query(`SELECT to_regprocedure($1) IS NOT NULL AS present`, [`public.${fn}`]);
      if (present) await em.query(`GRANT EXECUTE ON FUNCTION public.${fn} TO ${r}`);
    }
    await em.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO ${r}`);
    await em.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r}`);
  });
}

async function ensureRole(
  ds: DataSource,
  role: AppRole,
  me: { owner: string; superuser: boolean; createRole: boolean },
): Promise<void> {
  const r = escapeIdentifier(role.name);
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
  const password = role.password ? ` PASSWORD ${escapeLiteral(role.password)}` : '';
  const [existing] = await ds.query(
    `SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls AS "tooMuch",
            rolcanlogin AS login
     FROM pg_roles WHERE rolname = $1`,
    [role.name],
  );
  if (!existing) {
    if (!me.superuser && !me.createRole)
      throw new Error(
        `the application's role ${role.name} does not exist and the owner ${me.owner} may not create roles: ` +
          `create it (CREATE ROLE ${r} LOGIN PASSWORD '…') or give the owner CREATEROLE`,
      );
    await ds.query(`CREATE ROLE ${r} ${attributes}${password}`);
    return;
  }
  try {
    await ds.query(`ALTER ROLE ${r} ${attributes}${password}`);
  } catch (err) {
    // A role a DBA made, which the owner may not alter: fine as long as it has no attribute beyond LOGIN.
    if ((err as { code?: string }).code !== '42501' || existing.tooMuch || !existing.login) throw err;
  }
}

/** Refused at start by the API and the worker: a connection that could rewrite the trail. */
export class NotTheApplicationRoleError extends Error {
  constructor(role: string, reasons: string[]) {
    super(
      `DATABASE_URL connects as ${role}, which ${reasons.join('; ')}. The API and the worker connect as the ` +
        "application's role, which may only read and append to the trail: set DATABASE_OWNER_URL to the owner, " +
        "DATABASE_URL to the application's role, and run `npm run migrate`, which creates that role and grants it " +
        '(README, "Database roles")',
    );
    this.name = 'NotTheApplicationRoleError';
  }
}

/**
 * What the API and the worker check before they serve: the schema is up to date (they never migrate), and their
 * connection is the application's role: not a superuser, owning no table, unable to change the trail.
 */
export async function checkApplicationDatabase(ds: DataSource): Promise<void> {
  const pending = await pendingMigrations(ds);
  if (pending.length) throw new SchemaNotUpToDateError(pending);
  const [me] = await ds.query(
    `SELECT current_user AS name, rolsuper AS superuser, rolbypassrls AS "bypassRls" FROM pg_roles
     WHERE rolname = current_user`,
  );
  const owned: { name: string }[] = await ds.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_has_role(current_user, c.relowner, 'MEMBER')
     ORDER BY c.relname`,
  );
  const trail: { name: string; update: boolean; delete: boolean; truncate: boolean }[] = await ds.query(
    `SELECT c.relname AS name, has_table_privilege(c.oid, 'UPDATE') AS update,
            has_table_privilege(c.oid, 'DELETE') AS delete, has_table_privilege(c.oid, 'TRUNCATE') AS truncate
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  const reasons: string[] = [];
  if (me.superuser) reasons.push('is a superuser (it could bypass triggers with session_replication_role)');
  if (me.bypassRls) reasons.push('bypasses row security');
  if (owned.length && !me.superuser)
    reasons.push(
      `owns (or may become the owner of) ${owned.map((t) => t.name).join(', ')} (it could disable triggers)`,
    );
  const open = trail
    .filter((t) => isAppendOnlyTable(t.name) && (t.update || t.delete || t.truncate))
    .map((t) => `${t.name} (${(['update', 'delete', 'truncate'] as const).filter((p) => t[p]).join(', ')})`);
  if (open.length && !me.superuser) reasons.push(`may change the trail: ${open.join(', ')}`);
  if (reasons.length) throw new NotTheApplicationRoleError(me.name, reasons);
}
