import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { appendAudit } from '@bianzhi/audit';
import { AuthUser, hasRole } from '@bianzhi/auth';
import { stageRefusal } from '@bianzhi/domain';
import { AttachmentMeta, AttachmentsRepository, ChangeRequestRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { throwRefusal } from '../procedure/workflow-gateway.service';
import { AttachmentResponse } from './attachments.responses';
import { cleanName, sniffContentType } from './content-type';

/** What multer hands over for one file held in memory. */
export interface UploadedBytes {
  originalname: string;
  size: number;
  buffer: Buffer;
}

function toResponse(a: AttachmentMeta): AttachmentResponse {
  return {
    id: a.id,
    name: a.name,
    size: a.size,
    contentType: a.contentType,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt.toISOString(),
  };
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly requests: ChangeRequestsService,
  ) {}

  /**
   * Adds a file to a request: the requesting unit's clerk, while draft, demonstration or returned. The type
   * is judged from the bytes; the bytes, their SHA-256 and the audit record commit together.
   */
  async add(user: AuthUser, requestId: string, file: UploadedBytes | undefined): Promise<AttachmentResponse> {
    const row = await this.requests.findVisible(user, requestId);
    throwRefusal(stageRefusal(row.status, 'attach'));
    if (!hasRole(user, 'clerk') || user.unitId !== row.unitId)
      throw ApiError.forbidden('NOT_YOUR_UNIT', "a clerk attaches files to its own unit's requests only");
    if (!file) throw ApiError.validation([{ field: 'file', problem: 'a multipart field `file` is required' }]);
    const contentType = sniffContentType(file.buffer);
    if (!contentType)
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'the file is none of PDF, OFD, DOCX, XLSX, JPEG or PNG (judged by its content, not its name)',
        [{ field: 'file', problem: 'unsupported content' }],
      );
    const attachment = {
      id: randomUUID(),
      requestId,
      name: cleanName(file.originalname),
      contentType,
      size: file.buffer.length,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      content: file.buffer,
      uploadedBy: user.id,
      createdAt: new Date(),
    };
    await this.attachments.transaction(async (attachments, em) => {
      // Again under the row's share lock: a forward that landed meanwhile has the request at the committee.
      const status = await new ChangeRequestRepository(em).statusForShare(requestId);
      throwRefusal(status && stageRefusal(status, 'attach'));
      await attachments.add(attachment);
      await appendAudit(em, {
        actor: user.username,
        actorId: user.id,
        role: 'clerk',
        action: 'attachment_added',
        requestId,
        workflowId: row.workflowId,
        after: {
          attachmentId: attachment.id,
          name: attachment.name,
          size: attachment.size,
          contentType,
          sha256: attachment.sha256,
        },
        at: attachment.createdAt,
      });
    });
    return toResponse(attachment);
  }

  async list(user: AuthUser, requestId: string): Promise<AttachmentResponse[]> {
    await this.requests.findVisible(user, requestId);
    return (await this.attachments.list(requestId)).map(toResponse);
  }

  /** One file's bytes, to whoever may see its request (404 otherwise: its existence is not revealed). */
  async download(user: AuthUser, id: string): Promise<{ meta: AttachmentResponse; content: Buffer }> {
    const repo = this.attachments;
    const meta = await repo.find(id);
    if (!meta) throw ApiError.notFound('the attachment');
    await this.requests.findVisible(user, meta.requestId).catch((err) => {
      throw err instanceof ApiError && err.getStatus() === 404 ? ApiError.notFound('the attachment') : err;
    });
    const content = await repo.content(id);
    if (!content) throw ApiError.notFound('the attachment');
    return { meta: toResponse(meta), content };
  }
}
