import { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, QueryRunner } from 'typeorm';
import {
  acknowledgedRecordsOf,
  auditDigest,
  FORGED_RECORDS_ACKNOWLEDGED,
  GENESIS_HASH,
  HashAlgorithm,
  leafHash,
  MerkleAccumulator,
  RecordAuthenticator,
  RecordAcknowledged,
  RecordProblemSpan,
  SUITES,
} from '@bianzhi/audit';
import { AUDIT_DEFINITION_DRIFT_SQL, auditDerivedColumnsSql } from './audit-columns';
import { copyBinaryRows } from './copy-binary';

/** Records per COPY statement during verification: each statement well inside the statement timeout. */
export const AUDIT_VERIFY_RANGE = 250_000;
const GENESIS = Buffer.from(GENESIS_HASH, 'latin1');
/** The hash algorithms of the crypto suites: a record naming another one does not verify. */
const ALGORITHMS = new Map<string, HashAlgorithm>(Object.values(SUITES).map((s) => [s.hash, s.hash]));
/** How an acknowledgement's body says what it is (canonical JSON: a string value's quotes are escaped). */
const ACKNOWLEDGEMENT_MARK = `"action":"${FORGED_RECORDS_ACKNOWLEDGED}"`;

/** Whether a stored hash is the digest of the stored body under the stored algorithm (a known one). */
function hashMatches(alg: Buffer, body: Buffer, hash: Buffer): boolean {
  const algorithm = ALGORITHMS.get(alg.toString('latin1'));
  return algorithm !== undefined && auditDigest(algorithm, body) === hash.toString('latin1');
}

/** A checkpoint the trail must still reproduce: stored, or kept by a witness (`source` says which). */
export interface ExpectedCheckpoint {
  treeSize: number;
  rootHash: string;
  hashAlgorithm: HashAlgorithm;
  source: string;
  /**
   * Whether a trusted key signed it, asked only when the trail does not reproduce it (reading and checking every
   * stored checkpoint would cost more than the trail's hashing); absent: a mismatch in any case (a witness's copy).
   */
  signedByTrustedKey?: () => Promise<boolean>;
}

/** The first checkpoint the trail no longer reproduces: its root, and the trail's at that size (null: too short). */
export interface CheckpointMismatch {
  treeSize: number;
  expectedRoot: string;
  foundRoot: string | null;
  source: string;
}

export interface AuditVerification {
  valid: boolean;
  records: number;
  headHash: string;
  firstBrokenSeq?: number;
  derivedColumnsAltered?: string[];
  checkpointMismatch?: CheckpointMismatch;
  /** Records' signatures were checked after this seq: the last stored checkpoint whose signature verifies. */
  signaturesCheckedAfter?: number;
  /** Records past the signing horizon without a signature. */
  unsignedRecords?: RecordProblemSpan;
  /** Records whose signature is bad, by a key not trusted, or by one not in force at the record's time. */
  forgedRecords?: RecordProblemSpan;
  /** Records changed since written: the hash no longer their body's, or a problem under a signed checkpoint. */
  alteredRecords?: RecordProblemSpan;
  /**
   * Stored checkpoints the trail does not reproduce and that no trusted key signed (rows inserted by whoever holds
   * the database, not the application's): reported, not a mismatch.
   */
  untrustedCheckpoints?: { count: number; treeSizes: number[] };
  /**
   * Records that are not the application's but that an audit administrator acknowledged, by a record of the
   * application's (`acknowledgedBy`): reported always, wherever they are; they no longer make `valid` false.
   */
  acknowledgedRecords?: RecordAcknowledged[];
}

/**
 * Which records' signatures to check (docs/architecture.md, "Records signed by the application"): those after the
 * last stored checkpoint whose own signature verifies (`after`; a checkpoint covers what it signed) and from the
 * signing horizon on (`signedFrom`), with the trusted keys.
 */
export interface SignatureScope {
  authenticator: RecordAuthenticator;
  after: number;
  signedFrom: number;
}

/**
 * The Merkle roots of the records as they are read, compared at each expected checkpoint's size: a tree kept in
 * memory per hash algorithm the checkpoints name (its right edge only, O(log n)), fed the stored hashes.
 */
class CheckpointCheck {
  private readonly trees = new Map<HashAlgorithm, MerkleAccumulator>();
  private readonly bySize = new Map<number, ExpectedCheckpoint[]>();
  private readonly sizes: number[];
  private next = 0;
  mismatch?: CheckpointMismatch;
  /** Stored checkpoints not reproduced that no trusted key signed: someone else's rows, set aside. */
  readonly untrusted: number[] = [];
  /** Stored checkpoints not reproduced, whose signatures settle() checks, with the trail's root at their size. */
  private readonly suspects: { cp: ExpectedCheckpoint; found: string | null }[] = [];

  constructor(expected: ExpectedCheckpoint[]) {
    for (const cp of expected) {
      if (!this.trees.has(cp.hashAlgorithm)) this.trees.set(cp.hashAlgorithm, new MerkleAccumulator(cp.hashAlgorithm));
      this.bySize.set(cp.treeSize, [...(this.bySize.get(cp.treeSize) ?? []), cp]);
    }
    this.sizes = [...this.bySize.keys()].sort((a, b) => a - b);
    this.compare(0);
  }

  get wanted(): boolean {
    return this.mismatch === undefined && this.next < this.sizes.length;
  }

  /** The record's stored hash (hex, as its text bytes), as the next leaf. */
  push(hashText: Buffer): void {
    const hash = Buffer.from(hashText.toString('latin1'), 'hex');
    let size = 0;
    for (const tree of this.trees.values()) {
      tree.push(leafHash(tree.alg, hash));
      size = tree.size;
    }
    this.compare(size);
  }

  private compare(size: number): void {
    if (this.sizes[this.next] !== size) return;
    this.next++;
    for (const cp of this.bySize.get(size)!) {
      const found = this.trees.get(cp.hashAlgorithm)!.root().toString('hex');
      if (found !== cp.rootHash && !this.suspect(cp, found)) {
        this.mismatch = { treeSize: size, expectedRoot: cp.rootHash, foundRoot: found, source: cp.source };
        return;
      }
    }
  }

  private suspect(cp: ExpectedCheckpoint, found: string | null): boolean {
    if (!cp.signedByTrustedKey) return false;
    this.suspects.push({ cp, found });
    return true;
  }

  /**
   * The suspects' signatures checked, in size order: the first a trusted key signed is the mismatch (it comes
   * before any found while reading, which stopped the reading); the others are set aside as untrusted.
   */
  async settle(): Promise<void> {
    for (const { cp, found } of this.suspects) {
      if (await cp.signedByTrustedKey!()) {
        this.mismatch = { treeSize: cp.treeSize, expectedRoot: cp.rootHash, foundRoot: found, source: cp.source };
        return;
      }
      this.untrusted.push(cp.treeSize);
    }
  }

  /** At the end of the trail: a checkpoint beyond it is not reproduced either. */
  finish(): void {
    for (; this.wanted; this.next++)
      for (const cp of this.bySize.get(this.sizes[this.next])!)
        if (!this.suspect(cp, null)) {
          this.mismatch = { treeSize: cp.treeSize, expectedRoot: cp.rootHash, foundRoot: null, source: cp.source };
          return;
        }
  }
}

/**
 * Recomputes the chain: a gap (a removed record), a wrong link or a wrong hash breaks it at that seq. Each
 * record's stored body is hashed as PostgreSQL hands its bytes over (binary COPY, a range of records per
 * statement, one chunk in memory at a time); the columns need no checking of their own, being generated
 * from the body, but whether they still are is checked first: ALTER TABLE could have changed that.
 */
export async function verifyAuditTrail(
  db: DataSource,
  range = AUDIT_VERIFY_RANGE,
  checkpoints: ExpectedCheckpoint[] = [],
  signatures?: SignatureScope,
): Promise<AuditVerification> {
  const check = new CheckpointCheck(checkpoints);
  // Records at or below this seq are not read for their signatures: the COPY sends nulls for them, except for
  // acknowledgements, each trusted only if signed by a trusted key whatever checkpoint covers it.
  const signedAfter = signatures ? Math.max(signatures.after, signatures.signedFrom - 1) : Number.MAX_SAFE_INTEGER;
  const signed = signatures
    ? `seq > ${signedAfter} OR action = '${FORGED_RECORDS_ACKNOWLEDGED}'`
    : `seq > ${Number.MAX_SAFE_INTEGER}`;
  const acknowledged: RecordAcknowledged[] = [];
  const runner = db.createQueryRunner();
  let client: PoolClient | undefined;
  try {
    client = (await runner.connect()) as PoolClient;
    const altered = await derivedColumnsAltered(runner);
    let prevHash: Buffer = GENESIS;
    let expected = 1;
    let count = 0;
    let firstBrokenSeq: number | undefined;
    // Ranges by position (after the last seq read), not by seq value: a forged seq far ahead costs nothing.
    for (let after = 0n; ;) {
      const stream = client.query(
        copyTo(
          `COPY (SELECT seq, prev_hash, hash_alg, hash, body, ` +
            `CASE WHEN ${signed} THEN (extract(epoch FROM at) * 1000)::bigint END, ` +
            `CASE WHEN ${signed} THEN signature_key_id END, ` +
            `CASE WHEN ${signed} THEN signature END ` +
            `FROM audit_records WHERE seq > ${after} ORDER BY seq LIMIT ${range}) TO STDOUT (FORMAT binary)`,
        ),
      );
      let read = 0;
      let lastSeq = after;
      for await (const rows of copyBinaryRows(stream)) {
        for (const [seqBytes, prev, alg, hash, body, at, keyId, signature] of rows as Buffer[][]) {
          const seq = seqBytes.readUInt32BE(0) * 2 ** 32 + seqBytes.readUInt32BE(4);
          count += 1;
          // Hashed once: the chain's check and the signatures' (an altered record) both ask.
          const intact = hashMatches(alg, body, hash);
          if (firstBrokenSeq === undefined && (seq !== expected || !prev.equals(prevHash) || !intact)) {
            firstBrokenSeq = seq < expected ? seq : expected;
          }
          if (check.wanted) check.push(hash);
          if (at) {
            const args = [
              hash.toString('latin1'),
              Number(at.readBigInt64BE(0)),
              keyId?.toString('utf8') ?? null,
              signature?.toString('latin1') ?? null,
            ] as const;
            if (seq > signedAfter) signatures!.authenticator.note(seq, ...args, intact);
            if (body.includes(ACKNOWLEDGEMENT_MARK) && intact && !signatures!.authenticator.check(seq, ...args))
              acknowledged.push(...acknowledgementOf(seq, body));
          }
          prevHash = hash;
          expected = seq + 1;
        }
        read += rows.length;
        lastSeq = rows[rows.length - 1][0]!.readBigInt64BE(0);
      }
      if (read < range) break;
      after = lastSeq;
    }
    check.finish();
    await check.settle();
    const problems = signatures?.authenticator.problems ?? {};
    return {
      valid:
        firstBrokenSeq === undefined &&
        !altered.length &&
        !check.mismatch &&
        !problems.unsigned &&
        !problems.forged &&
        !problems.altered &&
        // An altered record acknowledged lets the checkpoints go on; the trail stays damaged.
        !acknowledged.some((r) => r.problem === 'altered'),
      records: count,
      headHash: prevHash.toString('latin1'),
      ...(firstBrokenSeq !== undefined ? { firstBrokenSeq } : {}),
      ...(altered.length ? { derivedColumnsAltered: altered } : {}),
      ...(check.mismatch ? { checkpointMismatch: check.mismatch } : {}),
      ...(signatures ? { signaturesCheckedAfter: signatures.after } : {}),
      ...(problems.unsigned ? { unsignedRecords: problems.unsigned } : {}),
      ...(problems.forged ? { forgedRecords: problems.forged } : {}),
      ...(problems.altered ? { alteredRecords: problems.altered } : {}),
      ...(check.untrusted.length
        ? { untrustedCheckpoints: { count: check.untrusted.length, treeSizes: check.untrusted.slice(0, 100) } }
        : {}),
      ...(acknowledged.length ? { acknowledgedRecords: acknowledged.sort((a, b) => a.seq - b.seq) } : {}),
    };
  } catch (err) {
    // A COPY cut off midway leaves the connection mid-stream: closed, the pool drops it on release.
    await client?.end().catch(() => undefined);
    throw err;
  } finally {
    await runner.release();
  }
}

/** The records an acknowledgement of the application's names (before it), or none if its body is not one. */
function acknowledgementOf(seq: number, body: Buffer): RecordAcknowledged[] {
  const content = JSON.parse(body.toString('utf8')) as { action?: string; after?: unknown };
  if (content.action !== FORGED_RECORDS_ACKNOWLEDGED) return [];
  return (acknowledgedRecordsOf(content.after) ?? [])
    .filter((r) => r.seq < seq)
    .map((r) => ({ ...r, acknowledgedBy: seq }));
}

/** The trail's columns no longer generated from the body as audit-columns.ts defines them. */
async function derivedColumnsAltered(runner: QueryRunner): Promise<string[]> {
  await runner.startTransaction();
  try {
    await runner.query(
      `CREATE TEMP TABLE audit_expected_columns (body text, hash text, ${auditDerivedColumnsSql()}) ON COMMIT DROP`,
    );
    const rows: { column: string }[] = await runner.query(AUDIT_DEFINITION_DRIFT_SQL);
    return rows.map((r) => r.column);
  } finally {
    await runner.rollbackTransaction();
  }
}
