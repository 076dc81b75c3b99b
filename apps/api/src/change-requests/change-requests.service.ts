import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ApplicationFailure,
  Client,
  UpdateDefinition,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { AuthUser, hasRole } from '@bianzhi/auth';
import { ChangeSpec, evaluateChange, isActionAllowed, ProcedureAction, RequestType, tallyVotes } from '@bianzhi/domain';
import { AuditRecordEntity, ChangeRequestEntity, RegistryRepository, specOf } from '@bianzhi/persistence';
import {
  Actor,
  ChangeRequestInput,
  ProcedureState,
  ProcedureTiming,
  REFUSALS,
  RefusalCode,
  registerUpdate,
  workflowIdFor,
} from '@bianzhi/workflows';
import { ApiError } from '../common/api-error';
import { validateAs } from '../common/validation';
import { TemporalService } from '../temporal/temporal.module';
import { CreateChangeRequestDto, ListChangeRequestsQueryDto } from './change-request.dto';
import { PAYLOAD_DTOS } from './payload.dto';

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
  'admin',
] as const;

/** A deterministic UUID from parts, so a retried POST with the same Idempotency-Key names the same request. */
function uuidFrom(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function actorOf(user: AuthUser, role: Actor['role']): Actor {
  return { userId: user.id, username: user.username, role, unitId: user.unitId };
}

@Injectable()
export class ChangeRequestsService {
  private readonly timing: Partial<Record<RequestType | 'default', Partial<ProcedureTiming>>>;
  private readonly updateTimeoutMs: number;
  private readonly searchAttributes: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: TemporalService,
    config: ConfigService,
  ) {
    this.timing = JSON.parse(config.get<string>('PROCEDURE_TIMING') ?? '{}');
    this.updateTimeoutMs = Number(config.get('UPDATE_TIMEOUT_MS') ?? 30000);
    this.searchAttributes = config.get('TEMPORAL_SEARCH_ATTRIBUTES') === '1';
  }

  /** Durations of the procedure for a type: the defaults, then the configured default, then the type's own. */
  timingFor(type: RequestType): ProcedureTiming {
    return { ...DEFAULT_TIMING, ...this.timing.default, ...this.timing[type] };
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────────

  /** Who may see a request: its own unit's clerks, consultees of asked units, and the office's roles. */
  canSee(user: AuthUser, row: ChangeRequestEntity): boolean {
    if (hasRole(user, ...READ_ALL_ROLES)) return true;
    if (hasRole(user, 'clerk') && user.unitId === row.unitId) return true;
    const consultations = (row.procedure as ProcedureState).consultations ?? [];
    return hasRole(user, 'consultee') && consultations.some((c) => c.unitId === user.unitId);
  }

  async findVisible(user: AuthUser, id: string): Promise<ChangeRequestEntity> {
    const row = await this.db.getRepository(ChangeRequestEntity).findOneBy({ id });
    if (!row || !this.canSee(user, row)) throw ApiError.notFound('the change request');
    return row;
  }

  view(user: AuthUser, row: ChangeRequestEntity) {
    const p = row.procedure as ProcedureState;
    const vote = p.vote ?? p.pastVotes?.[p.pastVotes.length - 1];
    const { outcome: _o, ...tally } = tallyVotes(vote?.eligible.length ?? 0, vote?.ballots ?? []);
    const seesBallots = hasRole(user, 'auditor', 'committee_member', 'committee_chair');
    return {
      id: row.id,
      type: row.type,
      status: row.status,
      unitId: row.unitId,
      title: row.title,
      justification: row.justification,
      payload: row.payload,
      diff: row.diff,
      consultations: (p.consultations ?? []).map((c) => ({
        unitId: c.unitId,
        round: c.round,
        dueAt: c.dueAt,
        requestedAt: c.requestedAt,
        remindedAt: c.remindedAt,
        lapsedAt: c.lapsedAt,
        ...(c.opinion ? { opinion: c.opinion } : {}),
      })),
      tally: vote
        ? { ...tally, outcome: vote.outcome ?? null }
        : { eligible: 0, approve: 0, reject: 0, abstain: 0, quorumReached: false, outcome: null },
      ballots: seesBallots
        ? (vote?.ballots ?? []).map((b) => ({
            ...b,
            username: vote?.eligible.find((m) => m.id === b.memberId)?.username,
          }))
        : undefined,
      eligibleMembers: vote?.eligible ?? [],
      recusedMembers: vote?.recused ?? [],
      deadlines: {
        consultations: (p.consultations ?? [])
          .filter((c) => c.round === p.round && !c.opinion && !c.lapsedAt)
          .map((c) => ({ unitId: c.unitId, dueAt: c.dueAt })),
        vote: p.vote && !p.vote.outcome ? p.vote.deadline : null,
      },
      round: p.round ?? 0,
      returns: p.returns ?? [],
      pastVotes: (p.pastVotes ?? []).map((v) => ({
        round: v.round,
        outcome: v.outcome,
        tally: v.tally,
        closedAt: v.closedAt,
      })),
      higherApprovalReasons: p.higherApprovalReasons ?? [],
      higherDecision: p.higherDecision
        ? {
            approved: p.higherDecision.approved,
            documentNumber: p.higherDecision.documentNumber,
            comment: p.higherDecision.comment,
            at: p.higherDecision.at,
          }
        : null,
      documentNumber: row.documentNumber,
      followUps: p.followUps ?? [],
      rejection: p.rejection ?? null,
      withdrawal: p.withdrawal ?? null,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async get(user: AuthUser, id: string) {
    return this.view(user, await this.findVisible(user, id));
  }

  async list(user: AuthUser, q: ListChangeRequestsQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const qb = this.db
      .getRepository(ChangeRequestEntity)
      .createQueryBuilder('r')
      .orderBy('r.created_at', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize);
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.type) qb.andWhere('r.type = :type', { type: q.type });
    if (q.unitId) qb.andWhere('r.unit_id = :unitId', { unitId: q.unitId });
    if (!hasRole(user, ...READ_ALL_ROLES)) {
      // A clerk sees its own unit's requests; a consultee those its unit was asked about.
      const unit = user.unitId ?? '00000000-0000-0000-0000-000000000000';
      const clauses = [];
      if (hasRole(user, 'clerk')) clauses.push('r.unit_id = :unit');
      if (hasRole(user, 'consultee'))
        clauses.push(`r.procedure->'consultations' @> jsonb_build_array(jsonb_build_object('unitId', :unit::text))`);
      qb.andWhere(clauses.length ? `(${clauses.join(' OR ')})` : 'false', { unit });
    }
    // A plain count(*) on the same filter (TypeORM's getManyAndCount counts DISTINCT ids, much slower at scale).
    const counted = qb
      .clone()
      .select('count(*)::int', 'n')
      .orderBy()
      .offset(undefined)
      .limit(undefined)
      .skip(undefined)
      .take(undefined);
    const [rows, { n: total }] = await Promise.all([
      qb.getMany(),
      counted.getRawOne<{ n: number }>().then((r) => r ?? { n: 0 }),
    ]);
    return { items: rows.map((r) => this.view(user, r)), total, page, pageSize };
  }

  /**
   * The request as it stood at `asOf`, rebuilt from the audit trail alone: the first record holds the draft,
   * each later one the procedure's state after its step (and a revision's new content).
   */
  async rebuildAsOf(user: AuthUser, id: string, asOf: string) {
    const row = await this.findVisible(user, id);
    const records = await this.db
      .getRepository(AuditRecordEntity)
      .find({ where: { requestId: id, at: LessThanOrEqual(new Date(asOf)) }, order: { seq: 'ASC' } });
    if (!records.length || records[0].action !== 'created') throw ApiError.notFound(`the change request as of ${asOf}`);
    const created = records[0].after as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const rebuilt: ChangeRequestEntity = {
      ...row,
      title: created.title,
      justification: created.justification,
      payload: created.payload,
      diff: created.diff ?? [],
      procedure: created.procedure,
      status: 'draft',
      documentNumber: null,
      updatedAt: records[0].at,
    };
    // Only the procedure's steps (each with its step key) change the request; an attachment's record does not.
    for (const r of records.slice(1).filter((x) => x.stepKey)) {
      const after = (r.after ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const { diff, returnedLoans: _returned, ...rest } = after;
      const procedure = 'procedure' in rest ? rest.procedure : rest;
      if ('procedure' in rest) {
        rebuilt.payload = rest.payload;
        rebuilt.justification = rest.justification;
      }
      if (diff) rebuilt.diff = diff;
      rebuilt.procedure = procedure;
      rebuilt.status = procedure.status;
      rebuilt.documentNumber = procedure.documentNumber ?? null;
      rebuilt.updatedAt = r.at;
    }
    return {
      ...this.view(user, rebuilt),
      asOf: new Date(asOf).toISOString(),
      rebuiltFromAudit: true,
      auditRecords: records.length,
    };
  }

  async auditTrail(user: AuthUser, id: string) {
    await this.findVisible(user, id);
    const rows = await this.db
      .getRepository(AuditRecordEntity)
      .find({ where: { requestId: id }, order: { seq: 'ASC' } });
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  // ── acting ───────────────────────────────────────────────────────────────────────────────────────

  /** Checks the typed payload's shape (400, naming the field). */
  async validatePayload(type: RequestType, payload: unknown): Promise<Record<string, unknown>> {
    const dto = await validateAs(PAYLOAD_DTOS[type], payload, 'payload');
    return JSON.parse(JSON.stringify(dto));
  }

  /** Checks the registry rules against the registry as it would be after the change (422, naming each rule). */
  async checkRules(spec: ChangeSpec, onlyReferences = false): Promise<void> {
    const snapshot = await new RegistryRepository(this.db.manager).snapshot();
    const evaluation = evaluateChange(snapshot, spec);
    const violations = onlyReferences
      ? evaluation.violations.filter((v) => v.rule === 'UNIT_NOT_FOUND' || v.rule === 'UNIT_NOT_ACTIVE')
      : evaluation.violations;
    if (violations.length)
      throw new ApiError(
        422,
        'RULE_VIOLATION',
        `the change would break ${violations.length} rule(s): ${violations.map((v) => v.rule).join(', ')}`,
        violations,
      );
  }

  async create(user: AuthUser, dto: CreateChangeRequestDto, idempotencyKey?: string) {
    if (!user.unitId || user.unitId !== dto.unitId)
      throw ApiError.forbidden('NOT_YOUR_UNIT', 'a clerk submits requests for its own unit only');
    const payload = await this.validatePayload(dto.type, dto.payload);
    const id = idempotencyKey ? uuidFrom('change-request', user.id, idempotencyKey) : randomUUID();
    const newUnitId = dto.type === 'ESTABLISH_UNIT' ? uuidFrom('new-unit', id) : null;
    // The invariants are checked at submission; a draft is only checked for a real, active requesting unit.
    await this.checkRules(specOf({ id, type: dto.type, unitId: dto.unitId, payload, newUnitId }), !dto.submit);
    await this.temporal.requireReachable();
    const input: ChangeRequestInput = {
      requestId: id,
      type: dto.type,
      requestingUnitId: dto.unitId,
      createdBy: actorOf(user, 'clerk'),
      timing: this.timingFor(dto.type),
      searchAttributes: this.searchAttributes,
    };
    const client = await this.temporal.getClient();
    const start = new WithStartWorkflowOperation('changeRequestWorkflow', {
      workflowId: workflowIdFor(id),
      taskQueue: this.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A request's workflow id is never started twice, even after its workflow ended.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    const registered = this.withRefusals(client, () =>
      client.workflow.executeUpdateWithStart(registerUpdate, {
        args: [
          { submit: !!dto.submit, draft: { title: dto.title, justification: dto.justification, payload, newUnitId } },
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

  /** The stage check every action makes first: a wrong-stage action is 409 whoever sends it. */
  requireStage(row: ChangeRequestEntity, action: ProcedureAction): void {
    if (!isActionAllowed(row.status, action))
      throw new ApiError(409, 'WRONG_STAGE', `${action} is not possible while the request is ${row.status}`);
  }

  /** Sends an Update to the request's workflow and maps its refusal to the API's errors. */
  async update<Ret, Arg>(
    row: ChangeRequestEntity,
    def: UpdateDefinition<Ret, [Arg]>,
    args: [Arg],
    updateId?: string,
  ): Promise<Ret> {
    await this.temporal.requireReachable();
    const client = await this.temporal.getClient();
    const handle = client.workflow.getHandle(row.workflowId);
    return this.withRefusals(client, () => handle.executeUpdate(def, { args, updateId: updateId ?? randomUUID() }));
  }

  /**
   * An action's early checks, unless this call retries one whose Update the workflow has already taken (its
   * answer lost to a time-out, say): the stage has then moved on because of that very call, and the Update,
   * sent again under the same id, answers as it did the first time instead of a refusal. The id carries the
   * caller's user id and Idempotency-Key, so only the caller's own earlier call can match.
   */
  async checkUnlessTaken(row: ChangeRequestEntity, updateId: string | undefined, checks: () => unknown): Promise<void> {
    try {
      await checks();
    } catch (err) {
      if (!(err instanceof ApiError) || !updateId || !(await this.updateTaken(row, updateId))) throw err;
    }
  }

  /** Whether the workflow has the Update with this id: finished, or still at work (then waited for). */
  private async updateTaken(row: ChangeRequestEntity, updateId: string): Promise<boolean> {
    await this.temporal.requireReachable();
    const client = await this.temporal.getClient();
    try {
      await this.withinTimeout(client, () =>
        client.workflow.getHandle(row.workflowId).getUpdateHandle(updateId).result(),
      );
      return true;
    } catch (err) {
      // Taken and refused by its handler: the retry gets that refusal.
      if (err instanceof WorkflowUpdateFailedError) return true;
      if (err instanceof WorkflowNotFoundError) return false; // no such Update (a validator's refusal leaves none)
      throw err;
    }
  }

  /**
   * Runs a call to the workflow within UPDATE_TIMEOUT_MS (then 503: the caller retries with the same
   * Idempotency-Key). On time-out the call is aborted, so nothing keeps retrying behind the answer.
   */
  private async withinTimeout<T>(client: Client, call: () => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.updateTimeoutMs);
    try {
      return await client.connection.withAbortSignal(abort.signal, call);
    } catch (err) {
      if (abort.signal.aborted)
        throw ApiError.unavailable('the workflow engine did not answer in time; retry with the same Idempotency-Key');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call to the workflow within the time-out, its refusals mapped to the API's errors. */
  private async withRefusals<T>(client: Client, call: () => Promise<T>): Promise<T> {
    try {
      return await this.withinTimeout(client, call);
    } catch (err) {
      if (
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type &&
        err.cause.type in REFUSALS
      ) {
        const code = err.cause.type as RefusalCode;
        const status = REFUSALS[code];
        throw code === 'VALIDATION_FAILED'
          ? ApiError.validation([{ field: 'body', problem: err.cause.message }])
          : new ApiError(status, code, err.cause.message);
      }
      if (err instanceof WorkflowNotFoundError)
        throw new ApiError(409, 'WRONG_STAGE', "the request's procedure has ended");
      throw err;
    }
  }
}
