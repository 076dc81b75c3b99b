import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import {
  appendAudit,
  AuditContent,
  auditBody,
  auditDigest,
  GENESIS_HASH,
  Hash,
  HashAlgorithm,
  keyIdOf,
  signCheckpoint,
  leafHash,
  loadOrCreateKeyFile,
  MerkleAccumulator,
  SigningKey,
  signRecord,
  StoredTree,
  SUITES,
  verifyConsistency,
  verifyInclusion,
  WitnessStore,
} from '@bianzhi/audit';
import {
  AUDIT_VERIFY_RANGE,
  AuditCheckpointsRepository,
  AuditTrailRepository,
  Checkpointer,
  checkpointerConfig,
  dataSourceOptions,
  ExpectedCheckpoint,
  migrateDatabase,
  openDatabase,
  verifyAuditTrail,
} from '@bianzhi/persistence';
import { stats } from './measure';

// The audit part of `npm run bench` (bench/README.md): a valid chain of records written in bulk with its stored
// Merkle tree (audit_tree_nodes, as appendAudit writes it), in a database of its own; then at a tenth of the size
// and at the whole size: inclusion and consistency proofs through the repository calls the API's /v1/audit/proofs
// routes make, each checked with libs/audit's verify functions; the cost of a signed checkpoint and of a witness
// directory's consistency check; and /v1/audit/verify's code over the whole trail, stored checkpoints included.
// Nothing here asserts a time.

/** Records per COPY: two batches in memory at most (one being written, the next being made). */
const BATCH = 20_000;
const ALG: HashAlgorithm = 'sha256';

const hex = (h: Hash) => h.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
const ms = (t0: number) => performance.now() - t0;
const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

/** A small seeded generator: the same leaves and sizes on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Streams text into a COPY … FROM STDIN and resolves when PostgreSQL has taken it all. */
function copyIn(pg: PgClient, sql: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = pg.query(copyFrom(sql));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(text);
  });
}

/** A record of the filled trail: a committee member's vote, about 370 bytes of body as the real ones. */
function contentAt(seq: number): AuditContent {
  return {
    seq: String(seq),
    at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    actor: `member${seq % 7}`,
    actorId: null,
    role: 'committee_member',
    action: 'voted',
    requestId: null,
    workflowId: null,
    runId: null,
    stepKey: null,
    before: { status: 'committee' },
    after: { status: 'committee', ballots: seq % 7 },
    comment: '同意',
  };
}

/**
 * Writes a valid chain in bulk: each record's body and hash (COPY into audit_records, whose other columns PostgreSQL
 * generates) and the tree nodes it completes (COPY into audit_tree_nodes), computed by libs/audit's
 * MerkleAccumulator, the rule appendAudit's nodesCompletedBy follows (merkle-store.ts; its spec compares them).
 * The accumulator keeps only the tree's right edge, so memory stays flat however long the trail.
 */
class TrailFiller {
  private readonly tree = new MerkleAccumulator(ALG);
  private prev = GENESIS_HASH;

  constructor(
    private readonly records: PgClient,
    private readonly nodes: PgClient,
    /** The application's key: every record carries its signature, as appendAudit writes it (record-signature.ts). */
    private readonly key: SigningKey,
  ) {}

  get size(): number {
    return this.tree.size;
  }

  /** The root at the current size, from the records' hashes alone (not from the stored nodes). */
  root(): Hash {
    return this.tree.root();
  }

  /**
   * A checkpoint signed and stored at the size filled, as the service's periodic checkpoints would have been over
   * the years the trail grew: the next one then checks the records since, not the whole fill.
   */
  async checkpoint(): Promise<void> {
    const cp = signCheckpoint(
      {
        treeSize: this.size,
        headSeq: this.size,
        headHash: this.prev,
        rootHash: this.root().toString('hex'),
        hashAlgorithm: ALG,
        signatureAlgorithm: this.key.algorithm,
        publicKey: this.key.publicKey,
        issuedAt: new Date().toISOString(),
      },
      this.key,
    );
    await this.records.query(
      `INSERT INTO audit_checkpoints (tree_size, head_hash, root_hash, hash_alg, signature_alg, key_id, public_key,
         signed_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        cp.treeSize,
        cp.headHash,
        cp.rootHash,
        ALG,
        cp.signatureAlgorithm,
        keyIdOf(cp.publicKey),
        cp.publicKey,
        cp.issuedAt,
        cp.signature,
      ],
    );
  }

  /** Takes in records appended meanwhile by appendAudit (which wrote their nodes itself). */
  async catchUp(): Promise<void> {
    const { rows } = await this.records.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM audit_records WHERE seq > $1 ORDER BY seq',
      [this.size],
    );
    for (const r of rows) {
      if (Number(r.seq) !== this.size + 1) throw new Error(`the trail has a gap before ${r.seq}`);
      this.tree.push(leafHash(ALG, unhex(r.hash)));
      this.prev = r.hash;
    }
  }

  private batch(from: number, to: number): { records: string; nodes: string } {
    const records: string[] = [];
    const nodes: string[] = [];
    for (let seq = from; seq <= to; seq++) {
      const body = auditBody(contentAt(seq), this.prev, ALG);
      const hash = (this.prev = auditDigest(ALG, body));
      const signed = signRecord(this.key, hash);
      // COPY's text format: a backslash is written twice (JSON's own escapes); JSON has no raw tab or newline.
      records.push(`${body.replace(/\\/g, '\\\\')}\t${hash}\t${signed.keyId}\t${signed.signature}\n`);
      for (const n of this.tree.push(leafHash(ALG, unhex(hash))))
        nodes.push(`${n.level}\t${n.index}\t\\\\x${hex(n.hash)}\n`);
    }
    return { records: records.join(''), nodes: nodes.join('') };
  }

  /** Appends records up to seq `to`; the next batch is made while PostgreSQL takes the last. */
  async fillTo(to: number): Promise<void> {
    let writing: Promise<unknown> = Promise.resolve();
    for (let from = this.size + 1; from <= to; from += BATCH) {
      const b = this.batch(from, Math.min(from + BATCH - 1, to));
      await writing;
      writing = Promise.all([
        copyIn(this.records, 'COPY audit_records (body, hash, signature_key_id, signature) FROM STDIN', b.records),
        copyIn(this.nodes, 'COPY audit_tree_nodes (level, idx, hash) FROM STDIN', b.nodes),
      ]);
    }
    await writing;
  }
}

/**
 * Proofs as GET /v1/audit/proofs/inclusion and /consistency make them (AuditLogService: the trail's size for the
 * bounds check, the tree's algorithm, then one read of the O(log n) stored nodes the computation needs), timed
 * from the first query to the hex answer; each then checked with verifyInclusion / verifyConsistency, its leaf
 * against the record's stored hash and its root at the whole size against the filler's.
 */
async function proofBench(ds: DataSource, size: number, expectedRoot: Hash, count: number, dossiers: number) {
  const trail = new AuditTrailRepository(ds.manager);
  const next = random(size);
  const answer = async <T>(bound: number, run: (tree: StoredTree) => T) => {
    const current = await trail.size();
    if (bound < 1 || bound > current) throw new Error(`outside the trail's size ${current}`);
    const alg = (await trail.treeAlgorithm()) ?? ALG;
    return { alg, value: await trail.overTree(alg, run) };
  };
  const inclusion: number[] = [];
  const consistency: number[] = [];
  const dossier: number[] = [];
  let checkMs = 0;
  let checked = 0;
  const failed: string[] = [];
  const fail = (what: string) => failed.length < 10 && failed.push(what);

  for (let i = 0; i < count; i++) {
    const seq = 1 + Math.floor(next() * size);
    const t0 = performance.now();
    const { alg, value: p } = await answer<{ leafHash: string; rootHash: string; proof: string[] }>(size, (t) => ({
      leafHash: hex(t.leaf(seq - 1)),
      rootHash: hex(t.root(size)),
      proof: t.inclusionProof(seq - 1, size).map(hex),
    }));
    inclusion.push(ms(t0));
    const t1 = performance.now();
    const ok = verifyInclusion(alg, seq - 1, size, unhex(p.leafHash), p.proof.map(unhex), unhex(p.rootHash));
    checkMs += ms(t1);
    checked += 1;
    const stored = await trail.hashAt(seq);
    if (!ok || !stored || p.leafHash !== hex(leafHash(alg, unhex(stored))) || p.rootHash !== hex(expectedRoot))
      fail(`inclusion of ${seq} in ${size}`);
  }

  for (let i = 0; i < count; i++) {
    const a = 1 + Math.floor(next() * size);
    const b = 1 + Math.floor(next() * size);
    const [from, to] = a === b ? [Math.max(1, a - 1), a] : [Math.min(a, b), Math.max(a, b)];
    const t0 = performance.now();
    const { alg, value: p } = await answer<{ fromRoot: string; toRoot: string; proof: string[] }>(to, (t) => ({
      fromRoot: hex(t.root(from)),
      toRoot: hex(t.root(to)),
      proof: t.consistencyProof(from, to).map(hex),
    }));
    consistency.push(ms(t0));
    const t1 = performance.now();
    const ok = verifyConsistency(alg, from, to, unhex(p.fromRoot), unhex(p.toRoot), p.proof.map(unhex));
    checkMs += ms(t1);
    checked += 1;
    if (!ok || (to === size && p.toRoot !== hex(expectedRoot))) fail(`consistency ${from} → ${to}`);
  }

  // A dossier's proofs (GET /v1/change-requests/:id/dossier): one request's twenty records, one read of the nodes.
  for (let i = 0; i < dossiers; i++) {
    const seqs = Array.from({ length: 20 }, () => 1 + Math.floor(next() * size));
    const t0 = performance.now();
    const { alg, value } = await answer<{ root: string; leaves: string[]; proofs: string[][] }>(size, (t) => ({
      root: hex(t.root(size)),
      leaves: seqs.map((s) => hex(t.leaf(s - 1))),
      proofs: seqs.map((s) => t.inclusionProof(s - 1, size).map(hex)),
    }));
    dossier.push(ms(t0));
    const allValid = seqs.every((s, k) =>
      verifyInclusion(alg, s - 1, size, unhex(value.leaves[k]), value.proofs[k].map(unhex), unhex(value.root)),
    );
    if (!allValid || value.root !== hex(expectedRoot)) fail(`dossier of ${seqs.length} at ${size}`);
  }

  return {
    inclusion: stats(inclusion),
    consistency: stats(consistency),
    dossierOf20: stats(dossier),
    /** Every proof above was checked; these are the ones that did not hold (none expected). */
    proofsChecked: checked + dossiers * 20,
    proofsInvalid: failed,
    verifyMicrosecondsPerProof: round((checkMs * 1000) / Math.max(checked, 1)),
  };
}

/** Rows and pages the user tables have given so far (pg_stat, pg_statio), as PostgreSQL counts them. */
async function tableReads(pg: PgClient): Promise<{ rows: number; pages: number; inserted: number }> {
  const { rows } = await pg.query<{ rows: string; pages: string; inserted: string }>(
    `SELECT (SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables)
          + (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes) AS rows,
            (SELECT coalesce(sum(heap_blks_read + heap_blks_hit), 0)
                  + coalesce(sum(coalesce(idx_blks_read, 0) + coalesce(idx_blks_hit, 0)), 0)
             FROM pg_statio_user_tables) AS pages,
            (SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables) AS inserted`,
  );
  return { rows: Number(rows[0].rows), pages: Number(rows[0].pages), inserted: Number(rows[0].inserted) };
}

/**
 * Checkpoints as the worker and GET /v1/audit/checkpoint make them (Checkpointer.current: the trail's size, head
 * and Merkle root from the stored tree, signed with the key file, stored), one after each appended record, then
 * delivered to a witness directory as Checkpointer.deliver does (a consistency proof from the witness's last, which
 * the witness checks with its pinned key and verifyConsistency before it keeps the file). All on one connection,
 * so that PostgreSQL's statistics, flushed before and after, count the rows and pages this work alone read.
 */
async function checkpointBench(url: string, dir: string, rounds: number) {
  const ds = new DataSource(
    dataSourceOptions(url, { extra: { max: 1, connectionTimeoutMillis: 3000, statement_timeout: 15000 } }),
  );
  await ds.initialize();
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  const witnessDir = path.join(dir, 'witness');
  const checkpointer = new Checkpointer(
    ds.manager,
    checkpointerConfig({ AUDIT_SIGNING_KEY_FILE: path.join(dir, 'audit-signing.key'), AUDIT_WITNESS_DIR: witnessDir }),
  );
  checkpointer.report = () => undefined;
  await checkpointer.signingKey();
  // The first checkpoint over what the bulk fill wrote checks the signature of every record since the last trusted
  // checkpoint (here: all of them), as a first checkpoint after a long outage would; timed apart from the rounds.
  const unchecked = await new AuditTrailRepository(ds.manager).size(); // less the last checkpoint's size, if any
  const t = performance.now();
  await checkpointer.current();
  const firstCheckpoint = { trailSize: unchecked, ms: Math.round(ms(t)) };
  const flush = () => ds.query('SELECT pg_stat_force_next_flush()');
  const make: number[] = [];
  const deliver: number[] = [];
  const witnessCheck: number[] = [];
  const rowsRead: number[] = [];
  const pagesRead: number[] = [];
  const rowsWritten: number[] = [];
  let firstDelivery: { fromSize: number; toSize: number; ms: number } | undefined;
  const refused: string[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      await ds.transaction((em) =>
        appendAudit(em, { actor: 'bench', role: 'auditor', action: 'checkpoint_bench', comment: `round ${i}` }),
      );
      await flush();
      const before = await tableReads(pg);
      let t0 = performance.now();
      const cp = await checkpointer.current();
      make.push(ms(t0));
      await flush();
      const after = await tableReads(pg);
      rowsRead.push(after.rows - before.rows);
      pagesRead.push(after.pages - before.pages);
      rowsWritten.push(after.inserted - before.inserted);
      const last = new WitnessStore(witnessDir, []).latest();
      t0 = performance.now();
      const [d] = await checkpointer.deliver();
      deliver.push(ms(t0));
      if (!d || d.outcome !== 'accepted') refused.push(`${cp.treeSize}: ${d?.outcome} ${d?.reason ?? ''}`);
      if (i === 0) firstDelivery = { fromSize: last?.treeSize ?? 0, toSize: cp.treeSize, ms: round(deliver[0]) };
    }
    // The witness's own check of each checkpoint of this round against the one it kept before, alone: the
    // consistency proof between them (from the stored tree) and its verification, as the witness does on each add.
    const kept = new WitnessStore(witnessDir, []).all();
    const trail = new AuditTrailRepository(ds.manager);
    for (let i = Math.max(1, kept.length - rounds); i < kept.length; i++) {
      const [a, b] = [kept[i - 1], kept[i]];
      const t0 = performance.now();
      const proof = await trail.overTree(b.hashAlgorithm, (t) => t.consistencyProof(a.treeSize, b.treeSize));
      const ok = verifyConsistency(
        b.hashAlgorithm,
        a.treeSize,
        b.treeSize,
        unhex(a.rootHash),
        unhex(b.rootHash),
        proof,
      );
      witnessCheck.push(ms(t0));
      if (!ok) refused.push(`${a.treeSize} → ${b.treeSize}: not consistent`);
    }
  } finally {
    await pg.end();
    await ds.destroy();
  }
  const minMax = (xs: number[]) => ({ min: Math.min(...xs), p50: stats(xs).p50, max: Math.max(...xs) });
  return {
    rounds,
    firstCheckpoint,
    makeSignStore: stats(make),
    rowsRead: minMax(rowsRead),
    pagesRead: minMax(pagesRead),
    rowsWritten: minMax(rowsWritten),
    deliverToWitnessDirectory: stats(deliver),
    firstDelivery,
    witnessConsistencyCheck: stats(witnessCheck),
    refused,
  };
}

/**
 * /v1/audit/verify's code over the whole trail: the chain alone (as the runs before checkpoints measured it), or
 * with every stored and witnessed checkpoint to reproduce (what the API does), which builds the tree as it reads.
 */
async function verifyBench(ds: DataSource, witnessDir: string | null) {
  const expected: ExpectedCheckpoint[] = witnessDir
    ? [
        ...(await new AuditCheckpointsRepository(ds.manager).roots()).map((r) => ({ ...r, source: 'stored' })),
        ...new WitnessStore(witnessDir, []).all().map((cp) => ({ ...cp, source: 'witness directory' })),
      ]
    : [];
  let peak = 0;
  const base = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - base)), 50);
  const t0 = performance.now();
  const result = await verifyAuditTrail(ds, AUDIT_VERIFY_RANGE, expected);
  const seconds = ms(t0) / 1000;
  clearInterval(sampler);
  if (!result.valid || result.checkpointMismatch) throw new Error(`verify: ${JSON.stringify(result)}`);
  return {
    records: result.records,
    checkpoints: expected.length,
    seconds: round(seconds, 2),
    recordsPerSecond: Math.round(result.records / seconds),
    rssGrowthMiB: round(peak / 2 ** 20),
  };
}

async function databaseSize(pg: PgClient) {
  const { rows } = await pg.query<{ db: string; records: string; nodes: string }>(
    `SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('audit_records') AS records,
            pg_total_relation_size('audit_tree_nodes') AS nodes`,
  );
  const mib = (x: string) => Math.round(Number(x) / 2 ** 20);
  return { databaseMiB: mib(rows[0].db), auditRecordsMiB: mib(rows[0].records), treeNodesMiB: mib(rows[0].nodes) };
}

export interface AuditBenchOptions {
  /** The whole size (1,000,000; 100,000 quick; BENCH_AUDIT_RECORDS); a tenth of it is measured first. */
  records: number;
  /** Proofs of each kind per size (≥ 1,000). */
  proofs: number;
  /** Checkpoints made per size. */
  checkpoints: number;
  /** Where the signing key and the witness directory go (removed with the run's data). */
  dir: string;
}

/** The audit part: `baseUrl` is the stack's PostgreSQL as its owner; the part makes and uses `bench_audit`. */
export async function auditBench(baseUrl: string, o: AuditBenchOptions) {
  const url = new URL(baseUrl);
  url.pathname = '/bench_audit';
  const admin = new PgClient({ connectionString: baseUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_audit');
  await admin.query('CREATE DATABASE bench_audit');
  await admin.end();
  await migrateDatabase(url.toString());
  const ds = await openDatabase(url.toString());
  const [records, nodes] = [1, 2].map(() => new PgClient({ connectionString: url.toString() }));
  for (const pg of [records, nodes]) await pg.connect();
  fs.mkdirSync(o.dir, { recursive: true });
  // The application's signing key, as the API and the worker hold it (a file outside the database): the fill signs
  // every record with it, and appendAudit in this process (the checkpoints' rounds) reads it from the environment.
  // Made with the horizon of the empty trail (every record signed); its public key published as the API would, so
  // that the filler's checkpoint may name it.
  const keyFile = path.join(o.dir, 'audit-signing.key');
  process.env.AUDIT_SIGNING_KEY_FILE = keyFile;
  const key = loadOrCreateKeyFile(keyFile, SUITES.standard.signature, { signedFrom: 1 });
  await records.query(
    "INSERT INTO audit_public_keys (key_id, algorithm, public_key, valid_from) VALUES ($1, $2, $3, '2000-01-01')",
    [keyIdOf(key.publicKey), key.algorithm, key.publicKey],
  );
  const filler = new TrailFiller(records, nodes, key);
  const sizes = [];
  try {
    for (const size of [Math.round(o.records / 10), o.records]) {
      await filler.catchUp();
      const from = filler.size;
      const t0 = performance.now();
      await filler.fillTo(size);
      const fillSeconds = ms(t0) / 1000;
      // The first checkpoint over a long unchecked stretch is timed at the tenth size (firstCheckpoint); the whole
      // size's fill ends checkpointed, as service would have left it (else that stretch is 90 % of the trail).
      if (size === o.records && size > from) await filler.checkpoint();
      console.log(`  audit: ${size} records (${round(fillSeconds)} s to fill ${size - from}); proofs`);
      // Fresh statistics for the planner, as autovacuum would have them on a trail that grew over years.
      await records.query('VACUUM ANALYZE audit_records');
      await records.query('VACUUM ANALYZE audit_tree_nodes');
      const proofs = await proofBench(ds, size, filler.root(), o.proofs, Math.max(100, o.proofs / 10));
      console.log(
        `  audit: inclusion p50/p99 ${proofs.inclusion.p50}/${proofs.inclusion.p99} ms, consistency ` +
          `${proofs.consistency.p50}/${proofs.consistency.p99} ms, ${proofs.proofsInvalid.length} invalid; checkpoints`,
      );
      const checkpoints = await checkpointBench(url.toString(), o.dir, o.checkpoints);
      console.log(
        `  audit: checkpoint p50/p99 ${checkpoints.makeSignStore.p50}/${checkpoints.makeSignStore.p99} ms, ` +
          `${checkpoints.rowsRead.p50} rows read; verification`,
      );
      const verification = {
        chainOnly: await verifyBench(ds, null),
        withCheckpoints: await verifyBench(ds, path.join(o.dir, 'witness')),
      };
      sizes.push({
        records: size,
        fill: {
          records: size - from,
          seconds: round(fillSeconds),
          recordsPerSecond: Math.round((size - from) / fillSeconds),
        },
        proofs,
        checkpoints,
        verification,
        ...(await databaseSize(records)),
      });
    }
  } finally {
    for (const pg of [records, nodes]) await pg.end();
    await ds.destroy();
  }
  return { sizes, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}
