import { Controller, Get, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';
import { contentDisposition } from '../attachments/content-type';
import { DocumentView } from './documents.responses';
import { DocumentsService } from './documents.service';

const UUID = new ParseUUIDPipe();
const PDF_CONTENT = { 'application/pdf': { schema: { type: 'string', format: 'binary' } } };
const PDF = { description: 'the PDF (GB/T 9704-2012, PDF/A-2b)', content: PDF_CONTENT };

/** Official documents (公文): a request's 批复 or notice, a meeting's minutes, a request's 审批表. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('v1')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Access('GET /v1/change-requests/:id/documents')
  @Get('change-requests/:id/documents')
  @ApiOkResponse({ type: DocumentView, isArray: true })
  @ApiErrors(400, 401, 403, 404, 503)
  ofRequest(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<DocumentView[]> {
    return this.documents.ofRequest(user, id);
  }

  @Access('GET /v1/meetings/:id/documents')
  @Get('meetings/:id/documents')
  @ApiOkResponse({ type: DocumentView, isArray: true })
  @ApiErrors(400, 401, 403, 404, 503)
  ofMeeting(@Param('id', UUID) id: string): Promise<DocumentView[]> {
    return this.documents.ofMeeting(id);
  }

  @Access('GET /v1/documents/:id')
  @Get('documents/:id')
  @ApiOkResponse(PDF)
  @ApiErrors(400, 401, 403, 404, 503)
  async download(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<StreamableFile> {
    const { meta, content } = await this.documents.download(user, id);
    return new StreamableFile(content, {
      type: 'application/pdf',
      length: content.length,
      disposition: contentDisposition(`${meta.documentNumber ?? meta.kind} ${meta.title.slice(0, 60)}.pdf`),
    });
  }

  @Access('GET /v1/change-requests/:id/approval-form')
  @Get('change-requests/:id/approval-form')
  @ApiOkResponse({ ...PDF, description: '审批表: the request, every opinion and vote, names and dates' })
  @ApiErrors(400, 401, 403, 404, 503)
  async approvalForm(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<StreamableFile> {
    const form = await this.documents.approvalForm(user, id);
    return new StreamableFile(Buffer.from(form.pdf), {
      type: 'application/pdf',
      length: form.pdf.byteLength,
      disposition: contentDisposition(`审批表 ${id}.pdf`),
    });
  }
}
