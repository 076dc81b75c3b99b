import {
  BadRequestException,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  NestInterceptor,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { catchError, Observable } from 'rxjs';
import { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { AttachmentResponse, UploadAttachmentDto } from './attachments.responses';
import { AttachmentsService, UploadedBytes } from './attachments.service';
import { contentDisposition } from './content-type';
import { IdempotencyKeyedByRoute } from '../common/idempotency.interceptor';
import { UploadIdempotencyInterceptor } from './upload-idempotency.interceptor';

const UUID = new ParseUUIDPipe();
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** multer's refusals in the API's error shape, naming the field (it runs before the handler). */
@Injectable()
export class UploadErrorsInterceptor implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err) => {
        if (err instanceof PayloadTooLargeException)
          throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'an attachment is one file of 20 MiB at most', [
            { field: 'file', problem: `larger than ${MAX_ATTACHMENT_BYTES} bytes, or more than one file` },
          ]);
        if (err instanceof BadRequestException && !(err instanceof ApiError))
          throw ApiError.validation([{ field: 'file', problem: err.message }]);
        throw err;
      }),
    );
  }
}

/** Attachments (附件): the 请示 and its supporting papers, stored in PostgreSQL with their SHA-256. */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('v1')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Access('POST /v1/change-requests/:id/attachments')
  @Post('change-requests/:id/attachments')
  @IdempotencyKeyedByRoute()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentDto })
  @ApiCreatedResponse({ type: AttachmentResponse })
  @UseInterceptors(
    UploadErrorsInterceptor,
    FileInterceptor('file', {
      // In memory: the bytes go to PostgreSQL, never to a file named after anything the client sent.
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 10, fieldSize: 1024 },
      defParamCharset: 'utf8', // a Chinese file name arrives as UTF-8, not Latin-1
    }),
    UploadIdempotencyInterceptor,
  )
  add(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @UploadedFile() file: UploadedBytes | undefined,
  ): Promise<AttachmentResponse> {
    return this.attachments.add(user, id, file);
  }

  @Access('GET /v1/change-requests/:id/attachments')
  @Get('change-requests/:id/attachments')
  @ApiOkResponse({ type: AttachmentResponse, isArray: true })
  list(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<AttachmentResponse[]> {
    return this.attachments.list(user, id);
  }

  @Access('GET /v1/attachments/:id')
  @Get('attachments/:id')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the file, with its content type', schema: { type: 'string', format: 'binary' } })
  async download(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<StreamableFile> {
    const { meta, content } = await this.attachments.download(user, id);
    return new StreamableFile(content, {
      type: meta.contentType,
      length: content.length,
      disposition: contentDisposition(meta.name),
    });
  }
}
