import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One record of the append-only, hash-chained audit trail (全程留痕). */
@Entity('audit_records')
@Index(['requestId', 'seq'])
@Index(['at'])
@Index(['actor', 'seq'])
export class AuditRecordEntity {
  @PrimaryColumn({ type: 'bigint' }) seq: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'text' }) actor: string;
  @Column({ name: 'actor_id', type: 'text', nullable: true }) actorId: string | null;
  @Column({ type: 'text' }) role: string;
  @Column({ type: 'text' }) action: string;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId: string | null;
  @Column({ name: 'workflow_id', type: 'text', nullable: true }) workflowId: string | null;
  @Column({ name: 'run_id', type: 'text', nullable: true }) runId: string | null;
  /** `workflowId:step`: makes a retried activity write its record once. */
  @Column({ name: 'step_key', type: 'text', nullable: true, unique: true }) stepKey: string | null;
  @Column({ type: 'jsonb', nullable: true }) before: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  @Column({ type: 'jsonb', nullable: true }) after: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash: string;
  @Column({ type: 'text' }) hash: string;
}
