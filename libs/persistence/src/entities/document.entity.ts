import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An official document (公文) as issued: its PDF bytes beside their SHA-256 (which the audit record of the step
 * that issued it carries too) and the facts it was rendered from, so that it can be rendered again and compared
 * (docs/domain.md, "Official documents"). Issued once per step: `stepKey` is the issuing audit record's.
 */
@Entity('documents')
export class DocumentEntity {
  @PrimaryColumn('uuid') id: string;
  /** APPROVAL_REPLY, REJECTION_NOTICE, QUOTA_USE_NOTICE or MINUTES. */
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId: string | null;
  @Column({ name: 'meeting_id', type: 'uuid', nullable: true }) meetingId: string | null;
  @Column({ name: 'document_number', type: 'text', nullable: true }) documentNumber: string | null;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) sha256: string;
  /** SHA-256 over the fonts it was rendered with: the same bytes come back only with the same fonts. */
  @Column({ type: 'text', nullable: true }) fonts: string | null;
  @Column({ type: 'int' }) size: number;
  // Not loaded by default: lists show the metadata, the download reads the bytes by themselves.
  @Column({ type: 'bytea', select: false }) content: Buffer;
  @Column({ type: 'jsonb', select: false }) facts: object;
  @Column({ name: 'step_key', type: 'text', unique: true }) stepKey: string;
  @Column({ name: 'issued_at', type: 'timestamptz' }) issuedAt: Date;
}
