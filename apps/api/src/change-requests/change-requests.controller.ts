import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, hasRole } from '@bianzhi/auth';
import { specOf } from '@bianzhi/persistence';
import type { ProcedureState } from '@bianzhi/workflows';
import {
  closeVoteUpdate,
  consultUpdate,
  higherDecisionUpdate,
  opinionUpdate,
  reviewUpdate,
  reviseUpdate,
  submitUpdate,
  voteUpdate,
  withdrawUpdate,
} from '@bianzhi/workflows';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/api.responses';
import { AuditRecordView } from '../audit/audit.responses';
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
import { actorOf, ChangeRequestsService } from './change-requests.service';
import {
  ChangeRequestAsOfView,
  ChangeRequestPage,
  ChangeRequestView,
  Dossier,
  ReplayResult,
} from './change-request.responses';

const UUID = new ParseUUIDPipe();

/** An Update's id from the caller's Idempotency-Key, so a retried POST reaches the workflow once. */
function updateIdFor(user: AuthUser, action: string, key?: string): string | undefined {
  return key ? `${action}:${user.id}:${key}` : undefined;
}

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

  // ── 动议 Proposal ────────────────────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/submit')
  @Post(':id/submit')
  @HttpCode(200)
  async submit(@CurrentUser() user: AuthUser, @Param('id', UUID) id: string, @Headers('idempotency-key') key?: string) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'submit', key);
    await this.requests.checkUnlessTaken(row, updateId, async () => {
      this.requests.requireStage(row, 'submit');
      this.requireOwnUnit(user, row.unitId);
      await this.requests.checkRules(specOf(row));
    });
    await this.requests.update(row, submitUpdate, [{ actor: actorOf(user, 'clerk') }], updateId);
    return this.requests.get(user, id);
  }

  @Access('POST /v1/change-requests/:id/withdraw')
  @Post(':id/withdraw')
  @HttpCode(200)
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: WithdrawDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'withdraw', key);
    await this.requests.checkUnlessTaken(row, updateId, () => {
      this.requests.requireStage(row, 'withdraw');
      this.requireOwnUnit(user, row.unitId);
    });
    await this.requests.update(row, withdrawUpdate, [{ actor: actorOf(user, 'clerk'), reason: dto.reason }], updateId);
    return this.requests.get(user, id);
  }

  @Access('POST /v1/change-requests/:id/revise')
  @Post(':id/revise')
  @HttpCode(200)
  async revise(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: ReviseDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'revise', key);
    // A retry of a taken Update needs none: Temporal answers it from the first.
    let payload: Record<string, unknown> | undefined;
    await this.requests.checkUnlessTaken(row, updateId, async () => {
      this.requests.requireStage(row, 'revise');
      this.requireOwnUnit(user, row.unitId);
      payload = dto.payload ? await this.requests.validatePayload(row.type, dto.payload) : undefined;
      await this.requests.checkRules(specOf({ ...row, payload: payload ?? row.payload }));
    });
    await this.requests.update(
      row,
      reviseUpdate,
      [{ actor: actorOf(user, 'clerk'), comment: dto.comment, payload, justification: dto.justification }],
      updateId,
    );
    return this.requests.get(user, id);
  }

  // ── 论证 Demonstration ──────────────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/consultations')
  @Post(':id/consultations')
  @HttpCode(200)
  async consult(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: ConsultationsDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'consult', key);
    await this.requests.checkUnlessTaken(row, updateId, () => {
      this.requests.requireStage(row, 'consult');
      this.requireNotRequester(user, row.createdBy);
      if (Date.parse(dto.dueAt) <= Date.now())
        throw ApiError.validation([{ field: 'dueAt', problem: 'dueAt must be in the future' }]);
    });
    await this.requests.update(
      row,
      consultUpdate,
      [{ actor: actorOf(user, 'reviewer'), unitIds: dto.unitIds, dueAt: new Date(dto.dueAt).toISOString() }],
      updateId,
    );
    return this.requests.get(user, id);
  }

  @Access('POST /v1/change-requests/:id/opinions')
  @Post(':id/opinions')
  @HttpCode(200)
  async opinion(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: OpinionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'opinion', key);
    await this.requests.checkUnlessTaken(row, updateId, () => this.requests.requireStage(row, 'opinion'));
    if (!user.unitId) throw ApiError.forbidden('NOT_YOUR_UNIT', 'a consultee belongs to a unit');
    await this.requests.update(
      row,
      opinionUpdate,
      [{ actor: actorOf(user, 'consultee'), unitId: user.unitId, position: dto.position, comment: dto.comment }],
      updateId,
    );
    return this.requests.get(user, id);
  }

  @Access('POST /v1/change-requests/:id/review')
  @Post(':id/review')
  @HttpCode(200)
  async review(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: ReviewDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'review', key);
    await this.requests.checkUnlessTaken(row, updateId, () => {
      this.requests.requireStage(row, 'review');
      if (dto.decision !== 'forward' && !dto.comment?.trim())
        throw ApiError.validation([{ field: 'comment', problem: `comment is required to ${dto.decision}` }]);
      this.requireNotRequester(user, row.createdBy);
    });
    await this.requests.update(
      row,
      reviewUpdate,
      [{ actor: actorOf(user, 'reviewer'), decision: dto.decision, comment: dto.comment }],
      updateId,
    );
    return this.requests.get(user, id);
  }

  // ── 审议决定 Committee decision ─────────────────────────────────────────────────────────────────

  @Access('POST /v1/change-requests/:id/votes')
  @Post(':id/votes')
  @HttpCode(200)
  async vote(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: VoteDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'vote', key);
    await this.requests.checkUnlessTaken(row, updateId, () => {
      this.requests.requireStage(row, 'vote');
      this.requireNotRequester(user, row.createdBy);
      const vote = (row.procedure as ProcedureState).vote;
      if (vote?.recused.some((m) => m.id === user.id))
        throw ApiError.forbidden('RECUSED', 'you lead a unit this request concerns and must recuse');
    });
    return this.requests.update(
      row,
      voteUpdate,
      [{ actor: actorOf(user, 'committee_member'), vote: dto.vote, comment: dto.comment }],
      updateId,
    );
  }

  @Access('POST /v1/change-requests/:id/close-vote')
  @Post(':id/close-vote')
  @HttpCode(200)
  async closeVote(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'close-vote', key);
    await this.requests.checkUnlessTaken(row, updateId, () => this.requests.requireStage(row, 'closeVote'));
    await this.requests.update(row, closeVoteUpdate, [{ actor: actorOf(user, 'committee_chair') }], updateId);
    return this.requests.get(user, id);
  }

  @Access('POST /v1/change-requests/:id/higher-decision')
  @Post(':id/higher-decision')
  @HttpCode(200)
  async higherDecision(
    @CurrentUser() user: AuthUser,
    @Param('id', UUID) id: string,
    @Body() dto: HigherDecisionDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const row = await this.requests.findVisible(user, id);
    const updateId = updateIdFor(user, 'higher-decision', key);
    await this.requests.checkUnlessTaken(row, updateId, () => this.requests.requireStage(row, 'higherDecision'));
    await this.requests.update(
      row,
      higherDecisionUpdate,
      [{ actor: actorOf(user, 'higher_liaison'), ...dto }],
      updateId,
    );
    return this.requests.get(user, id);
  }

  private requireOwnUnit(user: AuthUser, unitId: string): void {
    if (!hasRole(user, 'clerk') || user.unitId !== unitId)
      throw ApiError.forbidden('NOT_YOUR_UNIT', "a clerk acts on its own unit's requests only");
  }

  private requireNotRequester(user: AuthUser, createdBy: string): void {
    if (user.id === createdBy)
      throw ApiError.forbidden('SEPARATION_OF_DUTIES', 'the requester may not review or vote on its own request');
  }
}
