import { Injectable } from '@nestjs/common';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../../worker/src/worker.factory';
import { TemporalService } from '../temporal/temporal.module';

/**
 * Replays a request's recorded workflow history against today's workflow code: proof that the recorded
 * path is the one the code takes. A non-determinism is an answer (`deterministic: false`), not a 500.
 */
@Injectable()
export class ReplayService {
  constructor(private readonly temporal: TemporalService) {}

  async replay(workflowId: string) {
    const client = await this.temporal.getClient();
    const handle = client.workflow.getHandle(workflowId);
    const history = await handle.fetchHistory();
    const events = history.events?.length ?? 0;
    try {
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: `audit-${workflowId}` }, history, workflowId);
      return { workflowId, runs: 1, events, deterministic: true };
    } catch (err) {
      return { workflowId, runs: 1, events, deterministic: false, reason: (err as Error).message };
    }
  }
}
