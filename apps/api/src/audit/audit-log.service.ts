import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import {
  Checkpoint,
  consistencyProof,
  generateSigningKey,
  GENESIS_HASH,
  Hash,
  inclusionProof,
  leafHash,
  signCheckpoint,
  SigningKey,
  SUITES,
  treeRoot,
} from '@bianzhi/audit';
import { AUDIT_VERIFY_RANGE, AuditTrailRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';

/** The audit trail as auditors check it: chain verification, signed checkpoints and Merkle proofs. */
@Injectable()
export class AuditLogService {
  private key?: Promise<SigningKey>;
  readonly suite = SUITES[process.env.AUDIT_CRYPTO === 'gm' ? 'gm' : 'standard'];
  /** Records per COPY statement of verification (tests make it small to cross range boundaries). */
  verifyRange = AUDIT_VERIFY_RANGE;

  constructor(private readonly trail: AuditTrailRepository) {}

  /** The server's signing key: AUDIT_SIGNING_KEY_FILE, else one generated once and kept in the database. */
  signingKey(): Promise<SigningKey> {
    this.key ??= (async () => {
      const file = process.env.AUDIT_SIGNING_KEY_FILE;
      if (file) return JSON.parse(fs.readFileSync(file, 'utf8')) as SigningKey;
      const algorithm = this.suite.signature;
      const fresh = generateSigningKey(algorithm);
      const kept = await this.trail.keepSigningKey(algorithm, fresh);
      return { algorithm, publicKey: kept.publicKey, privateKey: kept.privateKey };
    })().catch((err) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  /** Recomputes the chain (see verifyAuditTrail). */
  verify() {
    return this.trail.verify(this.verifyRange);
  }

  /** `GET /v1/audit`: records in seq order, each bound optional, at most `limit` (1000 by default). */
  async records(q: {
    from?: string;
    to?: string;
    actor?: string;
    requestId?: string;
    action?: string;
    afterSeq?: number;
    limit?: number;
  }) {
    const rows = await this.trail.list({
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      actor: q.actor,
      requestId: q.requestId,
      action: q.action,
      afterSeq: q.afterSeq,
      limit: q.limit ?? 1000,
    });
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** The Merkle leaves: each record's hash, in seq order. */
  private async leaves(treeSize: number): Promise<Hash[]> {
    const hashes = await this.trail.hashesUpTo(treeSize);
    if (hashes.length !== treeSize)
      throw new ApiError(
        409,
        'CHAIN_BROKEN',
        `the trail has ${hashes.length} records up to seq ${treeSize}: run /v1/audit/verify`,
      );
    return hashes.map((h) => leafHash(this.suite.hash, Buffer.from(h, 'hex')));
  }

  async checkpoint(): Promise<Checkpoint> {
    const key = await this.signingKey();
    const treeSize = await this.trail.size();
    const leaves = await this.leaves(treeSize);
    const headHash = treeSize ? await this.trail.hashAt(treeSize) : undefined;
    return signCheckpoint(
      {
        treeSize,
        headSeq: treeSize,
        headHash: headHash ?? GENESIS_HASH,
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
    const size = await this.trail.size();
    if (n < 1 || n > size)
      throw ApiError.validation([{ field, problem: `must be between 1 and the trail's size ${size}` }]);
  }

  async inclusion(seq: number, treeSize: number) {
    await this.checkSize(treeSize, 'treeSize');
    if (seq < 1 || seq > treeSize)
      throw ApiError.validation([{ field: 'seq', problem: `must be between 1 and treeSize ${treeSize}` }]);
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
    if (from < 1 || from > to)
      throw ApiError.validation([{ field: 'from', problem: `must be between 1 and to (${to})` }]);
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
