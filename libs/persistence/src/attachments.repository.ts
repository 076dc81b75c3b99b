import { EntityManager } from 'typeorm';
import { AttachmentEntity } from './entities';

// The attachments' SQL: written inside the caller's transaction (with its audit record), listed without the
// bytes, read with them for a download.

export type AttachmentMeta = Omit<AttachmentEntity, 'content'>;

export class AttachmentsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction, with this repository bound to it and its manager (for the audit append). */
  transaction<T>(work: (attachments: AttachmentsRepository, em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transaction((em) => work(new AttachmentsRepository(em), em));
  }

  async add(attachment: AttachmentEntity): Promise<void> {
    await this.em.getRepository(AttachmentEntity).insert(attachment);
  }

  /** A request's attachments, oldest first, without their bytes. */
  list(requestId: string): Promise<AttachmentMeta[]> {
    return this.em
      .getRepository(AttachmentEntity)
      .find({ where: { requestId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** One attachment's metadata, without its bytes. */
  find(id: string): Promise<AttachmentMeta | null> {
    return this.em.getRepository(AttachmentEntity).findOneBy({ id });
  }

  /** One attachment's bytes. */
  async content(id: string): Promise<Buffer | null> {
    const row = await this.em
      .getRepository(AttachmentEntity)
      .createQueryBuilder('a')
      .select('a.content', 'content')
      .where('a.id = :id', { id })
      .getRawOne<{ content: Buffer }>();
    return row?.content ?? null;
  }
}
