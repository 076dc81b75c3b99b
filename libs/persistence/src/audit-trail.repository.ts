import { EntityManager } from 'typeorm';
import { AUDIT_VERIFY_RANGE, AuditVerification, verifyAuditTrail } from './audit-verification';
import { AuditRecordEntity, AuditSigningKeyEntity } from './entities';

// The audit trail's reads for auditors (docs/architecture.md: repositories own the SQL): listing, the Merkle
// leaves and head, the server's signing key, verification. Appending is libs/audit's appendAudit, inside the
// writer's transaction.

/** Which records to list: each bound optional, seq order, at most `limit`. */
export interface AuditRecordFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  requestId?: string;
  /** One action (submitted, voted, document_issued, …). */
  action?: string;
  afterSeq?: number;
  limit: number;
}

export class AuditTrailRepository {
  constructor(private readonly em: EntityManager) {}

  list(f: AuditRecordFilter): Promise<AuditRecordEntity[]> {
    const qb = this.em.getRepository(AuditRecordEntity).createQueryBuilder('a').orderBy('a.seq', 'ASC').take(f.limit);
    if (f.from) qb.andWhere('a.at >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.at <= :to', { to: f.to });
    if (f.actor) qb.andWhere('a.actor = :actor', { actor: f.actor });
    if (f.requestId) qb.andWhere('a.request_id = :rid', { rid: f.requestId });
    if (f.action) qb.andWhere('a.action = :action', { action: f.action });
    if (f.afterSeq !== undefined) qb.andWhere('a.seq > :after', { after: f.afterSeq });
    return qb.getMany();
  }

  /** A request's records, in seq order. */
  recordsOfRequest(requestId: string): Promise<AuditRecordEntity[]> {
    return this.em.getRepository(AuditRecordEntity).find({ where: { requestId }, order: { seq: 'ASC' } });
  }

  /** The trail's size: its highest seq (0 when empty). */
  async size(): Promise<number> {
    const [{ n }] = await this.em.query('SELECT coalesce(max(seq), 0)::bigint AS n FROM audit_records');
    return Number(n);
  }

  /** The stored hashes of the records up to `treeSize`, in seq order (fewer than treeSize when seqs are missing). */
  async hashesUpTo(treeSize: number): Promise<string[]> {
    const rows: { hash: string }[] = await this.em.query(
      'SELECT hash FROM audit_records WHERE seq <= $1 ORDER BY seq',
      [treeSize],
    );
    return rows.map((r) => r.hash);
  }

  /** The stored hash of record `seq`, if there is one. */
  async hashAt(seq: number): Promise<string | undefined> {
    const rows: { hash: string }[] = await this.em.query('SELECT hash FROM audit_records WHERE seq = $1', [seq]);
    return rows[0]?.hash;
  }

  /**
   * The signing key kept for `algorithm`: `fresh` is stored if none is yet, and whichever key won (a concurrent
   * first call may have stored its own) is returned.
   */
  async keepSigningKey(
    algorithm: string,
    fresh: { publicKey: string; privateKey: string },
  ): Promise<{ publicKey: string; privateKey: string }> {
    await this.em.query(
      'INSERT INTO audit_signing_keys (algorithm, public_key, private_key, created_at) ' +
        'VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
      [algorithm, fresh.publicKey, fresh.privateKey],
    );
    const row = await this.em.getRepository(AuditSigningKeyEntity).findOneByOrFail({ algorithm });
    return { publicKey: row.publicKey, privateKey: row.privateKey };
  }

  /** Recomputes the chain (see verifyAuditTrail), on a connection of its own. */
  verify(range = AUDIT_VERIFY_RANGE): Promise<AuditVerification> {
    return verifyAuditTrail(this.em.connection, range);
  }
}
