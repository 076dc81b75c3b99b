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

let loaded: { file: string; algorithm: SignatureAlgorithm; stamp: string; key: SigningKey } | undefined;

/**
 * The key of a key file, read again only when the file changed (a rotation replaces it while the processes run:
 * their next record or checkpoint is signed with the new key). Throws NoRecordSigningKey, saying why.
 */
export function loadSigningKey(file: string, algorithm: SignatureAlgorithm): SigningKey {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new NoRecordSigningKey(
      `the audit signing key file ${file} is missing: audit records cannot be signed, so none is written`,
    );
  }
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  if (loaded?.file === file && loaded.algorithm === algorithm && loaded.stamp === stamp) return loaded.key;
  let key: SigningKey;
  try {
    key = parseKey(file);
  } catch (err) {
    // parseKey's messages name the file.
    throw new NoRecordSigningKey((err as Error).message);
  }
  if (key.algorithm !== algorithm)
    throw new NoRecordSigningKey(`${file} holds no ${algorithm} signing key (AUDIT_CRYPTO)`);
  loaded = { file, algorithm, stamp, key };
  return key;
}

/**
 * The key appendAudit signs with: that of AUDIT_SIGNING_KEY_FILE (never made here: the API and the worker make it
 * at their start, see Checkpointer.signingKey).
 */
export function recordSigningKey(env: NodeJS.ProcessEnv = process.env): SigningKey {
  const file = env.AUDIT_SIGNING_KEY_FILE;
  if (!file)
    throw new NoRecordSigningKey('no AUDIT_SIGNING_KEY_FILE: audit records cannot be signed, so none is written');
  return loadSigningKey(file, suiteOf(env).signature);
}

/** A public key records may be signed with, and when it was in force (null: no bound that way). */
export interface RecordKey {
  keyId: string;
  algorithm: SignatureAlgorithm;
  publicKey: string;
  validFrom: Date | null;
  validTo: Date | null;
  /** Its place in the key file's chain: 0 the oldest predecessor; the key file's own last. */
  rank: number;
  /**
   * The last seq it may have signed: before its successor's rotation record, or the first record a later key
   * signed (order, which a forger cannot choose, unlike a record's `at`). None known yet: no bound.
   */
  lastSeq?: number;
}

/** Clocks apart: the key's bounds are the database's time, a record's `at` the application's. */
export const KEY_VALIDITY_TOLERANCE_MS = 60_000;

/**
 * The keys whose record signatures are trusted: those the key file names, which the database cannot change (its
 * own, in force from its handover on, and its predecessors, each until its handover; docs/architecture.md, "Which
 * keys are trusted"). Whatever audit_public_keys holds is not consulted.
 */
export function trustedRecordKeys(own: SigningKey): RecordKey[] {
  const at = (iso: string | undefined) => (iso ? new Date(iso) : null);
  const predecessors = own.predecessors ?? [];
  return [
    {
      keyId: keyIdOf(own.publicKey),
      algorithm: own.algorithm,
      publicKey: own.publicKey,
      validFrom: at(own.validFrom),
      validTo: null,
      rank: predecessors.length,
    },
    ...predecessors.map((p, rank) => ({
      keyId: keyIdOf(p.publicKey),
      algorithm: p.algorithm,
      publicKey: p.publicKey,
      validFrom: at(p.validFrom),
      validTo: at(p.validTo),
      rank,
    })),
  ];
}

/**
 * Bounds the keys before the one with id `to` to seqs before `seq` (where a later key is known to sign: its
 * rotation record, or its first record). The keys' lists are changed in place.
 */
export function boundPredecessors(keys: Iterable<RecordKey>, to: string, seq: number): void {
  const all = [...keys];
  const successor = all.find((k) => k.keyId === to);
  if (!successor) return;
  for (const k of all)
    if (k.rank < successor.rank && (k.lastSeq === undefined || k.lastSeq > seq - 1)) k.lastSeq = seq - 1;
}

/**
 * Unsigned; forged (no trusted key's good signature, out of its time, or after a later key signed); altered: its
 * hash no longer its body's, or not the application's now but under a checkpoint the application signed (so it
 * was then: changed since). docs/architecture.md, "Records signed by the application".
 */
export type RecordProblem = 'unsigned' | 'forged' | 'altered';

/** The problems in the order they are reported. */
export const RECORD_PROBLEMS: readonly RecordProblem[] = ['unsigned', 'forged', 'altered'];

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

/**
 * The action of the record the application appends when it first signs with a new key (a rotation): its `after`
 * is `{ from, to, at, algorithm, publicKey, handover }`, the handover signed by the key before.
 */
export const SIGNING_KEY_ROTATED = 'audit_signing_key_rotated';

/** The keys a rotation record names (its `after`); undefined when it is not that shape. */
export function rotationOf(after: unknown): { from: string; to: string } | undefined {
  const a = after as { from?: unknown; to?: unknown } | null;
  return typeof a?.from === 'string' && typeof a.to === 'string' ? { from: a.from, to: a.to } : undefined;
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
      !RECORD_PROBLEMS.includes(r.problem as RecordProblem)
    )
      return undefined;
    out.push({ seq: r.seq!, hash: r.hash, problem: r.problem as RecordProblem });
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
  private readonly acknowledgements = new Map<number, { hash: string; by: number; problem: RecordProblem }>();
  readonly problems: Partial<Record<RecordProblem, RecordProblemSpan>> = {};
  /** The records noted that were acknowledged, in seq order. */
  readonly acknowledged: RecordAcknowledged[] = [];

  /**
   * `covered`: the size of the last checkpoint the application signed; the records up to it were its own or
   * acknowledged when it signed, so a problem there now is a record altered since.
   */
  constructor(
    trusted: RecordKey[],
    readonly covered = 0,
  ) {
    for (const k of trusted) this.keys.set(k.keyId, { ...k });
  }

  /**
   * Whether record `seq` is the application's; `at` in milliseconds. A key's good signature counts within its
   * time and before a later key signed (each key checked bounds those before it: records are noted in seq order).
   */
  check(
    seq: number,
    hash: string,
    at: number,
    keyId: string | null,
    signature: string | null,
  ): RecordProblem | undefined {
    if (!keyId || !signature) return 'unsigned';
    const key = this.keys.get(keyId);
    if (
      !key ||
      (key.lastSeq !== undefined && seq > key.lastSeq) ||
      (key.validFrom && at < key.validFrom.getTime() - KEY_VALIDITY_TOLERANCE_MS) ||
      (key.validTo && at >= key.validTo.getTime() + KEY_VALIDITY_TOLERANCE_MS) ||
      !verifyMessage(key.algorithm, key.publicKey, recordSignatureMessage(hash, keyId), signature)
    )
      return 'forged';
    if (key.rank > 0) boundPredecessors(this.keys.values(), keyId, seq);
    return undefined;
  }

  /** A later key's rotation record at `seq` (found the application's): the keys before it signed before it. */
  handover(to: string, seq: number): void {
    boundPredecessors(this.keys.values(), to, seq);
  }

  /** The trusted keys, with the bounds found so far. */
  get trusted(): RecordKey[] {
    return [...this.keys.values()];
  }

  /**
   * The records an acknowledgement (record `bySeq`, which the caller found the application's) names. Only records
   * before it count: nobody acknowledges what was not there yet.
   */
  acknowledge(bySeq: number, records: AcknowledgedRecord[]): void {
    for (const r of records)
      if (r.seq < bySeq && !this.acknowledgements.has(r.seq))
        this.acknowledgements.set(r.seq, { hash: r.hash, by: bySeq, problem: r.problem });
  }

  /** The acknowledgement naming record `seq` with this hash, if any. */
  acknowledgementOf(seq: number, hash: string): number | undefined {
    const a = this.acknowledgements.get(seq);
    return a?.hash === hash ? a.by : undefined;
  }

  /**
   * check(), the problem counted under its kind (or listed as acknowledged). A record whose hash is not its body's
   * (`intact` false), or one with a problem under the last checkpoint signed, is altered; acknowledged only by an
   * acknowledgement that named it altered (its body changed since one that did not: altered again).
   */
  note(
    seq: number,
    hash: string,
    at: number,
    keyId: string | null,
    signature: string | null,
    intact = true,
  ): RecordOutcome {
    const found = intact ? this.check(seq, hash, at, keyId, signature) : 'altered';
    if (!found) return undefined;
    const ack = this.acknowledgements.get(seq);
    if (ack?.hash === hash && (found !== 'altered' || ack.problem === 'altered')) {
      this.acknowledged.push({ seq, hash, problem: ack.problem, acknowledgedBy: ack.by });
      return 'acknowledged';
    }
    const problem: RecordProblem = seq <= this.covered ? 'altered' : found;
    const span = this.problems[problem];
    if (!span) this.problems[problem] = { firstSeq: seq, count: 1, seqs: [seq] };
    else {
      span.count += 1;
      if (span.seqs.length < PROBLEM_SEQS_LISTED) span.seqs.push(seq);
    }
    return problem;
  }

  get clean(): boolean {
    return RECORD_PROBLEMS.every((p) => !this.problems[p]);
  }

  /** The first problem of either kind (for a refusal). */
  first(): { problem: RecordProblem; firstSeq: number; count: number } | undefined {
    const spans = RECORD_PROBLEMS.filter((p) => this.problems[p]).map((p) => ({
      problem: p,
      firstSeq: this.problems[p]!.firstSeq,
      count: this.problems[p]!.count,
    }));
    return spans.sort((a, b) => a.firstSeq - b.firstSeq)[0];
  }
}
