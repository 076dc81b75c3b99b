import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './merkle';

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

/** The record's hash with the algorithm it names (`sha256`, or `sm3` for offices under 密评). */
export function auditHash(content: AuditContent, prevHash: string, alg: HashAlgorithm = 'sha256'): string {
  const body = canonicalJson({ ...content, before: content.before ?? null, after: content.after ?? null, prevHash, hashAlg: alg });
  return createHash(alg).update(body, 'utf8').digest('hex');
}

/** The hash algorithm new records use: AUDIT_CRYPTO=gm selects SM3 (with SM2 signatures), else SHA-256. */
export function configuredHashAlgorithm(): HashAlgorithm {
  return process.env.AUDIT_CRYPTO === 'gm' ? 'sm3' : 'sha256';
}
