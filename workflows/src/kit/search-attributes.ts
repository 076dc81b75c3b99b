import type { defineSearchAttributeKey } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

// The procedure kit's search attributes: keyword values a workflow publishes for operators to find it in
// Temporal's listing, only when the server has them registered (a flag and a patch the workflow decides).

type KeywordKey = ReturnType<typeof defineSearchAttributeKey<'KEYWORD'>>;
export type KeywordValues = [KeywordKey, string][];

/** Publishes keyword values when `enabled`; else does nothing (no command, as histories without it replay). */
export function keywordPublisher(enabled: boolean): (values: KeywordValues) => void {
  return (values) => {
    if (enabled) upsertSearchAttributes(values.map(([key, value]) => ({ key, value })));
  };
}
