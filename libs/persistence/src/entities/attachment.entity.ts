import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A file attached to a change request (附件: the 请示 and its supporting papers), its bytes kept in PostgreSQL
 * beside their SHA-256, which the audit trail records too. The name is the one the clerk gave, never a path.
 */
@Entity('attachments')
@Index(['requestId', 'createdAt'])
export class AttachmentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId: string;
  @Column({ type: 'text' }) name: string;
  /** Judged from the content (magic bytes), not from the name or the client's word. */
  @Column({ name: 'content_type', type: 'text' }) contentType: string;
  @Column({ type: 'int' }) size: number;
  @Column({ type: 'text' }) sha256: string;
  // Not loaded by default: lists show the metadata, the download reads the bytes by themselves.
  @Column({ type: 'bytea', select: false }) content: Buffer;
  @Column({ name: 'uploaded_by', type: 'uuid' }) uploadedBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
