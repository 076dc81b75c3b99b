import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '@bianzhi/domain';

// An Update validator's refusal, raised as the error type the API maps back to its HTTP answer
// (REFUSALS in @bianzhi/domain; the API's workflow gateway).

export function refuse(refusal: Pick<Refusal, 'code' | 'message' | 'rules'>): never {
  throw ApplicationFailure.create({
    type: refusal.code,
    message: refusal.message,
    nonRetryable: true,
    // A rule violation names each rule, as the API's 422 lists them in `details`.
    ...(refusal.rules ? { details: [refusal.rules] } : {}),
  });
}

/** Raises the refusal, if any. */
export function refuseIf(refusal: Refusal | null): void {
  if (refusal) refuse(refusal);
}
