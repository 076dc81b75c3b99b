import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An `Idempotency-Key` seen from one user, with the hash of its body and the first answer. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' }) userId: string;
  @PrimaryColumn({ type: 'text' }) key: string;
  @Column({ name: 'request_hash', type: 'text' }) requestHash: string;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode: number | null;
  @Column({ type: 'jsonb', nullable: true }) response: unknown;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** The claiming API process's lease (IdempotencyLease.holder); null without one. */
  @Column({ type: 'int', nullable: true }) holder: number | null;
}
