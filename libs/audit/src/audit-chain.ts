import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

// The audit trail's hash chain: each record's hash covers a canonical serialisation (RFC 8785 JSON) of its
// content and the previous record's hash, so changing, removing or inserting a record breaks the chain.

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  seq: string;
  at: string; // ISO 8601, UTC, millisecond precision
  actor: string;
  actorId: string | null;
  role: string;
  action: string;
  requestId: string | null;
  workflowId: string | null;
  runId: string | null;
  stepKey: string | null;
  before: unknown;
  after: unknown;
  comment: string | null;
}

export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

export function auditHash(content: AuditContent, prevHash: string): string {
  const body = canonicalJson({ ...content, before: content.before ?? null, after: content.after ?? null, prevHash });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
