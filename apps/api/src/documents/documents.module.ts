import { Module } from '@nestjs/common';
import { ChangeRequestsModule } from '../change-requests/change-requests.module';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';

/** Official documents (公文): listed, downloaded, and the 审批表 rendered; the minutes rendered for meetings. */
@Module({
  imports: [ChangeRequestsModule],
  controllers: [DocumentsController],
  providers: [DocumentsService],
  exports: [DocumentsService],
})
export class DocumentsModule {}
