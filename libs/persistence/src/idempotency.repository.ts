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
  ): Promise<IdempotencyClaim | null> {
    const inserted: { claim: string }[] = await this.em.query(
      'INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, clock_timestamp()) ' +
        'ON CONFLICT DO NOTHING RETURNING created_at::text AS claim',
      [userId, key, requestHash],
    );
    if (inserted.length) return inserted[0].claim;
    const [taken]: [{ claim: string }[], number] = await this.em.query(
      'UPDATE idempotency_keys SET created_at = clock_timestamp() ' +
        'WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status_code IS NULL ' +
        "AND created_at < clock_timestamp() - $4 * interval '1 millisecond' RETURNING created_at::text AS claim",
      [userId, key, requestHash, ttlMs],
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
