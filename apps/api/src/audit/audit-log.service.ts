import { Injectable } from '@nestjs/common';
import {
  Checkpoint,
  HashAlgorithm,
  keyIdOf,
  MissingTreeNode,
  StoredTree,
  suiteOf,
  trustedRecordKeys,
  WitnessStore,
  witnessLatest,
} from '@bianzhi/audit';
import {
  AUDIT_VERIFY_RANGE,
  AuditCheckpointsRepository,
  AuditTrailRepository,
  Checkpointer,
  ExpectedCheckpoint,
  NoSigningKey,
  NotAcknowledgeable,
  RecordsNotAuthentic,
  SigningKeyFileMissing,
  WITNESS_DIRECTORY,
} from '@bianzhi/persistence';
import { AuthUser } from '@bianzhi/auth';
import { ApiError } from '../common/api-error';

/**
 * The audit trail as auditors check it: chain verification against the stored and witnessed checkpoints, signed
 * checkpoints and Merkle proofs from the stored tree (docs/architecture.md, "Checkpoints and witnesses").
 */
@Injectable()
export class AuditLogService {
  readonly suite = suiteOf();
  /** Records per COPY statement of verification (tests make it small to cross range boundaries). */
  verifyRange = AUDIT_VERIFY_RANGE;

  constructor(
    private readonly trail: AuditTrailRepository,
    private readonly checkpoints: AuditCheckpointsRepository,
    readonly checkpointer: Checkpointer,
  ) {}

  /**
   * Recomputes the chain (see verifyAuditTrail) and the Merkle root at every checkpoint stored, kept in the witness
   * directory or held last by an HTTP witness: the first one not reproduced is `checkpointMismatch`. The expected
   * roots are read before the trail, which only grows meanwhile. The records' signatures are checked after the last
   * stored checkpoint a trusted key signed (`unsignedRecords`, `forgedRecords`; docs/architecture.md, "Records
   * signed by the application").
   */
  async verify() {
    const scope = await this.checkpointer.scope().catch((err) => {
      throw this.apiError(err);
    });
    // A stored checkpoint the trail does not reproduce counts only if a trusted key signed it: anyone with the
    // application's role can insert rows there.
    const expected: ExpectedCheckpoint[] = (await this.checkpoints.roots()).map((r) => ({
      ...r,
      source: 'stored',
      signedByTrustedKey: () => this.checkpointer.signedByTrustedKey(r.treeSize),
    }));
    const { witnessDir, witnessUrls, witnessTimeoutMs } = this.checkpointer.config;
    if (witnessDir)
      for (const cp of new WitnessStore(witnessDir, []).all()) expected.push(witnessed(cp, WITNESS_DIRECTORY));
    for (const url of witnessUrls) {
      const cp = await witnessLatest(url, witnessTimeoutMs);
      if (cp) expected.push(witnessed(cp, url));
    }
    return this.trail.verify(this.verifyRange, expected, scope);
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

  /**
   * The checkpoint of the trail as it stands: the latest stored one when the trail has not grown since, else a
   * new one, stored (and sent to the witnesses in the background). Never a signature that is not kept.
   */
  async checkpoint(): Promise<Checkpoint> {
    try {
      const cp = await this.checkpointer.current();
      if (this.checkpointer.hasWitnesses) this.checkpointer.nudge();
      return cp;
    } catch (err) {
      throw this.apiError(err);
    }
  }

  /**
   * `POST /v1/audit/forged-records/acknowledgements`: an audit administrator acknowledges records that are not the
   * application's, on the record (Checkpointer.acknowledge appends a signed record naming them, and tells the
   * security log). Checkpoints are signed over them from then on (docs/architecture.md, "Records signed by the
   * application").
   */
  async acknowledge(user: AuthUser, dto: { seqs: number[]; reason: string }, address: string | null) {
    const reason = dto.reason.trim();
    let ack;
    try {
      ack = await this.checkpointer.acknowledge({
        seqs: dto.seqs,
        reason,
        actor: user.username,
        actorId: user.id,
        role: 'audit_admin',
        address,
      });
    } catch (err) {
      throw this.apiError(err);
    }
    // The next checkpoint need not wait for the worker's tick.
    this.checkpointer.nudge();
    return {
      seq: ack.seq,
      at: ack.at,
      actor: user.username,
      reason,
      records: ack.records.map((r) => ({ ...r, acknowledgedBy: ack.seq })),
    };
  }

  /** `GET /v1/audit/checkpoints`: stored checkpoints after a tree size, with their witnesses. */
  storedCheckpoints(after = 0, limit = 1000) {
    return this.checkpoints.list(after, limit);
  }

  /**
   * The key in use, and every key the trail was signed with and when (rotation): those the key file names, with
   * their handovers; a key's start the file does not give (the first key's) is when it was published.
   */
  async publicKey() {
    const key = await this.checkpointer.signingKey().catch((err) => {
      throw this.apiError(err);
    });
    const published = new Map((await this.trail.publicKeys()).map((k) => [k.keyId, k.validFrom]));
    const handovers = new Map((key.predecessors ?? []).map((p) => [keyIdOf(p.publicKey), p.handover]));
    const [own, ...predecessors] = trustedRecordKeys(key);
    return {
      signatureAlgorithm: key.algorithm,
      hashAlgorithm: this.suite.hash,
      publicKey: key.publicKey,
      keyId: keyIdOf(key.publicKey),
      keys: [...predecessors, own].map((k) => ({
        keyId: k.keyId,
        algorithm: k.algorithm,
        publicKey: k.publicKey,
        validFrom: (k.validFrom ?? published.get(k.keyId) ?? new Date(0)).toISOString(),
        validTo: k.validTo?.toISOString() ?? null,
        ...(handovers.get(k.keyId) ? { handover: handovers.get(k.keyId) } : {}),
      })),
    };
  }

  private apiError(err: unknown): unknown {
    if (err instanceof NoSigningKey || err instanceof SigningKeyFileMissing)
      return new ApiError(503, 'UNAVAILABLE', err.message);
    if (err instanceof RecordsNotAuthentic)
      return new ApiError(409, 'RECORD_NOT_AUTHENTIC', err.message, [
        { treeSize: err.treeSize, problem: err.problem, firstSeq: err.firstSeq, count: err.count, ...err.records },
      ]);
    if (err instanceof NotAcknowledgeable)
      return new ApiError(
        err.kind === 'acknowledged' ? 409 : 422,
        {
          missing: 'NO_SUCH_RECORD',
          authentic: 'RECORD_AUTHENTIC',
          acknowledged: 'ALREADY_ACKNOWLEDGED',
          altered: 'RECORD_ALTERED',
        }[err.kind],
        `seqs: ${err.message}`,
        [{ field: 'seqs', problem: err.message, seqs: err.seqs }],
      );
    if (err instanceof MissingTreeNode)
      return new ApiError(409, 'CHAIN_BROKEN', `${err.message}: run /v1/audit/verify`);
    return err;
  }

  private async checkSize(n: number, field: string): Promise<void> {
    const size = await this.trail.size();
    if (n < 1 || n > size)
      throw ApiError.validation([{ field, problem: `must be between 1 and the trail's size ${size}` }]);
  }

  /** Runs a computation over the stored tree (O(log n) nodes, one query). */
  private async overTree<T>(run: (tree: StoredTree, alg: HashAlgorithm) => T): Promise<T> {
    const alg = (await this.trail.treeAlgorithm()) ?? this.suite.hash;
    try {
      return await this.trail.overTree(alg, (t) => run(t, alg));
    } catch (err) {
      throw this.apiError(err);
    }
  }

  async inclusion(seq: number, treeSize: number) {
    return (await this.inclusions([seq], treeSize))[0];
  }

  /** Inclusion proofs of several records in one tree, from one read of the stored nodes (a dossier's). */
  async inclusions(seqs: number[], treeSize: number) {
    await this.checkSize(treeSize, 'treeSize');
    for (const seq of seqs)
      if (seq < 1 || seq > treeSize)
        throw ApiError.validation([{ field: 'seq', problem: `must be between 1 and treeSize ${treeSize}` }]);
    return this.overTree((t, alg) => {
      const rootHash = t.root(treeSize).toString('hex');
      return seqs.map((seq) => ({
        seq,
        leafIndex: seq - 1,
        treeSize,
        hashAlgorithm: alg,
        leafHash: t.leaf(seq - 1).toString('hex'),
        rootHash,
        proof: t.inclusionProof(seq - 1, treeSize).map((h) => h.toString('hex')),
      }));
    });
  }

  async consistency(from: number, to: number) {
    await this.checkSize(to, 'to');
    if (from < 1 || from > to)
      throw ApiError.validation([{ field: 'from', problem: `must be between 1 and to (${to})` }]);
    return this.overTree((t, alg) => ({
      from,
      to,
      hashAlgorithm: alg,
      fromRoot: t.root(from).toString('hex'),
      toRoot: t.root(to).toString('hex'),
      proof: t.consistencyProof(from, to).map((h) => h.toString('hex')),
    }));
  }
}

function witnessed(cp: Checkpoint, source: string): ExpectedCheckpoint {
  return {
    treeSize: cp.treeSize,
    rootHash: cp.rootHash,
    hashAlgorithm: cp.hashAlgorithm,
    source: source === WITNESS_DIRECTORY ? 'witness directory' : `witness ${source}`,
  };
}
