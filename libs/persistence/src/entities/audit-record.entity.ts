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
  /** `sha256` or `sm3`: the algorithm of `hash`, itself covered by the hash. */
  @Column({ name: 'hash_alg', type: 'text', default: 'sha256' }) hashAlg: 'sha256' | 'sm3';
  @Column({ type: 'text' }) hash: string;
}

/** The server's key for signing audit checkpoints (unless AUDIT_SIGNING_KEY_FILE names one). */
@Entity('audit_signing_keys')
export class AuditSigningKeyEntity {
  @PrimaryColumn({ type: 'text' }) algorithm: string;
  @Column({ name: 'public_key', type: 'text' }) publicKey: string;
  @Column({ name: 'private_key', type: 'text' }) privateKey: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
