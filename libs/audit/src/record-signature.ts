import * as fs from 'node:fs';
import { canonicalJson } from './audit-chain';
import { keyIdOf, parseKey } from './key-file';
import { SignatureAlgorithm, signMessage, SigningKey, suiteOf, verifyMessage } from './signing';

// Every record the application appends is signed with the key of its key file (docs/architecture.md, "Records
// signed by the application"): whoever holds only the database can then append a well-chained record, but not
// one that passes as the application's, and the Checkpointer refuses to sign over it.

/** A record's signature: the id of the key that made it (keyIdOf its public key) and the signature, hex. */
export interface RecordSignature {
  keyId: string;
  signature: string;
}

/** What is signed: the record's hash (which covers its seq, content and predecessor) and the key's id, tagged. */
export function recordSignatureMessage(hash: string, keyId: string): string {
  return canonicalJson({ format: 'bianzhi-record/1', hash, keyId });
}

export function signRecord(key: SigningKey, hash: string): RecordSignature {
  const keyId = keyIdOf(key.publicKey);
  return { keyId, signature: signMessage(key, recordSignatureMessage(hash, keyId)) };
}

/** No key to sign records with: the application writes no record it cannot sign (it would never be covered). */
export class NoRecordSigningKey extends Error {}

let loaded: { file: string; algorithm: SignatureAlgorithm; key: SigningKey } | undefined;

/**
 * The key appendAudit signs with: that of AUDIT_SIGNING_KEY_FILE, read (never made: the API and the worker make it
 * at their start, see Checkpointer.signingKey) once per process and file.
 */
export function recordSigningKey(env: NodeJS.ProcessEnv = process.env): SigningKey {
  const file = env.AUDIT_SIGNING_KEY_FILE;
  const algorithm = suiteOf(env).signature;
  if (!file)
    throw new NoRecordSigningKey('no AUDIT_SIGNING_KEY_FILE: audit records cannot be signed, so none is written');
  if (loaded?.file === file && loaded.algorithm === algorithm) return loaded.key;
  if (!fs.existsSync(file))
    throw new NoRecordSigningKey(
      `the audit signing key file ${file} is missing: audit records cannot be signed, so none is written`,
    );
  let key: SigningKey;
  try {
    key = parseKey(file);
  } catch (err) {
    throw new NoRecordSigningKey(`${file}: ${(err as Error).message}`);
  }
  if (key.algorithm !== algorithm)
    throw new NoRecordSigningKey(`${file} holds no ${algorithm} signing key (AUDIT_CRYPTO)`);
  loaded = { file, algorithm, key };
  return key;
}

/** A public key records may be signed with, and when it was in force (null: no bound that way). */
export interface RecordKey {
  keyId: string;
  algorithm: SignatureAlgorithm;
  publicKey: string;
  validFrom: Date | null;
  validTo: Date | null;
}

/** Clocks apart: the key's bounds are the database's time, a record's `at` the application's. */
export const KEY_VALIDITY_TOLERANCE_MS = 60_000;

/**
 * The keys whose record signatures are trusted, from the key of the key file (which the database cannot change):
 * that key, and the keys recorded as closed no later than it was recorded (its predecessors, before a rotation).
 * A key added to audit_public_keys after it (as the application's role can: its start is the database's now())
 * is not trusted, whatever it claims.
 */
export function trustedRecordKeys(
  own: { algorithm: SignatureAlgorithm; publicKey: string },
  recorded: { keyId: string; algorithm: string; publicKey: string; validFrom: Date; validTo: Date | null }[],
): RecordKey[] {
  const ownId = keyIdOf(own.publicKey);
  const ownRow = recorded.find((k) => k.keyId === ownId);
  const keys: RecordKey[] = [
    {
      keyId: ownId,
      algorithm: own.algorithm,
      publicKey: own.publicKey,
      validFrom: ownRow?.validFrom ?? null,
      validTo: ownRow?.validTo ?? null,
    },
  ];
  if (!ownRow) return keys;
  for (const k of recorded)
    if (
      k.keyId !== ownId &&
      k.keyId === keyIdOf(k.publicKey) &&
      (k.algorithm === 'ed25519' || k.algorithm === 'sm2') &&
      k.validTo !== null &&
      k.validTo.getTime() <= ownRow.validFrom.getTime()
    )
      keys.push({ ...k, algorithm: k.algorithm });
  return keys;
}

export type RecordProblem = 'unsigned' | 'forged';

/** How many seqs of each problem are listed (a refusal, verify, one acknowledgement): `count` says how many in all. */
export const PROBLEM_SEQS_LISTED = 100;

/** The first record with a problem of one kind, how many have it, and the first PROBLEM_SEQS_LISTED of them. */
export interface RecordProblemSpan {
  firstSeq: number;
  count: number;
  seqs: number[];
}

/**
 * The action of the record an audit administrator files to acknowledge records that are not the application's
 * (docs/architecture.md, "Records signed by the application"): its `after` is `{ records: AcknowledgedRecord[] }`.
 */
export const FORGED_RECORDS_ACKNOWLEDGED = 'forged_records_acknowledged';

/** A record acknowledged as not the application's: its seq, its hash then, and what was wrong with it. */
export interface AcknowledgedRecord {
  seq: number;
  hash: string;
  problem: RecordProblem;
}

/** An acknowledged record, with the seq of the acknowledgement that names it. */
export interface RecordAcknowledged extends AcknowledgedRecord {
  acknowledgedBy: number;
}

/** The records an acknowledgement's `after` names; undefined when it is not an acknowledgement's shape. */
export function acknowledgedRecordsOf(after: unknown): AcknowledgedRecord[] | undefined {
  const records = (after as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) return undefined;
  const out: AcknowledgedRecord[] = [];
  for (const r of records as Partial<AcknowledgedRecord>[]) {
    if (
      !Number.isSafeInteger(r?.seq) ||
      typeof r.hash !== 'string' ||
      (r.problem !== 'unsigned' && r.problem !== 'forged')
    )
      return undefined;
    out.push({ seq: r.seq!, hash: r.hash, problem: r.problem });
  }
  return out;
}

/** What note() found: a problem, a problem acknowledged on the record, or nothing (the application's record). */
export type RecordOutcome = RecordProblem | 'acknowledged' | undefined;

/**
 * Checks records' signatures against the trusted keys: unsigned, or forged (no trusted key, bad, out of time). A
 * record named, with its hash, by a trusted acknowledgement after it is acknowledged instead: still reported, no
 * longer a problem.
 */
export class RecordAuthenticator {
  private readonly keys = new Map<string, RecordKey>();
  private readonly acknowledgements = new Map<number, { hash: string; by: number }>();
  readonly problems: Partial<Record<RecordProblem, RecordProblemSpan>> = {};
  /** The records noted that were acknowledged, in seq order. */
  readonly acknowledged: RecordAcknowledged[] = [];

  constructor(trusted: RecordKey[]) {
    for (const k of trusted) this.keys.set(k.keyId, k);
  }

  /** Whether a record is the application's; `at` in milliseconds. */
  check(hash: string, at: number, keyId: string | null, signature: string | null): RecordProblem | undefined {
    if (!keyId || !signature) return 'unsigned';
    const key = this.keys.get(keyId);
    if (
      !key ||
      (key.validFrom && at < key.validFrom.getTime() - KEY_VALIDITY_TOLERANCE_MS) ||
      (key.validTo && at >= key.validTo.getTime() + KEY_VALIDITY_TOLERANCE_MS) ||
      !verifyMessage(key.algorithm, key.publicKey, recordSignatureMessage(hash, keyId), signature)
    )
      return 'forged';
    return undefined;
  }

  /**
   * The records an acknowledgement (record `bySeq`, which the caller found the application's) names. Only records
   * before it count: nobody acknowledges what was not there yet.
   */
  acknowledge(bySeq: number, records: AcknowledgedRecord[]): void {
    for (const r of records)
      if (r.seq < bySeq && !this.acknowledgements.has(r.seq))
        this.acknowledgements.set(r.seq, { hash: r.hash, by: bySeq });
  }

  /** The acknowledgement naming record `seq` with this hash, if any. */
  acknowledgementOf(seq: number, hash: string): number | undefined {
    const a = this.acknowledgements.get(seq);
    return a?.hash === hash ? a.by : undefined;
  }

  /**
   * check(), the problem counted under its kind (or listed as acknowledged); a record found altered (`intact`
   * false) counts as forged.
   */
  note(
    seq: number,
    hash: string,
    at: number,
    keyId: string | null,
    signature: string | null,
    intact = true,
  ): RecordOutcome {
    const problem = intact ? this.check(hash, at, keyId, signature) : 'forged';
    if (!problem) return undefined;
    const by = this.acknowledgementOf(seq, hash);
    if (by !== undefined) {
      this.acknowledged.push({ seq, hash, problem, acknowledgedBy: by });
      return 'acknowledged';
    }
    const span = this.problems[problem];
    if (!span) this.problems[problem] = { firstSeq: seq, count: 1, seqs: [seq] };
    else {
      span.count += 1;
      if (span.seqs.length < PROBLEM_SEQS_LISTED) span.seqs.push(seq);
    }
    return problem;
  }

  get clean(): boolean {
    return !this.problems.unsigned && !this.problems.forged;
  }

  /** The first problem of either kind (for a refusal). */
  first(): { problem: RecordProblem; firstSeq: number; count: number } | undefined {
    const spans = (['unsigned', 'forged'] as const)
      .filter((p) => this.problems[p])
      .map((p) => ({ problem: p, firstSeq: this.problems[p]!.firstSeq, count: this.problems[p]!.count }));
    return spans.sort((a, b) => a.firstSeq - b.firstSeq)[0];
  }
}
