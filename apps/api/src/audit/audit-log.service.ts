import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import {
  auditHash,
  Checkpoint,
  consistencyProof,
  contentOf,
  generateSigningKey,
  GENESIS_HASH,
  Hash,
  inclusionProof,
  leafHash,
  signCheckpoint,
  SigningKey,
  StoredAuditRecord,
  SUITES,
  treeRoot,
} from '../../../../libs/audit/src';
import { AuditRecordEntity, AuditSigningKeyEntity } from '../../../../libs/persistence/src';
import { ApiError } from '../common/api-error';

const VERIFY_BATCH = 10_000;

/** A row as verification reads it: the stored content under the entity's names, and the chain's columns. */
type VerifyRow = StoredAuditRecord & { seq: string; prevHash: string; hashAlg: 'sha256' | 'sm3'; hash: string };

/** The audit trail as auditors check it: chain verification, signed checkpoints and Merkle proofs. */
@Injectable()
export class AuditLogService {
  private key?: Promise<SigningKey>;
  readonly suite = SUITES[process.env.AUDIT_CRYPTO === 'gm' ? 'gm' : 'standard'];

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The server's signing key: AUDIT_SIGNING_KEY_FILE, else one generated once and kept in the database. */
  signingKey(): Promise<SigningKey> {
    this.key ??= (async () => {
      const file = process.env.AUDIT_SIGNING_KEY_FILE;
      if (file) return JSON.parse(fs.readFileSync(file, 'utf8')) as SigningKey;
      const algorithm = this.suite.signature;
      const fresh = generateSigningKey(algorithm);
      await this.db.query('INSERT INTO audit_signing_keys (algorithm, public_key, private_key, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING', [algorithm, fresh.publicKey, fresh.privateKey]);
      const row = await this.db.getRepository(AuditSigningKeyEntity).findOneByOrFail({ algorithm });
      return { algorithm, publicKey: row.publicKey, privateKey: row.privateKey };
    })().catch((err) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  /**
   * Recomputes the chain: a gap (a removed record), a wrong link or a wrong hash breaks it at that seq. Rows
   * come in batches as plain tuples (no entity mapping), the next batch fetched while this one is hashed.
   */
  async verify() {
    const fetch = (after: string) =>
      this.db.query(
        `SELECT seq::text AS seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, actor_id AS "actorId", role, action,
                request_id AS "requestId", workflow_id AS "workflowId", run_id AS "runId", step_key AS "stepKey", before, after, comment,
                prev_hash AS "prevHash", hash_alg AS "hashAlg", hash
         FROM audit_records WHERE audit_records.seq > $1 ORDER BY audit_records.seq LIMIT ${VERIFY_BATCH}`,
        [after],
      ) as Promise<VerifyRow[]>;
    let prevHash = GENESIS_HASH;
    let expected = 1n;
    let count = 0;
    let firstBrokenSeq: number | undefined;
    let next = fetch('0');
    for (;;) {
      const rows = await next;
      if (rows.length === VERIFY_BATCH) next = fetch(rows[rows.length - 1].seq);
      for (const r of rows) {
        const seq = BigInt(r.seq);
        count += 1;
        if (firstBrokenSeq === undefined && (seq !== expected || r.prevHash !== prevHash || auditHash(contentOf(r), r.prevHash, r.hashAlg) !== r.hash)) {
          firstBrokenSeq = Number(seq < expected ? seq : expected);
        }
        prevHash = r.hash;
        expected = seq + 1n;
      }
      if (rows.length < VERIFY_BATCH) break;
    }
    return { valid: firstBrokenSeq === undefined, records: count, headHash: prevHash, ...(firstBrokenSeq !== undefined ? { firstBrokenSeq } : {}) };
  }

  private async size(): Promise<number> {
    const [{ n }] = await this.db.query('SELECT coalesce(max(seq), 0)::bigint AS n FROM audit_records');
    return Number(n);
  }

  /** The Merkle leaves: each record's hash, in seq order. */
  private async leaves(treeSize: number): Promise<Hash[]> {
    const rows: { hash: string }[] = await this.db.query('SELECT hash FROM audit_records WHERE seq <= $1 ORDER BY seq', [treeSize]);
    if (rows.length !== treeSize) throw new ApiError(409, 'CHAIN_BROKEN', `the trail has ${rows.length} records up to seq ${treeSize}: run /v1/audit/verify`);
    return rows.map((r) => leafHash(this.suite.hash, Buffer.from(r.hash, 'hex')));
  }

  async checkpoint(): Promise<Checkpoint> {
    const key = await this.signingKey();
    const treeSize = await this.size();
    const leaves = await this.leaves(treeSize);
    const head: { hash: string }[] = treeSize ? await this.db.query('SELECT hash FROM audit_records WHERE seq = $1', [treeSize]) : [];
    return signCheckpoint(
      {
        treeSize,
        headSeq: treeSize,
        headHash: head[0]?.hash ?? GENESIS_HASH,
        rootHash: treeRoot(this.suite.hash, leaves).toString('hex'),
        hashAlgorithm: this.suite.hash,
        signatureAlgorithm: key.algorithm,
        publicKey: key.publicKey,
        issuedAt: new Date().toISOString(),
      },
      key,
    );
  }

  async publicKey() {
    const key = await this.signingKey();
    return { signatureAlgorithm: key.algorithm, hashAlgorithm: this.suite.hash, publicKey: key.publicKey };
  }

  private async checkSize(n: number, field: string): Promise<void> {
    const size = await this.size();
    if (n < 1 || n > size) throw ApiError.validation([{ field, problem: `must be between 1 and the trail's size ${size}` }]);
  }

  async inclusion(seq: number, treeSize: number) {
    await this.checkSize(treeSize, 'treeSize');
    if (seq < 1 || seq > treeSize) throw ApiError.validation([{ field: 'seq', problem: `must be between 1 and treeSize ${treeSize}` }]);
    const leaves = await this.leaves(treeSize);
    const alg = this.suite.hash;
    return {
      seq,
      leafIndex: seq - 1,
      treeSize,
      hashAlgorithm: alg,
      leafHash: leaves[seq - 1].toString('hex'),
      rootHash: treeRoot(alg, leaves).toString('hex'),
      proof: inclusionProof(alg, seq - 1, leaves).map((h) => h.toString('hex')),
    };
  }

  async consistency(from: number, to: number) {
    await this.checkSize(to, 'to');
    if (from < 1 || from > to) throw ApiError.validation([{ field: 'from', problem: `must be between 1 and to (${to})` }]);
    const leaves = await this.leaves(to);
    const alg = this.suite.hash;
    return {
      from,
      to,
      hashAlgorithm: alg,
      fromRoot: treeRoot(alg, leaves, from).toString('hex'),
      toRoot: treeRoot(alg, leaves).toString('hex'),
      proof: consistencyProof(alg, from, to, leaves).map((h) => h.toString('hex')),
    };
  }
}
