import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { isUUID } from 'class-validator';
import { createHash, randomUUID } from 'node:crypto';
import { AuthUser, hasRole } from '@bianzhi/auth';
import {
  decidedBy,
  ChangeSpec,
  evaluateChange,
  EvaluationContext,
  higherApprovalReasons,
  officeDate,
  officeDecidedTypesFrom,
  GuardContext,
  ProcedureState,
  requestFromTrail,
  RequestType,
  requestView,
  RuleViolation,
  setsUpUnit,
} from '@bianzhi/domain';
import {
  ChangeRequestEntity,
  ChangeRequestRepository,
  ListVisibility,
  PeopleRepository,
  RegistryRepository,
  specOf,
  TrailRepository,
} from '@bianzhi/persistence';
import { Actor, ChangeRequestInput, ProcedureTiming, registerUpdate, workflowIdFor } from '@bianzhi/workflows';
import { redactBallots, seesBallots } from './ballot-privacy';
import { ApiError } from '../common/api-error';
import { validateAs } from '../common/validation';
import { throwRefusal, WorkflowGateway } from '../procedure/workflow-gateway.service';
import { TemporalService } from '../temporal/temporal.module';
import { ActionContext, ApiChecks, CHANGE_REQUEST_ACTIONS, ChangeRequestActionName } from './change-request.actions';
import { CreateChangeRequestDto, ListChangeRequestsQueryDto } from './change-request.dto';
import { PAYLOAD_DTOS } from './payload.dto';
import { PeoplePayloads } from '../people/people-payloads';

const DEFAULT_TIMING: ProcedureTiming = {
  voteDays: 7,
  reminderLeadDays: 1,
  loanReminderDays: 30,
  activityTimeoutSeconds: 60,
};
const READ_ALL_ROLES = [
  'reviewer',
  'committee_member',
  'committee_chair',
  'higher_liaison',
  'auditor',
  'office_director',
] as const;

/** A deterministic UUID from parts, so a retried POST with the same Idempotency-Key names the same request. */
function uuidFrom(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Which requests a user may see, as the repositories' list condition (the same rule as canSee). */
export function visibilityOf(user: AuthUser): ListVisibility {
  if (hasRole(user, ...READ_ALL_ROLES)) return { all: true };
  // A clerk sees its own unit's requests; a consultee those its unit was asked about.
  return {
    all: false,
    ...(hasRole(user, 'clerk') ? { ownUnitId: user.unitId } : {}),
    ...(hasRole(user, 'consultee') ? { consultedUnitId: user.unitId } : {}),
  };
}

export function actorOf(user: AuthUser, role: Actor['role']): Actor {
  return { userId: user.id, username: user.username, role, unitId: user.unitId };
}

@Injectable()
export class ChangeRequestsService {
  private readonly timing: Partial<Record<RequestType | 'default', Partial<ProcedureTiming>>>;
  private readonly searchAttributes: boolean;
  /** The types the office decides (OFFICE_DECIDED_TYPES); the dossier names them for its verifier. */
  readonly officeDecidedTypes: readonly RequestType[];
  private readonly utcOffsetHours: number;
  constructor(
    private readonly requests: ChangeRequestRepository,
    private readonly trail: TrailRepository,
    private readonly registry: RegistryRepository,
    private readonly temporal: TemporalService,
    private readonly gateway: WorkflowGateway,
    private readonly people: PeopleRepository,
    private readonly peoplePayloads: PeoplePayloads,
    config: ConfigService,
  ) {
    this.timing = JSON.parse(config.get<string>('PROCEDURE_TIMING') ?? '{}');
    this.officeDecidedTypes = officeDecidedTypesFrom(config.get<string>('OFFICE_DECIDED_TYPES'));
    this.utcOffsetHours = Number(config.get('OFFICE_UTC_OFFSET') ?? 8);
    this.searchAttributes = config.get('TEMPORAL_SEARCH_ATTRIBUTES') === '1';
  }

  /** Durations of the procedure for a type: the defaults, then the configured default, then the type's own. */
  timingFor(type: RequestType): ProcedureTiming {
    return { ...DEFAULT_TIMING, ...this.timing.default, ...this.timing[type] };
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────────

  /** Who may see a request: its own unit's clerks, consultees of asked units, and the office's roles. */
  canSee(user: AuthUser, row: ChangeRequestEntity): boolean {
    const v = visibilityOf(user);
    if (v.all) return true;
    if (v.ownUnitId && v.ownUnitId === row.unitId) return true;
    return !!v.consultedUnitId && (row.procedure.consultations ?? []).some((c) => c.unitId === v.consultedUnitId);
  }

  async findVisible(user: AuthUser, id: string): Promise<ChangeRequestEntity> {
    const row = await this.requests.findById(id);
    if (!row || !this.canSee(user, row)) throw ApiError.notFound('the change request');
    return row;
  }

  view(user: AuthUser, row: ChangeRequestEntity) {
    return requestView(row, { seesBallots: seesBallots(user), officeDecidedTypes: this.officeDecidedTypes });
  }

  async get(user: AuthUser, id: string) {
    return this.view(user, await this.findVisible(user, id));
  }

  async list(user: AuthUser, q: ListChangeRequestsQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await this.requests.list({
      status: q.status,
      type: q.type,
      unitId: q.unitId,
      page,
      pageSize,
      visibility: visibilityOf(user),
    });
    return { items: rows.map((r) => this.view(user, r)), total, page, pageSize };
  }

  /**
   * The request as it stood at `asOf`, rebuilt from the audit trail alone: the first record holds the draft,
   * each later one the procedure's state after its step (and a revision's new content).
   */
  async rebuildAsOf(user: AuthUser, id: string, asOf: string) {
    const row = await this.findVisible(user, id);
    const records = await this.trail.recordsOf(id, new Date(asOf));
    const fromTrail = requestFromTrail(id, records);
    if (!fromTrail) throw ApiError.notFound(`the change request as of ${asOf}`);
    const rebuilt = { ...row, ...fromTrail, workflowId: row.workflowId, createdBy: row.createdBy };
    return {
      ...this.view(user, rebuilt),
      asOf: new Date(asOf).toISOString(),
      rebuiltFromAudit: true,
      auditRecords: records.length,
    };
  }

  async auditTrail(user: AuthUser, id: string) {
    await this.findVisible(user, id);
    const rows = await this.trail.recordsOf(id);
    const visible = seesBallots(user) ? rows : rows.map(redactBallots);
    return visible.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  // ── acting ───────────────────────────────────────────────────────────────────────────────────────

  /** What the rules need besides the registry: today, in the office's time zone. */
  evaluationContext(): EvaluationContext {
    return { today: officeDate(Date.now(), this.utcOffsetHours) };
  }

  /**
   * Checks the typed payload's shape (400, naming the field); a people request's ID numbers are then sealed and
   * its people completed from the records (PeoplePayloads), stored when `keep`.
   */
  async validatePayload(type: RequestType, payload: unknown, keep = true): Promise<Record<string, unknown>> {
    const dto = await validateAs(PAYLOAD_DTOS[type], payload, 'payload');
    return this.peoplePayloads.seal(type, JSON.parse(JSON.stringify(dto)), keep);
  }

  /**
   * Checks the registry rules against the registry as it would be after the change (422, naming each rule),
   * together with any `also` found beforehand (the 抄送 units), so one answer names every problem.
   */
  async checkRules(spec: ChangeSpec, onlyReferences = false, also: RuleViolation[] = []): Promise<void> {
    const snapshot = await this.people.snapshotFor(spec);
    const evaluation = evaluateChange(snapshot, spec, this.evaluationContext());
    const violations = [
      ...(onlyReferences
        ? evaluation.violations.filter((v) => v.rule === 'UNIT_NOT_FOUND' || v.rule === 'UNIT_NOT_ACTIVE')
        : evaluation.violations),
      ...also,
    ];
    if (violations.length)
      throw new ApiError(
        422,
        'RULE_VIOLATION',
        `the change would break ${violations.length} rule(s): ${violations.map((v) => v.rule).join(', ')}`,
        violations,
      );
  }

  /** Creation's first checks, in its order: the clerk's own unit, then the typed payload (400 naming the field). */
  private async ownPayload(
    user: AuthUser,
    dto: Pick<CreateChangeRequestDto, 'type' | 'unitId' | 'payload'>,
    keep = true,
  ) {
    if (!user.unitId || user.unitId !== dto.unitId)
      throw ApiError.forbidden('NOT_YOUR_UNIT', 'a clerk submits requests for its own unit only');
    return this.validatePayload(dto.type, dto.payload, keep);
  }

  /**
   * What a draft would do, before it exists: the registry diff, the rules it would break (returned, not thrown),
   * who would decide it and why it would go up. Creates and records nothing.
   */
  async preview(user: AuthUser, dto: Pick<CreateChangeRequestDto, 'type' | 'unitId' | 'payload'>) {
    const payload = await this.ownPayload(user, dto, false);
    // Ids for the spec only: a new unit's id shows in the diff, and the request id is never stored.
    const id = randomUUID();
    const newUnitId = setsUpUnit(dto.type) ? uuidFrom('new-unit', id) : null;
    const spec = specOf({ id, type: dto.type, unitId: dto.unitId, payload, newUnitId });
    const before = await this.people.snapshotFor(spec);
    const { diff, violations } = evaluateChange(before, spec, this.evaluationContext());
    return {
      diff,
      violations,
      decidedBy: decidedBy(before, spec, this.officeDecidedTypes),
      referralReasons: higherApprovalReasons(before, spec),
    };
  }

  /**
   * The 抄送 units: each a unit id (400 naming `copyTo[i]`), then each an existing, active unit, as the units a
   * payload names must be (returned as violations naming `copyTo[i]`, for checkRules to answer 422 with).
   */
  private async copyToViolations(copyTo: string[] = []): Promise<RuleViolation[]> {
    const malformed = copyTo.flatMap((id, i) =>
      isUUID(id) ? [] : [{ field: `copyTo[${i}]`, problem: `copyTo[${i}] must be a UUID` }],
    );
    if (malformed.length) throw ApiError.validation(malformed);
    const units = await Promise.all(copyTo.map((id) => this.registry.unit(id)));
    return copyTo.flatMap((id, i): RuleViolation[] => {
      const unit = units[i];
      const field = `copyTo[${i}]`;
      if (!unit) return [{ rule: 'UNIT_NOT_FOUND', unitId: id, field, message: `unit ${id} does not exist` }];
      if (unit.status !== 'active')
        return [
          {
            rule: 'UNIT_NOT_ACTIVE',
            unitId: id,
            status: unit.status,
            field,
            message: `${unit.name} is ${unit.status}, not active`,
          },
        ];
      return [];
    });
  }

  async create(user: AuthUser, dto: CreateChangeRequestDto, idempotencyKey?: string) {
    const payload = await this.ownPayload(user, dto);
    const copyTo = await this.copyToViolations(dto.copyTo);
    const id = idempotencyKey ? uuidFrom('change-request', user.id, idempotencyKey) : randomUUID();
    const newUnitId = setsUpUnit(dto.type) ? uuidFrom('new-unit', id) : null;
    // The invariants are checked at submission; a draft is only checked for a real, active requesting unit.
    await this.checkRules(specOf({ id, type: dto.type, unitId: dto.unitId, payload, newUnitId }), !dto.submit, copyTo);
    const client = await this.gateway.client();
    const input: ChangeRequestInput = {
      requestId: id,
      type: dto.type,
      requestingUnitId: dto.unitId,
      createdBy: actorOf(user, 'clerk'),
      timing: this.timingFor(dto.type),
      searchAttributes: this.searchAttributes,
    };
    const start = new WithStartWorkflowOperation('changeRequestWorkflow', {
      workflowId: workflowIdFor(id),
      taskQueue: this.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A request's workflow id is never started twice, even after its workflow ended.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    const registered = this.gateway.withRefusals(client, () =>
      client.workflow.executeUpdateWithStart(registerUpdate, {
        args: [
          {
            submit: !!dto.submit,
            draft: {
              title: dto.title,
              justification: dto.justification,
              payload,
              newUnitId,
              // Only when given, so a request without them registers exactly as before they existed.
              ...(dto.referenceNumber !== undefined ? { referenceNumber: dto.referenceNumber } : {}),
              ...(dto.copyTo?.length ? { copyTo: dto.copyTo } : {}),
            },
          },
        ],
        updateId: `register-${id}`,
        startWorkflowOperation: start,
      }),
    );
    await registered.catch((err) => {
      // The same request again (a retried POST whose first answer was lost): it exists already.
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      throw err;
    });
    return this.get(user, id);
  }

  /** The domain guards' view of a stored request: the read model's procedure. */
  guardContext(row: ChangeRequestEntity): GuardContext {
    const state: ProcedureState = {
      ...row.procedure,
      status: row.status,
      consultations: row.procedure.consultations ?? [],
    };
    return { state, requesterId: row.createdBy, requestingUnitId: row.unitId, now: Date.now() };
  }

  private readonly apiChecks: ApiChecks = {
    validatePayload: (row, payload) => this.validatePayload(row.type, payload),
    checkRules: (row) => this.checkRules(specOf(row)),
  };

  /**
   * Runs one of the procedure's actions (CHANGE_REQUEST_ACTIONS): the early checks on the read model (a
   * wrong stage first, 409, whoever sends it; then the domain's guards; then the payload and the registry
   * rules), unless the call retries an Update already taken; then the Update, once per Idempotency-Key.
   */
  async act(name: ChangeRequestActionName, user: AuthUser, id: string, dto: object, idempotencyKey?: string) {
    const spec = CHANGE_REQUEST_ACTIONS[name];
    const row = await this.findVisible(user, id);
    // An Update's id from the caller's Idempotency-Key, so a retried POST reaches the workflow once.
    const updateId = idempotencyKey ? `${spec.name}:${user.id}:${idempotencyKey}` : undefined;
    const ctx: ActionContext = { user, row, actor: actorOf(user, spec.role), guard: this.guardContext(row) };
    let prepared: unknown;
    await this.gateway.checkUnlessTaken(row.workflowId, updateId, async () => {
      throwRefusal(spec.guard(ctx, dto));
      prepared = await spec.prepare?.(ctx, dto, this.apiChecks);
    });
    const result = await this.gateway.update(
      row.workflowId,
      spec.update,
      [spec.argument(ctx, dto, prepared)],
      updateId,
    );
    return spec.answersResult ? result : this.get(user, id);
  }
}
