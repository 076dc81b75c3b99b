import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { ProcedureModule } from '../procedure/procedure.module';
import { ChangeRequestsController } from './change-requests.controller';
import { DossierService } from './dossier.service';
import { ChangeRequestsService } from './change-requests.service';
import { ReplayService } from './replay.service';

/** Change requests (机构编制事项): drafting, the four-stage procedure through its workflow, reading. */
@Module({
  controllers: [ChangeRequestsController],
  imports: [AuditModule, ProcedureModule, PeopleModule],
  providers: [ChangeRequestsService, ReplayService, DossierService],
  exports: [ChangeRequestsService],
})
export class ChangeRequestsModule {}
