import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@bianzhi/auth';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';
import { AuditRecordView } from '../audit/audit.responses';
import { AsOfQueryDto } from '../registry/registry.dto';
import { DossierService } from './dossier.service';
import { ReplayService } from './replay.service';
import {
  ConsultationsDto,
  DecideDto,
  CreateChangeRequestDto,
  HigherDecisionDto,
  ListChangeRequestsQueryDto,
  OpinionDto,
  RetryDto,
  ReviewDto,
  ReviseDto,
  VoteDto,
  WithdrawDto,
} from './change-request.dto';
import { ChangeRequestsService } from './change-requests.service';
import {
  ChangeRequestAsOfView,
  ChangeRequestPage,
  ChangeRequestView,
  Dossier,
  ReplayResult,
  VoteResult,
} from './change-request.responses';

const UUID = new ParseUUIDPipe();

@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('v1/change-requests')
export class ChangeRequestsController {
  constructor(
    private readonly requests: ChangeRequestsService,
    private readonly replay: ReplayService,
    private readonly dossiers: DossierService,
  ) {}

  @Access('POST /v1/change-requests')
  @Post()
  @ApiCreatedResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 409, 422, 503)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateChangeRequestDto, @Headers('idempotency-key') key?: string) {
    return this.requests.create(user, dto, key);
  }

  @Access('GET /v1/change-requests')
  @Get()
  @ApiOkResponse({ type: ChangeRequestPage })
  @ApiErrors(400, 401, 403, 503)
  list(@CurrentUser() user: AuthUser, @Query() q: ListChangeRequestsQueryDto) {
    return this.requests.list(user, q);
  }

  /** With `?asOf=`, the request as it stood then, rebuilt from the audit trail alone. */
  @Access('GET /v1/change-requests/:id')
  @Get(':id')
  @ApiOkResponse({ type: ChangeRequestAsOfView })
  @ApiErrors(400, 401, 403, 404, 503)
  get(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Query() q: AsOfQueryDto) {
    return q.asOf ? this.requests.rebuildAsOf(user, id, q.asOf) : this.requests.get(user, id);
  }

  /** The request's full dossier for an auditor, checked offline by `npm run verify-dossier`. */
  @Access('GET /v1/change-requests/:id/dossier')
  @Get(':id/dossier')
  @ApiOkResponse({ type: Dossier })
  @ApiErrors(400, 401, 403, 404, 503)
  async dossier(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string) {
    return this.dossiers.export(user, await this.requests.findVisible(user, id));
  }

  @Access('GET /v1/change-requests/:id/audit')
  @Get(':id/audit')
  @ApiOkResponse({ type: [AuditRecordView] })
  @ApiErrors(400, 401, 403, 404, 503)
  audit(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<AuditRecordView[]> {
    return this.requests.auditTrail(user, id);
  }

  @Access('GET /v1/change-requests/:id/replay')
  @Get(':id/replay')
  @ApiOkResponse({ type: ReplayResult })
  @ApiErrors(400, 401, 403, 404, 503)
  async replayHistory(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string): Promise<ReplayResult> {
    const row = await this.requests.findVisible(user, id);
    return this.replay.replay(row.workflowId);
  }

  // The procedure's actions: each route translates its request into one of CHANGE_REQUEST_ACTIONS
  // (change-request.actions.ts), run by ChangeRequestsService.act.

  // ── 动议 Proposal ────────────────────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/submit')
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  submit(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Headers('idempotency-key') key?: string) {
    return this.requests.act('submit', user, id, {}, key);
  }

  @Access('POST /v1/change-requests/:id/withdraw')
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
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
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
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
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
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
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
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
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
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
  @ApiOkResponse({ type: VoteResult })
  @ApiErrors(400, 401, 403, 404, 409, 503)
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
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  closeVote(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Headers('idempotency-key') key?: string) {
    return this.requests.act('closeVote', user, id, {}, key);
  }

  @Access('POST /v1/change-requests/:id/decide')
  @Post(':id/decide')
  @HttpCode(200)
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  decide(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: DecideDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('decide', user, id, dto, key);
  }

  // ── 组织实施 Implementation ─────────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/retry')
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  retry(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: RetryDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('retry', user, id, dto, key);
  }

  @Access('POST /v1/change-requests/:id/higher-decision')
  @Post(':id/higher-decision')
  @HttpCode(200)
  @ApiOkResponse({ type: ChangeRequestView })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  higherDecision(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: HigherDecisionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.requests.act('higherDecision', user, id, dto, key);
  }
}
