import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/auth.decorators';
import { UsersService } from '../auth/users.service';

@ApiTags('committee')
@ApiBearerAuth()
@Controller('v1/committee')
export class CommitteeController {
  constructor(private readonly users: UsersService) {}

  @Access('GET /v1/committee')
  @Get()
  members() {
    return this.users.committee();
  }
}
