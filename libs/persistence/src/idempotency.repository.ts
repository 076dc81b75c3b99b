import { EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './entities';

// The idempotency_keys table's SQL (docs/architecture.md: repositories own the SQL). Each call is a statement
// of its own, outside any transaction: the claim must be visible to a concurrent retry at once.

export class IdempotencyRepository {
  constructor(private readonly em: EntityManager) {}

  /** Claims the key for a first call: false when a call with this key exists already. */
  async claim(userId: string, key: string, requestHash: string): Promise<boolean> {
    const inserted: unknown[] = await this.em.query(
      'INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, now()) ' +
        'ON CONFLICT DO NOTHING RETURNING key',
      [userId, key, requestHash],
    );
    return inserted.length > 0;
  }

  /** Records the first call's answer, for the retries to return. */
  async recordAnswer(userId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.em
      .getRepository(IdempotencyKeyEntity)
      .update({ userId, key }, { statusCode, response: response as object });
  }

  /** Forgets the key, so that a retry redoes the call. */
  async release(userId: string, key: string): Promise<void> {
    await this.em.getRepository(IdempotencyKeyEntity).delete({ userId, key });
  }

  find(userId: string, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.em.getRepository(IdempotencyKeyEntity).findOneBy({ userId, key });
  }
}
