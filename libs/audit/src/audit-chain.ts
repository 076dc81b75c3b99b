import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './merkle';

/** crypto.hash (Node ≥ 20.12): the one-shot digest, without a Hash object per record. */
const oneShot = (crypto as unknown as { hash?: (alg: string, data: string | Buffer, encoding: 'hex') => string }).hash;

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

/** A record as stored: the entity, or a raw row with the entity's names (seq as text, `at` as ISO text). */
export type StoredAuditRecord = Omit<AuditContent, 'seq' | 'at'> & { seq: string | number; at: Date | string };

/** The stored record as the content its hash covers. */
export function contentOf(r: StoredAuditRecord): AuditContent {
  return {
    seq: String(r.seq),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorId: r.actorId,
    role: r.role,
    action: r.action,
    requestId: r.requestId,
    workflowId: r.workflowId,
    runId: r.runId,
    stepKey: r.stepKey,
    before: r.before ?? null,
    after: r.after ?? null,
    comment: r.comment,
  };
}

/**
 * RFC 8785 (JCS) serialisation: object keys sorted by UTF-16 code units, no white space, numbers and strings
 * as ECMAScript's JSON.stringify writes them (which is what JCS specifies). `undefined` members are left out.
 */
export function canonicalJson(value: unknown): string {
  // Written as plain loops (no filter/map/join chains): verification runs this once per record of the trail.
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/**
 * The text a record's hash covers, as the trail stores it (`audit_records.body`): the content with the
 * previous record's hash and the algorithm, in canonical JSON. The other columns are generated from it.
 */
export function auditBody(content: AuditContent, prevHash: string, alg: HashAlgorithm = 'sha256'): string {
  return canonicalJson({
    ...content,
    before: content.before ?? null,
    after: content.after ?? null,
    prevHash,
    hashAlg: alg,
  });
}

/** The hex digest of a stored body (its UTF-8 bytes, as PostgreSQL hands them over, or the string). */
export function auditDigest(alg: HashAlgorithm, body: string | Buffer): string {
  return oneShot ? oneShot(alg, body, 'hex') : createHash(alg).update(body).digest('hex');
}

/** The record's hash with the algorithm it names (`sha256`, or `sm3` for offices under 密评). */
export function auditHash(content: AuditContent, prevHash: string, alg: HashAlgorithm = 'sha256'): string {
  return auditDigest(alg, auditBody(content, prevHash, alg));
}

/** The hash algorithm new records use: AUDIT_CRYPTO=gm selects SM3 (with SM2 signatures), else SHA-256. */
export function configuredHashAlgorithm(): HashAlgorithm {
  return process.env.AUDIT_CRYPTO === 'gm' ? 'sm3' : 'sha256';
}
