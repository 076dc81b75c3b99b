import { randomInt } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './entities';

// The idempotency_keys table's SQL (docs/architecture.md: repositories own the SQL). Each call is a statement
// of its own, outside any transaction: the claim must be visible to a concurrent retry at once.

/**
 * How long a call may hold its key unanswered before a retry may take the key over (a crashed API left it in
 * progress). Well above the longest a request can run: each statement is cut at 15 s and each workflow call at
 * UPDATE_TIMEOUT_MS (30 s), so a holder this old is dead, not slow.
 */
export const IDEMPOTENCY_CLAIM_TTL_MS = 2 * 60_000;

/**
 * A held claim: the moment it was taken, as PostgreSQL wrote it (text, to the microsecond). Only the call whose
 * claim is still the key's may record or release it, so a holder that was only slow and whose key was taken over
 * finds its claim gone: its late answer is not stored over the new holder's, nor does its failure free the key.
 */
export type IdempotencyClaim = string;

export class IdempotencyRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Claims the key for a call: a first call, or a retry with the same body once the key has been in progress
   * longer than `ttlMs` (its holder died). Null when another call holds or has answered it. Concurrent retries
   * cannot both take a stale key over: the UPDATE locks the row and the loser re-reads a fresh `created_at`.
   */
  async claim(
    userId: string,
    key: string,
    requestHash: string,
    ttlMs = IDEMPOTENCY_CLAIM_TTL_MS,
    holder: number | null = null,
  ): Promise<IdempotencyClaim | null> {
    const inserted: { claim: string }[] = await this.em.query(
      'INSERT INTO idempotency_keys (user_id, key, request_hash, created_at, holder) ' +
        'VALUES ($1, $2, $3, clock_timestamp(), $4) ON CONFLICT DO NOTHING RETURNING created_at::text AS claim',
      [userId, key, requestHash, holder],
    );
    if (inserted.length) return inserted[0].claim;
    // Taken over when older than the TTL, or at once when its holder's lease is gone: that API process has died
    // (PostgreSQL ends a dead client's session, and with it the session's advisory lock).
    const [taken]: [{ claim: string }[], number] = await this.em.query(
      'UPDATE idempotency_keys SET created_at = clock_timestamp(), holder = $5 ' +
        'WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status_code IS NULL ' +
        "AND (created_at < clock_timestamp() - $4 * interval '1 millisecond' OR (holder IS NOT NULL AND NOT EXISTS (" +
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 " +
        'AND classid = $6::oid AND objid = holder::oid))) RETURNING created_at::text AS claim',
      [userId, key, requestHash, ttlMs, holder, LEASE_NAMESPACE],
    );
    return taken[0]?.claim ?? null;
  }

  /** Records the call's answer, for the retries to return; false (nothing stored) when its claim was taken over. */
  async recordAnswer(
    userId: string,
    key: string,
    claim: IdempotencyClaim,
    statusCode: number,
    response: unknown,
  ): Promise<boolean> {
    const [, updated]: [unknown, number] = await this.em.query(
      'UPDATE idempotency_keys SET status_code = $4, response = $5 ' +
        'WHERE user_id = $1 AND key = $2 AND created_at = $3::timestamptz AND status_code IS NULL',
      [userId, key, claim, statusCode, JSON.stringify(response ?? null)],
    );
    return updated > 0;
  }

  /** Forgets the key, so that a retry redoes the call; nothing when the claim is no longer the caller's. */
  async release(userId: string, key: string, claim: IdempotencyClaim): Promise<void> {
    await this.em.query(
      'DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at = $3::timestamptz ' +
        'AND status_code IS NULL',
      [userId, key, claim],
    );
  }

  find(userId: string, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.em.getRepository(IdempotencyKeyEntity).findOneBy({ userId, key });
  }
}

/** The advisory-lock namespace of the API processes' leases (two-key locks; the others take one bigint key). */
const LEASE_NAMESPACE = 0x6964; // 'id'

/**
 * An API process's lease on its idempotency claims: a session advisory lock (LEASE_NAMESPACE, holder) held on a
 * connection of its own for the process's life. A retry at another API that finds the key still in progress takes
 * it over at once when no session holds the lock (docs/architecture.md, "Topologies"), instead of waiting out
 * IDEMPOTENCY_CLAIM_TTL_MS. Taken on first use; while it cannot be had (PostgreSQL away, the connection lost) claims
 * carry no holder and fall back to the TTL. A lease lost while its process lives only lets a retry run the call again
 * early, which the keyed effects already make harmless (the TTL's own case of a holder only slow).
 */
export class IdempotencyLease {
  /** 1 … 2^31 − 1, this process's: two processes drawing the same number only wait out the TTL. */
  readonly holder = randomInt(1, 2 ** 31 - 1);
  private client?: PgClient;
  private taking?: Promise<PgClient | undefined>;
  private closed = false;

  constructor(private readonly url: string) {}

  /** The holder to record with a claim: this process's, once its lock is held; null until then. */
  async current(): Promise<number | null> {
    if (this.closed) return null;
    if (this.client) return this.holder;
    this.taking ??= this.take().finally(() => (this.taking = undefined));
    return (await this.taking) ? this.holder : null;
  }

  private async take(): Promise<PgClient | undefined> {
    const client = new PgClient({ connectionString: this.url, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined); // seen as 'end' below
    try {
      await client.connect();
      const [{ held }] = (
        await client.query('SELECT pg_try_advisory_lock($1, $2) AS held', [LEASE_NAMESPACE, this.holder])
      ).rows;
      if (!held) throw new Error('another process drew the same holder');
    } catch {
      await client.end().catch(() => undefined);
      return undefined;
    }
    client.on('end', () => {
      if (this.client === client) this.client = undefined; // taken again by the next claim
    });
    return (this.client = client);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
