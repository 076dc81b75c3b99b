import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApplicationFailure,
  Client,
  UpdateDefinition,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Refusal, RefusalCode, REFUSALS, RuleViolation } from '@bianzhi/domain';
import { ApiError } from '../common/api-error';
import { TemporalService } from '../temporal/temporal.module';

// The procedure kit's gateway to a workflow's Updates, for any workflow that refuses with the domain's
// refusals (REFUSALS): an Update sent once per update id (the caller's Idempotency-Key), within
// UPDATE_TIMEOUT_MS (else 503, retry with the same key), its refusals answered as the API's errors
// (docs/api.md). See docs/architecture.md.

/** The API's answer to a domain refusal: 400 naming the field, else the refusal's status and code. */
export function refusalError(refusal: Refusal, field = refusal.field ?? 'body'): ApiError {
  if (refusal.code === 'VALIDATION_FAILED') return ApiError.validation([{ field, problem: refusal.message }]);
  return new ApiError(refusal.status, refusal.code, refusal.message, refusal.rules);
}

/** Throws the refusal, if any, as the API's error. */
export function throwRefusal(refusal: Refusal | null): void {
  if (refusal) throw refusalError(refusal);
}

@Injectable()
export class WorkflowGateway {
  private readonly updateTimeoutMs: number;

  constructor(
    private readonly temporal: TemporalService,
    config: ConfigService,
  ) {
    this.updateTimeoutMs = Number(config.get('UPDATE_TIMEOUT_MS') ?? 30000);
  }

  /** A reachable client (503 at once while Temporal is away). */
  async client(): Promise<Client> {
    await this.temporal.requireReachable();
    return this.temporal.getClient();
  }

  /** Sends an Update to a workflow and maps its refusal to the API's errors. */
  async update<Ret, Arg>(
    workflowId: string,
    def: UpdateDefinition<Ret, [Arg]>,
    args: [Arg],
    updateId?: string,
  ): Promise<Ret> {
    const client = await this.client();
    const handle = client.workflow.getHandle(workflowId);
    return this.withRefusals(client, () => handle.executeUpdate(def, { args, updateId: updateId ?? randomUUID() }));
  }

  /**
   * An action's early checks, unless this call retries one whose Update the workflow has already taken (its
   * answer lost to a time-out, say): the stage has then moved on because of that very call, and the Update,
   * sent again under the same id, answers as it did the first time instead of a refusal. The id carries the
   * caller's user id and Idempotency-Key, so only the caller's own earlier call can match.
   */
  async checkUnlessTaken(workflowId: string, updateId: string | undefined, checks: () => unknown): Promise<void> {
    try {
      await checks();
    } catch (err) {
      if (!(err instanceof ApiError) || !updateId || !(await this.updateTaken(workflowId, updateId))) throw err;
    }
  }

  /** Whether the workflow has the Update with this id: finished, or still at work (then waited for). */
  private async updateTaken(workflowId: string, updateId: string): Promise<boolean> {
    const client = await this.client();
    try {
      await this.withinTimeout(client, () => client.workflow.getHandle(workflowId).getUpdateHandle(updateId).result());
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
  async withRefusals<T>(client: Client, call: () => Promise<T>): Promise<T> {
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
        const rules = err.cause.details?.[0] as RuleViolation[] | undefined;
        // The workflow's refusal names no field: a validation failure is the body's.
        throw refusalError({ code, status: REFUSALS[code], message: err.cause.message, rules }, 'body');
      }
      if (err instanceof WorkflowNotFoundError)
        throw new ApiError(409, 'WRONG_STAGE', "the request's procedure has ended");
      throw err;
    }
  }
}
