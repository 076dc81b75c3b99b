import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/auth.decorators';
import { UsersService } from '../auth/users.service';
import { ApiErrors } from '../common/api.responses';
import { CommitteeMember } from './committee.responses';

@ApiTags('committee')
@ApiBearerAuth()
@Controller('v1/committee')
export class CommitteeController {
  constructor(private readonly users: UsersService) {}

  @Access('GET /v1/committee')
  @Get()
  @ApiOkResponse({ type: [CommitteeMember] })
  @ApiErrors(401, 403, 503)
  members(): Promise<CommitteeMember[]> {
    return this.users.committee();
  }
}
