import { Module } from '@nestjs/common';
import { ChangeRequestsController } from './change-requests.controller';
import { ChangeRequestsService } from './change-requests.service';
import { ReplayService } from './replay.service';

/** Change requests (机构编制事项): drafting, the four-stage procedure through its workflow, reading. */
@Module({ controllers: [ChangeRequestsController], providers: [ChangeRequestsService, ReplayService], exports: [ChangeRequestsService] })
export class ChangeRequestsModule {}
