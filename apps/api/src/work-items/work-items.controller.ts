import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@bianzhi/auth';
import { WorkItemsRepository } from '@bianzhi/persistence';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { visibilityOf } from '../change-requests/change-requests.service';
import { DoneItemsResponse, DoneQueryDto, WorkItemsResponse } from './work-items.responses';

/** The console's work lists: what waits for the caller (待办) and what it has acted on (已办). */
@ApiTags('work-items')
@ApiBearerAuth()
@Controller('v1/work-items')
export class WorkItemsController {
  constructor(private readonly workItems: WorkItemsRepository) {}

  @Access('GET /v1/work-items')
  @Get()
  @ApiOkResponse({ type: WorkItemsResponse })
  async waiting(@CurrentUser() user: AuthUser): Promise<WorkItemsResponse> {
    const items = await this.workItems.waiting(user);
    return { items, total: items.length };
  }

  @Access('GET /v1/work-items/done')
  @Get('done')
  @ApiOkResponse({ type: DoneItemsResponse })
  async done(@CurrentUser() user: AuthUser, @Query() q: DoneQueryDto): Promise<DoneItemsResponse> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return { ...(await this.workItems.done(user.id, visibilityOf(user), page, pageSize)), page, pageSize };
  }
}
