import { createHash } from 'node:crypto';

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

/**
 * RFC 8785 (JCS) serialisation: object keys sorted by UTF-16 code units, no white space, numbers and strings
 * as ECMAScript's JSON.stringify writes them (which is what JCS specifies). `undefined` members are left out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value ?? null);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function auditHash(content: AuditContent, prevHash: string): string {
  const body = canonicalJson({ ...content, before: content.before ?? null, after: content.after ?? null, prevHash });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
