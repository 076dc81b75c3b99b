import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { AsOfQueryDto } from '../registry/registry.dto';
import { DossierService } from './dossier.service';
import { ReplayService } from './replay.service';
import {
  ConsultationsDto,
  CreateChangeRequestDto,
  HigherDecisionDto,
  ListChangeRequestsQueryDto,
  OpinionDto,
  ReviewDto,
  ReviseDto,
  VoteDto,
  WithdrawDto,
} from './change-request.dto';
import { ChangeRequestsService } from './change-requests.service';

const UUID = new ParseUUIDPipe();

@ApiTags('change-requests')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('v1/change-requests')
export class ChangeRequestsController {
  constructor(
    private readonly requests: ChangeRequestsService,
    private readonly replay: ReplayService,
    private readonly dossiers: DossierService,
  ) {}

  @Access('POST /v1/change-requests')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateChangeRequestDto, @Headers('idempotency-key') key?: string) {
    return this.requests.create(user, dto, key);
  }

  @Access('GET /v1/change-requests')
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: ListChangeRequestsQueryDto) {
    return this.requests.list(user, q);
  }

  /** With `?asOf=`, the request as it stood then, rebuilt from the audit trail alone. */
  @Access('GET /v1/change-requests/:id')
  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Query() q: AsOfQueryDto) {
    return q.asOf ? this.requests.rebuildAsOf(user, id, q.asOf) : this.requests.get(user, id);
  }

  /** The request's full dossier for an auditor, checked offline by `npm run verify-dossier`. */
  @Access('GET /v1/change-requests/:id/dossier')
  @Get(':id/dossier')
  async dossier(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string) {
    return this.dossiers.export(user, await this.requests.findVisible(user, id));
  }

  @Access('GET /v1/change-requests/:id/audit')
  @Get(':id/audit')
  audit(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string) {
    return this.requests.auditTrail(user, id);
  }

  @Access('GET /v1/change-requests/:id/replay')
  @Get(':id/replay')
  async replayHistory(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string) {
    const row = await this.requests.findVisible(user, id);
    return this.replay.replay(row.workflowId);
  }

  // The procedure's actions: each route translates its request into one of CHANGE_REQUEST_ACTIONS
  // (change-request.actions.ts), run by ChangeRequestsService.act.

  // ── 动议 Proposal ────────────────────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/submit')
  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Headers('idempotency-key') key?: string) {
    return this.requests.act('submit', user, id, {}, key);
  }

  @Access('POST /v1/change-requests/:id/withdraw')
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: WithdrawDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('withdraw', user, id, dto, key);
  }

  @Access('POST /v1/change-requests/:id/revise')
  @Post(':id/revise')
  @HttpCode(200)
  revise(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: ReviseDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('revise', user, id, dto, key);
  }

  // ── 论证 Demonstration ──────────────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/consultations')
  @Post(':id/consultations')
  @HttpCode(200)
  consult(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: ConsultationsDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('consult', user, id, dto, key);
  }

  @Access('POST /v1/change-requests/:id/opinions')
  @Post(':id/opinions')
  @HttpCode(200)
  opinion(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: OpinionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('opinion', user, id, dto, key);
  }

  @Access('POST /v1/change-requests/:id/review')
  @Post(':id/review')
  @HttpCode(200)
  review(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: ReviewDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('review', user, id, dto, key);
  }

  // ── 审议决定 Committee decision ─────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/votes')
  @Post(':id/votes')
  @HttpCode(200)
  vote(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: VoteDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('vote', user, id, dto, key);
  }

  @Access('POST /v1/change-requests/:id/close-vote')
  @Post(':id/close-vote')
  @HttpCode(200)
  closeVote(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Headers('idempotency-key') key?: string) {
    return this.requests.act('closeVote', user, id, {}, key);
  }

  @Access('POST /v1/change-requests/:id/higher-decision')
  @Post(':id/higher-decision')
  @HttpCode(200)
  higherDecision(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: HigherDecisionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('higherDecision', user, id, dto, key);
  }
}
