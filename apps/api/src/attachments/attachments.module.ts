import { Module } from '@nestjs/common';
import { ChangeRequestsModule } from '../change-requests/change-requests.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** A change request's attachments (附件): upload judged by content, list, download; audited. */
@Module({ imports: [ChangeRequestsModule], controllers: [AttachmentsController], providers: [AttachmentsService] })
export class AttachmentsModule {}
