import { EntityManager } from 'typeorm';
import { auditDigest, canonicalJson, GENESIS_HASH } from '@bianzhi/audit';

// The SQL of sign-in failures, account locks, revoked tokens and the security log (docs/architecture.md,
// "Accounts and the security log"). Usernames are compared case-insensitively, as sign-in matches them.

/** Serialises appends to the security log's hash chain. */
export const SECURITY_LOG_LOCK_KEY = 7304;

export interface SecurityEventRow {
  seq: number;
  at: Date;
  type: string;
  username: string | null;
  actor: string | null;
  address: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What an event's hash covers, besides its predecessor's hash. */
function eventContent(e: Pick<SecurityEventRow, 'at' | 'type' | 'username' | 'actor' | 'address' | 'detail'>) {
  return {
    at: new Date(e.at).toISOString(),
    type: e.type,
    username: e.username,
    actor: e.actor,
    address: e.address,
    detail: e.detail,
  };
}

/** SHA-256 over the previous event's hash and the event's canonical JSON (docs/architecture.md, "The security log"). */
export function securityEventHash(e: Parameters<typeof eventContent>[0], prevHash: string): string {
  return auditDigest('sha256', prevHash + canonicalJson(eventContent(e)));
}

export interface SecurityEventFilter {
  from?: Date;
  to?: Date;
  type?: string;
  username?: string;
  limit: number;
}

const COLUMNS = `seq::int AS seq, at, type, username, actor, address, detail, prev_hash AS "prevHash", hash`;

export class SecurityRepository {
  constructor(private readonly em: EntityManager) {}

  transaction<T>(work: (security: SecurityRepository) => Promise<T>): Promise<T> {
    return this.em.transaction((em) => work(new SecurityRepository(em)));
  }

  async recordFailure(username: string, address: string | null, at: Date): Promise<void> {
    await this.em.query(`INSERT INTO sign_in_failures (username, address, at) VALUES ($1, $2, $3)`, [
      username,
      address,
      at,
    ]);
  }

  async failuresSince(username: string, since: Date): Promise<number> {
    const [row] = await this.em.query(
      `SELECT count(*)::int AS n FROM sign_in_failures WHERE lower(username) = lower($1) AND at > $2`,
      [username, since],
    );
    return row.n;
  }

  async clearFailures(username: string): Promise<void> {
    await this.em.query(`DELETE FROM sign_in_failures WHERE lower(username) = lower($1)`, [username]);
  }

  async lock(username: string, until: Date): Promise<void> {
    await this.em.query(
      `INSERT INTO account_locks (username, locked_until) VALUES (lower($1), $2)
       ON CONFLICT (username) DO UPDATE SET locked_until = excluded.locked_until`,
      [username, until],
    );
  }

  async lockedUntil(username: string): Promise<Date | null> {
    const [row] = await this.em.query(`SELECT locked_until FROM account_locks WHERE username = lower($1)`, [username]);
    return row ? new Date(row.locked_until) : null;
  }

  async unlock(username: string): Promise<void> {
    await this.em.query(`DELETE FROM account_locks WHERE username = lower($1)`, [username]);
    await this.clearFailures(username);
  }

  async revoke(jti: string, expiresAt: Date): Promise<void> {
    await this.em.query(`INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING`, [
      jti,
      expiresAt,
    ]);
  }

  async isRevoked(jti: string): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM revoked_tokens WHERE jti = $1`, [jti]);
    return rows.length > 0;
  }

  /** Takes the security log's append lock for the rest of the transaction. */
  async lockLog(): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock(${SECURITY_LOG_LOCK_KEY})`);
  }

  async lastHash(): Promise<string | null> {
    const [row] = await this.em.query(`SELECT hash FROM security_events ORDER BY seq DESC LIMIT 1`);
    return row?.hash ?? null;
  }

  /**
   * Appends an event to the log's hash chain, in a transaction of its own holding the log's lock, so concurrent
   * events (the API's, the worker's Checkpointer's) still form one chain.
   */
  record(e: Omit<SecurityEventRow, 'seq' | 'prevHash' | 'hash'>): Promise<void> {
    return this.transaction(async (log) => {
      await log.lockLog();
      const prevHash = (await log.lastHash()) ?? GENESIS_HASH;
      await log.append({ ...e, prevHash, hash: securityEventHash(e, prevHash) });
    });
  }

  /**
   * record(), unless the latest event of its type has the same `detail[key]`: a condition reported at every
   * attempt (a refused checkpoint, at each of the worker's ticks) is written once while it lasts. Answers whether
   * it was written.
   */
  recordOnce(e: Omit<SecurityEventRow, 'seq' | 'prevHash' | 'hash'>, key: string): Promise<boolean> {
    return this.transaction(async (log) => {
      await log.lockLog();
      const [latest]: { value: string | null }[] = await log.em.query(
        `SELECT detail ->> $2 AS value FROM security_events WHERE type = $1 ORDER BY seq DESC LIMIT 1`,
        [e.type, key],
      );
      if (latest && latest.value === String(e.detail[key])) return false;
      const prevHash = (await log.lastHash()) ?? GENESIS_HASH;
      await log.append({ ...e, prevHash, hash: securityEventHash(e, prevHash) });
      return true;
    });
  }

  async append(e: Omit<SecurityEventRow, 'seq'>): Promise<void> {
    await this.em.query(
      `INSERT INTO security_events (at, type, username, actor, address, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [e.at, e.type, e.username, e.actor, e.address, JSON.stringify(e.detail), e.prevHash, e.hash],
    );
  }

  async events(f: SecurityEventFilter): Promise<SecurityEventRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at <= ?', f.to);
    if (f.type) add('type = ?', f.type);
    if (f.username) add('lower(username) = lower(?)', f.username);
    params.push(f.limit);
    return this.em.query(
      `SELECT ${COLUMNS} FROM security_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** The whole log in order, for verifying its chain. */
  all(): Promise<SecurityEventRow[]> {
    return this.em.query(`SELECT ${COLUMNS} FROM security_events ORDER BY seq`);
  }

  /**
   * Deletes the records older than `before` (retention); answers how many. The log through its owner's function,
   * which never removes a record younger than 180 days by the database's clock: the application's role may not
   * delete from the log itself (migration 1765324800000).
   */
  async purgeBefore(before: Date): Promise<number> {
    const [{ count }] = await this.em.query(`SELECT security_events_purge($1) AS count`, [before]);
    await this.em.query(`DELETE FROM sign_in_failures WHERE at < $1`, [before]);
    await this.em.query(`DELETE FROM revoked_tokens WHERE expires_at < now()`);
    return Number(count ?? 0);
  }
}
