import { Injectable } from '@nestjs/common';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from '@bianzhi/workflows/bundle';
import { codecFromEnv, decodeHistory } from '@bianzhi/workflows/codec';
import { TemporalService } from '../temporal/temporal.module';

/**
 * Replays a request's recorded workflow history against today's workflow code: proof that the recorded
 * path is the one the code takes. A non-determinism is an answer (`deterministic: false`), not a 500.
 * REPLAY_WORKFLOWS_PATH replays against other code (a candidate version) instead.
 */
@Injectable()
export class ReplayService {
  private bundle?: Promise<WorkflowBundleWithSourceMap>;

  constructor(private readonly temporal: TemporalService) {}

  private workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
    const candidate = process.env.REPLAY_WORKFLOWS_PATH;
    if (candidate) return bundleWorkflowCode(workflowBundleOptions(candidate));
    this.bundle ??= bundleWorkflowCode(
      workflowBundleOptions(undefined, { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never),
    );
    return this.bundle;
  }

  /** The history with its payloads decrypted: the replay and the auditor's dossier need what the code saw. */
  async fetchHistory(workflowId: string): Promise<temporal.api.history.v1.IHistory> {
    const client = await this.temporal.getClient();
    return decodeHistory(await client.workflow.getHandle(workflowId).fetchHistory(), this.codec);
  }

  private readonly codec = codecFromEnv();

  async replay(workflowId: string) {
    const history = await this.fetchHistory(workflowId);
    return {
      workflowId,
      runs: 1,
      events: history.events?.length ?? 0,
      ...(await replayHistory(await this.workflowBundle(), workflowId, history)),
    };
  }
}

export async function replayHistory(
  workflowBundle: WorkflowBundleWithSourceMap,
  workflowId: string,
  history: unknown,
): Promise<{ deterministic: boolean; reason?: string }> {
  try {
    await Worker.runReplayHistory({ workflowBundle, replayName: `audit-${workflowId}` }, history, workflowId);
    return { deterministic: true };
  } catch (err) {
    return { deterministic: false, reason: `${(err as Error).name}: ${(err as Error).message}` };
  }
}
