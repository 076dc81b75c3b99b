import { EntityManager } from 'typeorm';
import { DocumentEntity } from './entities';

// The official documents' SQL (公文): written inside the caller's transaction (with the audit record of the step
// that issued it), listed without the bytes, read with them for a download or a dossier.

export type DocumentMeta = Omit<DocumentEntity, 'content' | 'facts'>;

export class DocumentsRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(document: DocumentEntity): Promise<void> {
    await this.em.getRepository(DocumentEntity).insert(document);
  }

  /** The document a step issued, if it is issued: a retried step finds its own. */
  byStepKey(stepKey: string): Promise<DocumentMeta | null> {
    return this.em.getRepository(DocumentEntity).findOneBy({ stepKey });
  }

  /** The request's document of a kind, if issued (a request has at most one of each: a unique index says so). */
  ofRequestAndKind(requestId: string, kind: string): Promise<DocumentMeta | null> {
    return this.em.getRepository(DocumentEntity).findOneBy({ requestId, kind });
  }

  /** A request's documents, oldest first, without their bytes. */
  ofRequest(requestId: string): Promise<DocumentMeta[]> {
    return this.em.getRepository(DocumentEntity).find({ where: { requestId }, order: { issuedAt: 'ASC', id: 'ASC' } });
  }

  /** A meeting's documents (its minutes), without their bytes. */
  ofMeeting(meetingId: string): Promise<DocumentMeta[]> {
    return this.em.getRepository(DocumentEntity).find({ where: { meetingId }, order: { issuedAt: 'ASC', id: 'ASC' } });
  }

  find(id: string): Promise<DocumentMeta | null> {
    return this.em.getRepository(DocumentEntity).findOneBy({ id });
  }

  /** One document's bytes and the facts it was rendered from. */
  async content(id: string): Promise<{ content: Buffer; facts: object } | null> {
    const row = await this.em
      .getRepository(DocumentEntity)
      .createQueryBuilder('d')
      .select('d.content', 'content')
      .addSelect('d.facts', 'facts')
      .where('d.id = :id', { id })
      .getRawOne<{ content: Buffer; facts: object }>();
    return row ?? null;
  }
}
