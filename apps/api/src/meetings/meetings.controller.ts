import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';
import { CreateMeetingDto, ListMeetingsQueryDto } from './meetings.dto';
import { MeetingPage, MeetingView } from './meetings.responses';
import { MeetingsService } from './meetings.service';

const UUID = new ParseUUIDPipe();

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('v1/meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Access('POST /v1/meetings')
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: MeetingView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateMeetingDto): Promise<MeetingView> {
    return this.meetings.create(user, dto);
  }

  @Access('GET /v1/meetings')
  @Get()
  @ApiOkResponse({ type: MeetingPage })
  @ApiErrors(400, 401, 403, 503)
  list(@Query() q: ListMeetingsQueryDto): Promise<MeetingPage> {
    return this.meetings.list(q);
  }

  @Access('GET /v1/meetings/:id')
  @Get(':id')
  @ApiOkResponse({ type: MeetingView })
  @ApiErrors(400, 401, 403, 404, 503)
  get(@Param('id', UUID) id: string): Promise<MeetingView> {
    return this.meetings.get(id);
  }

  @Access('POST /v1/meetings/:id/close')
  @Post(':id/close')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: MeetingView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  close(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<MeetingView> {
    return this.meetings.close(user, id);
  }
}
