import { ApplicationFailure } from '@temporalio/activity';
import { QueryFailedError } from 'typeorm';
import type { RequestType } from '@bianzhi/domain';

// What every activity of the worker shares: its settings, and how a failure retrying cannot cure is raised.

export interface ActivityConfig {
  /** 机关代字 of the county establishment office, as in 清编〔2026〕3号. */
  officeCode: string;
  /** The office's time zone offset in hours, for the document year (China Standard Time: 8). */
  utcOffsetHours: number;
  /** The types the office director decides (编办主任办公会议) within the office's authority (docs/domain.md). */
  officeDecidedTypes?: readonly RequestType[];
  /** The county's name as its documents print it (枫渚县): 枫渚县机构编制委员会. */
  countyName?: string;
  /** Folders of fonts for documents, before Debian's Noto CJK (an office's licensed 方正小标宋, 仿宋_GB2312). */
  documentFontDirs?: string[];
  /** Tests only: a pause inside implementation's transaction, before it commits. */
  faultDelayMs?: number;
  /**
   * Called once an implementation has committed: the worker's checkpointer signs and witnesses a checkpoint of the
   * trail in the background (docs/architecture.md, "Checkpoints and witnesses"). Never waited for, never throws.
   */
  afterImplementation?: () => void;
}

/**
 * A failure retrying cannot cure, raised as such so that the step stalls at once for the office to see
 * (docs/domain.md, "Implementation"): PostgreSQL's data exceptions (class 22: an impossible date, a number out
 * of range) and integrity violations (class 23). Lost connections, time-outs, serialization failures and
 * deadlocks (classes 08, 40, 57) stay retryable.
 */
export async function failingForGood<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof QueryFailedError)) throw err;
    const code = String((err.driverError as { code?: string }).code ?? '');
    if (code.startsWith('22') || code.startsWith('23'))
      throw ApplicationFailure.nonRetryable(
        `the database refused the change (SQLSTATE ${code}): ${err.message}`,
        'DATA',
      );
    throw err;
  }
}
