import * as fs from 'node:fs';
import { EntityManager } from 'typeorm';
import {
  AcknowledgedRecord,
  appendAudit,
  Checkpoint,
  FORGED_RECORDS_ACKNOWLEDGED,
  GENESIS_HASH,
  HashAlgorithm,
  keyIdOf,
  loadOrCreateKeyFile,
  loadSigningKey,
  NoRecordSigningKey,
  checkKey,
  PredecessorKey,
  RecordAuthenticator,
  RecordKey,
  RECORD_PROBLEMS,
  RecordProblem,
  RecordProblemSpan,
  SignatureAlgorithm,
  signCheckpoint,
  SIGNING_KEY_ROTATED,
  SigningKey,
  submitToWitness,
  suiteOf,
  trustedRecordKeys,
  verifyCheckpointSignature,
  WitnessStore,
  writeKeyFile,
} from '@bianzhi/audit';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';
import { AuditTrailRepository } from './audit-trail.repository';
import { SignatureScope } from './audit-verification';
import { SecurityRepository } from './security.repository';

// Signed checkpoints of the audit trail, stored and sent to witnesses (docs/architecture.md, "Checkpoints and
// witnesses"). The worker makes one every AUDIT_CHECKPOINT_INTERVAL_SECONDS when the trail grew and after each
// implementation; the API's GET /v1/audit/checkpoint answers the latest stored one, or stores a new one if the trail
// grew since. Every signature the key makes is thus stored and witnessed: none is handed out unrecorded.

export interface CheckpointerConfig {
  /** The signing key's file (0600, made on first use); none: checkpoints cannot be signed. */
  keyFile?: string;
  signature: SignatureAlgorithm;
  /** The Merkle tree's algorithm while the trail is empty (after that, its first record's). */
  hash: HashAlgorithm;
  /** An append-only directory the checkpoints are written to, each checked against the last. */
  witnessDir?: string;
  /** HTTP witnesses (`npm run witness`) each checkpoint is sent to for co-signing. */
  witnessUrls: string[];
  witnessTimeoutMs: number;
}

/** The configuration from AUDIT_SIGNING_KEY_FILE, AUDIT_CRYPTO, AUDIT_WITNESS_DIR and AUDIT_WITNESS_URLS. */
export function checkpointerConfig(env: NodeJS.ProcessEnv = process.env): CheckpointerConfig {
  const suite = suiteOf(env);
  return {
    keyFile: env.AUDIT_SIGNING_KEY_FILE || undefined,
    signature: suite.signature,
    hash: suite.hash,
    witnessDir: env.AUDIT_WITNESS_DIR || undefined,
    witnessUrls: (env.AUDIT_WITNESS_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
    witnessTimeoutMs: Number(env.AUDIT_WITNESS_TIMEOUT_MS ?? 5000),
  };
}

/** No AUDIT_SIGNING_KEY_FILE: neither records nor checkpoints can be signed, so the API and the worker stop. */
export class NoSigningKey extends Error {
  constructor() {
    super('no AUDIT_SIGNING_KEY_FILE: audit records and checkpoints cannot be signed (npm start sets one in DATA_DIR)');
  }
}

/**
 * The key file is missing while the database records a key in force: made afresh it would be a new key nobody
 * vouched for (and whoever holds the database could start a process to write with it), so the process stops.
 */
export class SigningKeyFileMissing extends Error {
  constructor(file: string, keyId: string) {
    super(
      `${file} (AUDIT_SIGNING_KEY_FILE) is missing, but the audit trail has been signed (key ${keyId}): restore ` +
        'the key file from its backup. A new key is only made by a rotation of the file (npm run audit:rotate-key), ' +
        'never by putting another in place (docs/architecture.md, "Which keys are trusted")',
    );
  }
}

const PROBLEM_WORDS: Record<RecordProblem, string> = {
  unsigned: 'not signed',
  forged: "not signed by the application's key",
  altered: 'changed since they were written',
};

/** Records not the application's since the last checkpoint it signed: it signs no checkpoint over them. */
export class RecordsNotAuthentic extends Error {
  constructor(
    readonly treeSize: number,
    readonly problem: RecordProblem | 'checkpoint',
    readonly firstSeq: number,
    readonly count: number,
    /** Every problem found, each kind's first seqs listed (none for a checkpoint no trusted key signed). */
    readonly records: Partial<Record<RecordProblem, RecordProblemSpan>> = {},
  ) {
    super(
      problem === 'checkpoint'
        ? `a checkpoint of tree size ${treeSize} is stored that no trusted key signed: no checkpoint is signed at ` +
            'that size (run /v1/audit/verify)'
        : `${count} audit record(s) from seq ${firstSeq} are ${PROBLEM_WORDS[problem]}: ` +
            (problem === 'altered'
              ? 'no checkpoint is signed over them (restore the trail from a backup; run /v1/audit/verify)'
              : 'no checkpoint is signed over them until an audit administrator acknowledges them ' +
                '(run /v1/audit/verify)'),
    );
  }

  /**
   * Which records block the checkpoint, as a key: the refusal is written to the security log once per set, not at
   * every tick (a new bad record, or one acknowledged, makes another set).
   */
  get recordSet(): string {
    if (this.problem === 'checkpoint') return `checkpoint ${this.treeSize}`;
    return RECORD_PROBLEMS.filter((p) => this.records[p])
      .map((p) => `${p} ${this.records[p]!.firstSeq}+${this.records[p]!.count}`)
      .join(', ');
  }
}

/** Why records named for an acknowledgement cannot be acknowledged (nothing is written). */
export class NotAcknowledgeable extends Error {
  constructor(
    /** `authentic`: the application's record, or before the signing horizon; `missing`: no such record. */
    readonly kind: 'authentic' | 'missing' | 'acknowledged' | 'altered',
    readonly seqs: number[],
    message: string,
  ) {
    super(message);
  }
}

/** The acknowledgement appended: its record's seq and the records it names. */
export interface Acknowledgement {
  seq: number;
  at: Date;
  records: AcknowledgedRecord[];
}

/** How a checkpoint fared with one witness. */
export interface WitnessDelivery {
  witness: string;
  treeSize: number;
  outcome: 'accepted' | 'refused' | 'unreachable';
  reason?: string;
}

/** The name the witness directory goes by in audit_checkpoint_witnesses. */
export const WITNESS_DIRECTORY = 'directory';

export class Checkpointer {
  /** The id of the key last published in audit_public_keys by this process. */
  private published?: string;
  private running?: Promise<void>;
  private readonly trail: AuditTrailRepository;
  private readonly checkpoints: AuditCheckpointsRepository;
  private readonly security: SecurityRepository;
  /** Where refusals and failures are told (a refusal means the trail no longer extends what was witnessed). */
  report: (message: string) => void = (m) => console.error(`[audit] ${m}`);

  constructor(
    private readonly em: EntityManager,
    readonly config: CheckpointerConfig,
  ) {
    this.trail = new AuditTrailRepository(em);
    this.checkpoints = new AuditCheckpointsRepository(em);
    this.security = new SecurityRepository(em);
  }

  get hasWitnesses(): boolean {
    return !!this.config.witnessDir || this.config.witnessUrls.length > 0;
  }

  /**
   * The key of the key file, read again when the file changes (a rotation), its public keys published in the
   * database once per key. The file is made only while the database records no key at all (the first start), with
   * the signing horizon written in; else a missing file stops the process (SigningKeyFileMissing). A file from
   * before the horizon and predecessors were kept in it takes them over from the database once (adopt). The API
   * and the worker call this at their start, and before each checkpoint; never inside the trail's append lock (a
   * rotation's record is appended here).
   */
  async signingKey(): Promise<SigningKey> {
    const file = this.config.keyFile;
    if (!file) throw new NoSigningKey();
    if (!fs.existsSync(file)) {
      // Any key published before (in force or not: the application's role may write a key's end) means a key
      // file existed: made afresh it would be a key nobody vouched for. Looked at again after the query: the API
      // and the workers start together, and another may have made the file and published its key meanwhile.
      const [known] = await this.trail.publicKeys();
      if (known && !fs.existsSync(file)) throw new SigningKeyFileMissing(file, known.keyId);
      loadOrCreateKeyFile(file, this.config.signature, { signedFrom: await this.horizon() });
    }
    let key = loadSigningKey(file, this.config.signature);
    if (key.signedFrom === undefined) key = await this.adopt(file, key);
    const keyId = keyIdOf(key.publicKey);
    if (this.published !== keyId) {
      await this.publish(key);
      this.published = keyId;
    }
    return key;
  }

  /** The database's signing horizon, at most the trail's size + 1 (a row moved past the trail would skip records). */
  private async horizon(): Promise<number> {
    const [horizon, size] = await Promise.all([this.trail.signingHorizon(), this.trail.size()]);
    return Math.min(horizon, size + 1);
  }

  /**
   * A key file from before the signing horizon and the predecessors were kept in it: both taken over from the
   * database, once, and written into the file (as the database says them now: trusted on first use, as the key
   * itself was). From then on the file alone says them. A file that cannot be written stops the process: read
   * from the database at every start, the trust would be the database's again.
   */
  private async adopt(file: string, key: SigningKey): Promise<SigningKey> {
    const recorded = await this.trail.publicKeys();
    const own = recorded.find((k) => k.keyId === keyIdOf(key.publicKey));
    const now = new Date().toISOString();
    // The keys the database closed no later than the key file's own was published (a rotation of before: each
    // closed in the transaction that published the next), oldest first, made a chain as checkKey wants it.
    const closed = own
      ? recorded
          .filter(
            (k) =>
              k !== own &&
              k.keyId === keyIdOf(k.publicKey) &&
              (k.algorithm === 'ed25519' || k.algorithm === 'sm2') &&
              k.validTo !== null &&
              k.validTo.getTime() <= own.validFrom.getTime(),
          )
          .sort((a, b) => a.validTo!.getTime() - b.validTo!.getTime())
      : [];
    const predecessors: PredecessorKey[] = closed.map((k, i) => ({
      algorithm: k.algorithm as SignatureAlgorithm,
      publicKey: k.publicKey,
      ...(i > 0 ? { validFrom: closed[i - 1].validTo!.toISOString() } : {}),
      validTo: k.validTo!.toISOString(),
      adoptedAt: now,
    }));
    const adopted = checkKey(
      {
        ...key,
        ...(predecessors.length ? { validFrom: predecessors.at(-1)!.validTo, predecessors } : {}),
        signedFrom: await this.horizon(),
      },
      file,
    );
    try {
      writeKeyFile(file, adopted);
    } catch (err) {
      throw new NoRecordSigningKey(
        `${file} has no signing horizon yet and cannot be written (${(err as Error).message}): make it writable ` +
          'for one start, or add "signedFrom" (the first seq signed) to it (docs/architecture.md, "Which keys are ' +
          'trusted")',
      );
    }
    return loadSigningKey(file, this.config.signature);
  }

  /**
   * Publishes the key file's keys in audit_public_keys (GET /v1/audit/public-key and whoever reads the database
   * see them; trust does not come from there). A key a predecessor handed over to is a rotation: written on the
   * trail as `audit_signing_key_rotated` unless a record of the application's says it already (under the table's
   * lock: once, whoever publishes; a key row inserted beforehand by someone else does not suppress it).
   */
  private async publish(key: SigningKey): Promise<void> {
    const keys = trustedRecordKeys(key);
    const rotation = key.predecessors?.at(-1);
    const to = keyIdOf(key.publicKey);
    await this.trail.recordPublicKeys(keys, async (em) => {
      if (!rotation?.handover) return;
      const trail = new AuditTrailRepository(em);
      const recorded = await trail.rotationsIn(new RecordAuthenticator(keys), 0, await trail.size());
      if (recorded.some((r) => r.to === to)) return;
      await appendAudit(em, {
        at: new Date(),
        actor: 'system',
        role: 'system',
        action: SIGNING_KEY_ROTATED,
        after: {
          from: keyIdOf(rotation.publicKey),
          to,
          at: rotation.validTo,
          algorithm: key.algorithm,
          publicKey: key.publicKey,
          handover: rotation.handover,
        },
      });
    });
  }

  /**
   * The checkpoint of the trail as it stands: the one stored at its size if there is one, else a new one, signed
   * and stored. Not sent to witnesses here: see deliver().
   */
  async current(retried = false): Promise<Checkpoint> {
    const key = await this.signingKey();
    const refusal = await this.checkpoints.locked(async (repo, em) => {
      // The file read again under the lock: a rotation since (not yet published) is signed with at the next try,
      // never the key it replaced after its successor may have signed.
      if (keyIdOf(loadSigningKey(this.config.keyFile!, this.config.signature).publicKey) !== keyIdOf(key.publicKey))
        return 'rotated' as const;
      const trail = new AuditTrailRepository(em);
      const size = await trail.size();
      // Nothing is signed over a record that is not the application's: those since the last checkpoint that a
      // trusted key signed are checked first (docs/architecture.md, "Records signed by the application").
      const scope = await this.scope(key, trail, repo, size);
      const stored = await repo.at(size);
      if (stored && scope.after === size) return stripKeyId(stored);
      if (stored) return new RecordsNotAuthentic(size, 'checkpoint', size, 1);
      const alg = (await trail.treeAlgorithm()) ?? this.config.hash;
      await trail.checkRecords(scope.authenticator, alg, Math.max(scope.after, scope.signedFrom - 1), size);
      const found = scope.authenticator.first();
      if (found)
        return new RecordsNotAuthentic(size, found.problem, found.firstSeq, found.count, {
          ...scope.authenticator.problems,
        });
      const cp = signCheckpoint(
        {
          treeSize: size,
          headSeq: size,
          headHash: (size ? await trail.hashAt(size) : undefined) ?? GENESIS_HASH,
          rootHash: (await trail.overTree(alg, (t) => t.root(size))).toString('hex'),
          hashAlgorithm: alg,
          signatureAlgorithm: key.algorithm,
          publicKey: key.publicKey,
          issuedAt: new Date().toISOString(),
        },
        key,
      );
      await repo.insert(cp, keyIdOf(key.publicKey));
      return cp;
    });
    if (refusal === 'rotated') {
      if (retried) throw new Error('the signing key file changed twice while a checkpoint was being made');
      return this.current(true);
    }
    if (!(refusal instanceof RecordsNotAuthentic)) return refusal;
    // Told in the security log (outside the checkpoint's transaction): whoever holds the database appended it. Once
    // per set of records, not at every tick (the worker's, every few minutes): the 409 still answers each time.
    const written = await this.security
      .recordOnce(
        {
          at: new Date(),
          type: 'audit_checkpoint_refused',
          username: null,
          actor: 'system',
          address: null,
          detail: {
            treeSize: refusal.treeSize,
            problem: refusal.problem,
            firstSeq: refusal.firstSeq,
            count: refusal.count,
            recordSet: refusal.recordSet,
            ...refusal.records,
          },
        },
        'recordSet',
      )
      .catch((err) => {
        this.report(`could not record the refusal in the security log: ${err.message}`);
        return true;
      });
    if (written) this.report(refusal.message);
    throw refusal;
  }

  /**
   * An audit administrator's acknowledgement of records that are not the application's (docs/architecture.md,
   * "Records signed by the application"): checks, under the trail's append lock, that each seq names a record that
   * is not authentic and not acknowledged yet (else NotAcknowledgeable, nothing written), then appends a record,
   * signed like any other, naming each with its hash and problem. From then on checkpoints are signed over them
   * (they stay in the tree) and verification reports them as acknowledged by that record. The security log
   * says it too (`forged_records_acknowledged`).
   */
  async acknowledge(input: {
    seqs: number[];
    reason: string;
    actor: string;
    actorId: string;
    role: string;
    address: string | null;
  }): Promise<Acknowledgement> {
    // Read (and published) before the append lock: publishing a rotation appends a record.
    const key = await this.signingKey();
    const ack = await this.em.transaction(async (em): Promise<Acknowledgement> => {
      // The append lock first: two acknowledgements of one record take turns, and the second finds the first.
      const trail = new AuditTrailRepository(em);
      await trail.lockAppends();
      const size = await trail.size();
      const scope = await this.scope(key, trail, new AuditCheckpointsRepository(em), size);
      const alg = (await trail.treeAlgorithm()) ?? this.config.hash;
      const seqs = [...new Set(input.seqs)].sort((a, b) => a - b);
      // Acknowledgements before the last trusted checkpoint are found too (a record under it may be named again).
      for (const a of await trail.acknowledgementsIn(scope.authenticator, 0, scope.after))
        scope.authenticator.acknowledge(a.seq, a.records);
      const found = await trail.checkRecordsAt(scope.authenticator, alg, seqs);
      const missing = seqs.filter((s) => !found.has(s));
      if (missing.length)
        throw new NotAcknowledgeable('missing', missing, `no audit record has seq ${missing.join(', ')}`);
      const authentic = seqs.filter((s) => s < scope.signedFrom || !found.get(s)!.outcome);
      if (authentic.length)
        throw new NotAcknowledgeable(
          'authentic',
          authentic,
          `record(s) ${authentic.join(', ')} are the application's (signed by a trusted key, or before the signing ` +
            `horizon ${scope.signedFrom}): only records that are not are acknowledged`,
        );
      // Under the last checkpoint the application signed: its own or acknowledged then, so changed since (a
      // rewrite, not an append), which an acknowledgement would hide. It does not stop the checkpoints either.
      const altered = seqs.filter((s) => s <= scope.after && found.get(s)!.outcome === 'altered');
      if (altered.length)
        throw new NotAcknowledgeable(
          'altered',
          altered,
          `record(s) ${altered.join(', ')} were changed after checkpoint ${scope.after} that the application signed ` +
            'over them: a rewrite is not acknowledged (it does not stop the checkpoints; restore the trail from a ' +
            'backup and the witnesses)',
        );
      const acknowledged = seqs.filter((s) => found.get(s)!.outcome === 'acknowledged');
      if (acknowledged.length)
        throw new NotAcknowledgeable(
          'acknowledged',
          acknowledged,
          `record(s) ${acknowledged
            .map((s) => `${s} (by record ${scope.authenticator.acknowledgementOf(s, found.get(s)!.hash)})`)
            .join(', ')} are acknowledged already`,
        );
      const records = seqs.map((seq) => ({
        seq,
        hash: found.get(seq)!.hash,
        problem: found.get(seq)!.outcome as RecordProblem,
      }));
      const at = new Date();
      await appendAudit(em, {
        at,
        actor: input.actor,
        actorId: input.actorId,
        role: input.role,
        action: FORGED_RECORDS_ACKNOWLEDGED,
        after: { records },
        comment: input.reason,
      });
      return { seq: size + 1, at, records };
    });
    await this.security
      .record({
        at: ack.at,
        type: 'forged_records_acknowledged',
        username: null,
        actor: input.actor,
        address: input.address,
        detail: { acknowledgementSeq: ack.seq, seqs: ack.records.map((r) => r.seq), reason: input.reason },
      })
      .catch((err) => this.report(`could not record the acknowledgement in the security log: ${err.message}`));
    return ack;
  }

  /**
   * The keys whose record signatures are trusted: the key file's and the predecessors it names, each predecessor
   * bounded by the rotation records of the application's up to `upTo` (docs/architecture.md, "Which keys are
   * trusted").
   */
  async trustedKeys(key?: SigningKey, trail: AuditTrailRepository = this.trail, upTo?: number): Promise<RecordKey[]> {
    const keys = new RecordAuthenticator(trustedRecordKeys(key ?? (await this.signingKey())));
    for (const r of await trail.rotationsIn(keys, 0, upTo ?? (await trail.size()))) keys.handover(r.to, r.seq);
    return keys.trusted;
  }

  /** Whether a trusted key signed the checkpoint stored at this size (verify asks of those it cannot reproduce). */
  async signedByTrustedKey(treeSize: number): Promise<boolean> {
    const [keys, cp] = await Promise.all([this.trustedKeys(), this.checkpoints.at(treeSize)]);
    return !!cp && keys.some((k) => signedBy(k, cp));
  }

  /**
   * Which records' signatures to check, up to `upTo` records: those after the last stored checkpoint that a trusted
   * key signed (a stored checkpoint is checked newest first; one no trusted key signed, as anyone may insert, does
   * not count) and from the signing horizon on. `key`: the key file's as read by the caller (none: read here).
   */
  async scope(
    key?: SigningKey,
    trail: AuditTrailRepository = this.trail,
    checkpoints: AuditCheckpointsRepository = this.checkpoints,
    upTo?: number,
  ): Promise<SignatureScope> {
    // Without a key file (a tool verifying a database): no record past the horizon passes.
    const own = key ?? (this.config.keyFile ? await this.signingKey() : undefined);
    const size = upTo ?? (await trail.size());
    const keys = own ? await this.trustedKeys(own, trail, size) : [];
    const after = (await lastSignedBy(keys, checkpoints, size))?.treeSize ?? 0;
    const authenticator = new RecordAuthenticator(keys, after);
    // The acknowledgements since that checkpoint that are the application's own records: what they name is
    // acknowledged, not a problem (one a forger inserted is not trusted, and is itself a problem).
    for (const a of await trail.acknowledgementsIn(authenticator, after, size))
      authenticator.acknowledge(a.seq, a.records);
    // The horizon the key file was given at its first start; the database's row only without a key file.
    return { authenticator, after, signedFrom: own?.signedFrom ?? (await trail.signingHorizon()) };
  }

  /** A checkpoint if the trail grew since the last stored one, then the deliveries still owed to witnesses. */
  async tick(): Promise<WitnessDelivery[]> {
    // Whether a trusted checkpoint is stored at the trail's size, not whether any row is: rows inserted at sizes
    // ahead by whoever holds the database would otherwise stop the checkpoints in silence. Such a row at the size
    // is refused loudly by current() (the security log), and the next size is checkpointed.
    const size = await this.trail.size();
    if (size > 0 && (await lastSignedBy(await this.trustedKeys(), this.checkpoints, size))?.treeSize !== size)
      await this.current();
    return this.deliver();
  }

  /** Runs tick() in the background (after an implementation), one at a time; failures are reported, not thrown. */
  nudge(): void {
    if (this.running) return;
    this.running = this.tick()
      .then(() => undefined)
      .catch((err) => this.report(`checkpoint failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => (this.running = undefined));
  }

  /** Waits for a nudge in flight. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Ticks every `seconds` until the returned function is called. */
  schedule(seconds: number): () => Promise<void> {
    const timer = setInterval(() => this.nudge(), seconds * 1000);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.idle();
    };
  }

  /**
   * Sends the latest stored checkpoint to each witness that has not accepted it yet, with the consistency proof
   * from the last one it holds. A witness down or refusing is tried again at the next tick; the refusal is
   * reported (the trail no longer extends what that witness saw: run GET /v1/audit/verify).
   */
  async deliver(): Promise<WitnessDelivery[]> {
    if (!this.hasWitnesses) return [];
    const cp = await this.latestTrusted();
    if (!cp || cp.treeSize === 0) return [];
    const out: WitnessDelivery[] = [];
    if (this.config.witnessDir && !(await this.checkpoints.accepted(cp.treeSize, WITNESS_DIRECTORY)))
      out.push(await this.deliverToDirectory(this.config.witnessDir, stripKeyId(cp)));
    for (const url of this.config.witnessUrls)
      if (!(await this.checkpoints.accepted(cp.treeSize, url))) out.push(await this.deliverToUrl(url, stripKeyId(cp)));
    for (const d of out)
      if (d.outcome !== 'accepted')
        this.report(`witness ${d.witness} ${d.outcome} checkpoint ${d.treeSize}: ${d.reason ?? ''}`);
    return out;
  }

  /** The latest stored checkpoint a trusted key signed (rows others inserted are passed over). */
  private async latestTrusted(): Promise<Checkpoint | undefined> {
    return lastSignedBy(await this.trustedKeys(), this.checkpoints, await this.trail.size());
  }

  /** The consistency proof from `from` (a witness's last size) to `to`, hex; none when there is nothing to prove. */
  private async proof(alg: HashAlgorithm, from: number, to: number): Promise<string[]> {
    if (from < 1 || from >= to) return [];
    return (await this.trail.overTree(alg, (t) => t.consistencyProof(from, to))).map((h) => h.toString('hex'));
  }

  private async deliverToDirectory(dir: string, cp: Checkpoint): Promise<WitnessDelivery> {
    const key = await this.signingKey();
    // The directory's witness trusts the key file's public key only: a key added to the database proves nothing.
    const store = new WitnessStore(dir, [key.publicKey]);
    const oldSize = store.latest()?.treeSize ?? 0;
    const answer = store.add({
      oldSize,
      consistencyProof: await this.proof(cp.hashAlgorithm, oldSize, cp.treeSize),
      checkpoint: cp,
    });
    if (answer.kind === 'accepted') {
      await this.checkpoints.recordWitness(cp.treeSize, WITNESS_DIRECTORY, null);
      return { witness: WITNESS_DIRECTORY, treeSize: cp.treeSize, outcome: 'accepted' };
    }
    return {
      witness: WITNESS_DIRECTORY,
      treeSize: cp.treeSize,
      outcome: 'refused',
      reason: answer.kind === 'refused' ? answer.reason : `it holds tree size ${answer.treeSize}`,
    };
  }

  private async deliverToUrl(url: string, cp: Checkpoint): Promise<WitnessDelivery> {
    let oldSize = await this.checkpoints.lastAcceptedBy(url);
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await submitToWitness(
        url,
        { oldSize, consistencyProof: await this.proof(cp.hashAlgorithm, oldSize, cp.treeSize), checkpoint: cp },
        this.config.witnessTimeoutMs,
      );
      if (reply.kind === 'cosigned') {
        await this.checkpoints.recordWitness(cp.treeSize, url, reply.cosignature);
        return { witness: url, treeSize: cp.treeSize, outcome: 'accepted' };
      }
      // The witness holds another size than we recorded (it lost a reply, or was reset): prove from its own.
      if (reply.kind === 'conflict' && reply.treeSize <= cp.treeSize && attempt === 0) {
        oldSize = reply.treeSize;
        continue;
      }
      if (reply.kind === 'unreachable')
        return { witness: url, treeSize: cp.treeSize, outcome: 'unreachable', reason: reply.reason };
      return {
        witness: url,
        treeSize: cp.treeSize,
        outcome: 'refused',
        reason: reply.kind === 'refused' ? reply.reason : `it holds tree size ${reply.treeSize}`,
      };
    }
    return { witness: url, treeSize: cp.treeSize, outcome: 'refused', reason: 'the witness keeps changing its size' };
  }
}

/** The stored checkpoint of the largest size up to `size` that one of `keys` signed, newest first. */
async function lastSignedBy(
  keys: RecordKey[],
  checkpoints: AuditCheckpointsRepository,
  size: number,
): Promise<(Checkpoint & { keyId: string }) | undefined> {
  // The newest alone first (almost always the application's), then a hundred at a time past rows of others'.
  for (let offset = 0, limit = 1; ; offset += limit, limit = 100) {
    const batch = await checkpoints.upTo(size, limit, offset);
    const cp = batch.find((c) => keys.some((k) => signedBy(k, c)));
    if (cp || batch.length < limit) return cp;
  }
}

/** Whether `key` signed a stored checkpoint, within the records it may sign (a retired key: before its successor). */
function signedBy(key: RecordKey, cp: Checkpoint & { keyId: string }): boolean {
  return (
    (key.lastSeq === undefined || cp.treeSize <= key.lastSeq) &&
    verifyCheckpointSignature(stripKeyId(cp), key.publicKey)
  );
}

function stripKeyId(cp: Checkpoint & { keyId?: string }): Checkpoint {
  const { keyId: _keyId, ...rest } = cp;
  return rest;
}
