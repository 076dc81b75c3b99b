import { Module } from '@nestjs/common';
import { ChangeRequestsModule } from '../change-requests/change-requests.module';
import { DocumentsModule } from '../documents/documents.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';

/** Committee meetings (编委会会议): an agenda of requests at the committee, closed with its minutes' data. */
@Module({
  imports: [ChangeRequestsModule, DocumentsModule],
  controllers: [MeetingsController],
  providers: [MeetingsService],
})
export class MeetingsModule {}
