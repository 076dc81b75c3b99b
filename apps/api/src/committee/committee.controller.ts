import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UsersService } from '../auth/users.service';

@ApiTags('committee')
@ApiBearerAuth()
@Controller('v1/committee')
export class CommitteeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  members() {
    return this.users.committee();
  }
}
