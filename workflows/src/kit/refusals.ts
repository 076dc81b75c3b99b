import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '@bianzhi/domain';

// An Update validator's refusal, raised as the error type the API maps back to its HTTP answer
// (REFUSALS in @bianzhi/domain; the API's workflow gateway).

export function refuse(refusal: Pick<Refusal, 'code' | 'message'>): never {
  throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
}

/** Raises the refusal, if any. */
export function refuseIf(refusal: Refusal | null): void {
  if (refusal) refuse(refusal);
}
