import { EntityManager, LessThanOrEqual } from 'typeorm';
import { AuditRecordEntity } from './entities';

// Reading the audit trail (全程留痕) of a procedure: its records by request, and a step's record by its key
// (`workflowId:step`), which makes a retried activity write once. Records are appended by @bianzhi/audit.

export class TrailRepository {
  constructor(private readonly em: EntityManager) {}

  /** A request's records in order, up to `asOf` when given. */
  recordsOf(requestId: string, asOf?: Date): Promise<AuditRecordEntity[]> {
    return this.em.getRepository(AuditRecordEntity).find({
      where: { requestId, ...(asOf ? { at: LessThanOrEqual(asOf) } : {}) },
      order: { seq: 'ASC' },
    });
  }

  /** Whether a step's record is written. */
  hasStep(stepKey: string): Promise<boolean> {
    return this.em.getRepository(AuditRecordEntity).existsBy({ stepKey });
  }

  /** The state a step's record holds after it, if the step is written. */
  async afterOf<T>(stepKey: string): Promise<T | undefined> {
    const record = await this.em
      .getRepository(AuditRecordEntity)
      .findOne({ where: { stepKey }, select: { after: true } });
    return (record?.after as T | undefined) ?? undefined;
  }
}
