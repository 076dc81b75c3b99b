import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import {
  auditDigest,
  canonicalJson,
  Checkpoint,
  generateSigningKey,
  HashAlgorithm,
  keyIdOf,
  leafHash,
  loadOrCreateKeyFile,
  MerkleAccumulator,
  signCheckpoint,
  SigningKey,
  submitToWitness,
  verifyCheckpointSignature,
  verifyCosignature,
} from '@bianzhi/audit';
import { freePort, stopProcess } from '@bianzhi/dev-services';
import {
  AuditCheckpointsRepository,
  AuditTrailRepository,
  Checkpointer,
  WITNESS_DIRECTORY,
} from '@bianzhi/persistence';
import { AuditLogService } from '../apps/api/src/audit/audit-log.service';
import { County, seedCounty, until } from './support/county';
import { createSubmitted, implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Witnessed checkpoints against the insider with the database (docs/architecture.md, "Checkpoints and
// witnesses"): a checkpoint stored and witnessed after each implementation; a ballot rewritten as a superuser, every
// later hash and the Merkle tree recomputed, so that the chain itself verifies. The stored checkpoints and the
// witnesses' copies no longer match it, the witnesses refuse the checkpoint the log signs over the forgery, and the
// signing key is not in the database for the forger to sign with.

const WITNESS = path.resolve(__dirname, '../dist/scripts/witness.js');

let stack: Stack;
let c: County;
let superuser: PgClient;
let home: string;
let logKey: { publicKey: string };
let requestId: string;
const witnesses: ChildProcess[] = [];
let witnessUrl: string;
let lateUrl: string;
let latePort: number;

/** Starts `npm run witness` pinning the log's key, and answers its URL. */
async function startWitness(name: string, port = 0): Promise<string> {
  const child = spawn(process.execPath, [WITNESS], {
    env: {
      ...process.env,
      WITNESS_LOG_PUBLIC_KEY_FILE: path.join(home, 'log.pub'),
      WITNESS_DIR: path.join(home, name, 'checkpoints'),
      WITNESS_KEY_FILE: path.join(home, name, 'witness.key'),
      WITNESS_NAME: name,
      WITNESS_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  witnesses.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+),/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.stderr!.on('data', (d) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the witness exited (${code}): ${out}`)));
  });
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'witness-'));
  // The log's key file, made as the API would on first use; its public key is what the witnesses pin.
  const keyFile = path.join(home, 'audit-signing.key');
  logKey = loadOrCreateKeyFile(keyFile, 'ed25519');
  fs.writeFileSync(path.join(home, 'log.pub'), logKey.publicKey);
  witnessUrl = await startWitness('审计局');
  // A second witness named from the start but down until later: checkpoints go on without it.
  latePort = await freePort();
  lateUrl = `http://127.0.0.1:${latePort}`;
  stack = await startStack({
    env: {
      AUDIT_SIGNING_KEY_FILE: keyFile,
      AUDIT_WITNESS_DIR: path.join(home, 'log-witness'),
      AUDIT_WITNESS_URLS: `${witnessUrl},${lateUrl}`,
      AUDIT_WITNESS_TIMEOUT_MS: '3000',
    },
  });
  c = await seedCounty(stack);
  superuser = new PgClient({ connectionString: stack.ownerUrl });
  await superuser.connect();
  requestId = (
    await implement(c, 'clerk_housing', {
      type: 'ADD_NAME_PLATE',
      unitId: c.units.housing,
      title: '加挂牌子',
      payload: { unitId: c.units.housing, namePlate: '县住房保障服务中心' },
    })
  ).id;
});
afterAll(async () => {
  await superuser?.end();
  await stack?.stop();
  for (const w of witnesses) await stopProcess(w);
});

const auditor = () => c.users.auditor.api;
const checkpointer = (): Checkpointer => stack.app.get(AuditLogService).checkpointer;
const stored = async (): Promise<(Checkpoint & { keyId: string; witnesses: { witness: string }[] })[]> =>
  (await auditor().get('/v1/audit/checkpoints')).body;

it('stores a signed checkpoint after an implementation, kept by the directory, co-signed by the witness', async () => {
  // The worker signs it in the background once the implementation has committed.
  const implemented = (await auditor().get(`/v1/audit?requestId=${requestId}&action=implemented`)).body[0];
  const first = await until('a checkpoint of the implementation, witnessed', stored, (cps) =>
    cps.some((cp) => cp.treeSize >= implemented.seq && cp.witnesses.length >= 2),
  );
  const cp = first.find((x) => x.treeSize >= implemented.seq && x.witnesses.length >= 2)!;
  const key = (await auditor().get('/v1/audit/public-key')).body;
  expect(key.publicKey).toBe(logKey.publicKey);
  expect(key.keys).toEqual([expect.objectContaining({ keyId: key.keyId, validTo: null })]);
  expect(cp.keyId).toBe(key.keyId);
  const { keyId: _k, signedAt: _s, witnesses: _w, ...signed } = cp as unknown as Checkpoint & Record<string, unknown>;
  expect(verifyCheckpointSignature(signed as Checkpoint, logKey.publicKey)).toBe(true);
  const byWitness = Object.fromEntries(
    (cp.witnesses as { witness: string; cosignature: never }[]).map((w) => [w.witness, w.cosignature]),
  );
  expect(byWitness[WITNESS_DIRECTORY]).toBeNull();
  const witnessKey = (await (await fetch(`${witnessUrl}/public-key`)).json()) as { publicKey: string };
  expect(verifyCosignature(signed as Checkpoint, byWitness[witnessUrl], witnessKey.publicKey)).toBe(true);
  const file = path.join(home, 'log-witness', `${String(cp.treeSize).padStart(16, '0')}.json`);
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).rootHash).toBe(cp.rootHash);
  // The witness that is down: the checkpoint is stored all the same, and waits for it.
  expect(cp.witnesses.map((w) => w.witness)).not.toContain(lateUrl);
});

it('answers the stored checkpoint while the trail has not grown, and sends it to a witness come back', async () => {
  await checkpointer().idle();
  const now = await checkpointer().current();
  const again = (await auditor().get('/v1/audit/checkpoint')).body;
  expect(again).toEqual(now);
  const count = (await stored()).length;
  expect((await auditor().get('/v1/audit/checkpoint')).body.signature).toBe(now.signature);
  expect((await stored()).length).toBe(count);

  await startWitness('纪委监委', latePort);
  await checkpointer().idle();
  const deliveries = await checkpointer().tick();
  expect(deliveries).toEqual([{ witness: lateUrl, treeSize: now.treeSize, outcome: 'accepted' }]);
  const latest = (await stored()).pop()!;
  expect(latest.witnesses.map((w) => w.witness).sort()).toEqual([WITNESS_DIRECTORY, witnessUrl, lateUrl].sort());
  expect((await auditor().get('/v1/audit/verify')).body).toMatchObject({ valid: true });
});

/** Runs SQL as the database superuser with the append-only triggers bypassed: the forger's power. */
async function asForger(sql: string, params: unknown[] = []) {
  await superuser.query('SET session_replication_role = replica');
  try {
    return await superuser.query(sql, params);
  } finally {
    await superuser.query('SET session_replication_role = DEFAULT');
  }
}

/** Rewrites record `seq` with `edit`, every later record's link and hash, and the stored Merkle tree. */
async function rewriteFrom(seq: number, edit: (body: string) => string): Promise<void> {
  const { rows } = await superuser.query('SELECT seq, body, hash, hash_alg FROM audit_records ORDER BY seq');
  const alg: HashAlgorithm = rows[0].hash_alg;
  let prev: string | undefined;
  const tree = new MerkleAccumulator(alg);
  const nodes: { level: number; index: number; hash: Buffer }[] = [];
  for (const r of rows) {
    let { body, hash } = r as { body: string; hash: string };
    if (Number(r.seq) >= seq) {
      const content = JSON.parse(Number(r.seq) === seq ? edit(body) : body);
      if (prev) content.prevHash = prev;
      body = canonicalJson(content);
      hash = auditDigest(alg, body);
      await asForger('UPDATE audit_records SET body = $1, hash = $2 WHERE seq = $3', [body, hash, r.seq]);
    }
    prev = hash;
    nodes.push(...tree.push(leafHash(alg, Buffer.from(hash, 'hex'))));
  }
  await asForger('DELETE FROM audit_tree_nodes');
  for (const n of nodes)
    await asForger('INSERT INTO audit_tree_nodes (level, idx, hash) VALUES ($1, $2, $3)', [n.level, n.index, n.hash]);
}

it('finds a ballot rewritten and every later hash recomputed; witnesses refuse what is signed over it', async () => {
  await checkpointer().idle();
  const before = await stored();
  const ballot = (await auditor().get(`/v1/audit?requestId=${requestId}&action=voted`)).body[0];
  expect(ballot.after).toBeTruthy();
  await rewriteFrom(ballot.seq, (body) => body.replace('"approve"', '"reject"'));
  const forged = (await superuser.query('SELECT body FROM audit_records WHERE seq = $1', [ballot.seq])).rows[0].body;
  expect(forged).toContain('"reject"');

  // The chain verifies: only the checkpoints show it.
  const firstAfter = before.find((cp) => cp.treeSize >= ballot.seq)!;
  const report = (await auditor().get('/v1/audit/verify')).body;
  expect(report).toMatchObject({
    valid: false,
    checkpointMismatch: { treeSize: firstAfter.treeSize, expectedRoot: firstAfter.rootHash, source: 'stored' },
  });
  expect(report).not.toHaveProperty('firstBrokenSeq');
  expect(report.checkpointMismatch.foundRoot).not.toBe(firstAfter.rootHash);
  // The stored checkpoints removed too: the witness directory still has them.
  await asForger('DELETE FROM audit_checkpoint_witnesses');
  await asForger('DELETE FROM audit_checkpoints');
  expect((await auditor().get('/v1/audit/verify')).body).toMatchObject({
    valid: false,
    checkpointMismatch: { treeSize: firstAfter.treeSize, source: 'witness directory' },
  });

  // The trail grows over the forgery: the rewritten records' signatures no longer match their hashes, so the log
  // refuses to sign (docs/architecture.md, "Records signed by the application").
  await createSubmitted(c, 'clerk_health', {
    type: 'RENAME_UNIT',
    unitId: c.units.health,
    title: 't',
    payload: { unitId: c.units.health, newName: '县卫健局' },
  });
  const refused = await auditor().get('/v1/audit/checkpoint');
  expect(refused.body).toMatchObject({ code: 'RECORD_NOT_AUTHENTIC', details: [{ firstSeq: ballot.seq }] });
  // Had it signed (as before records were signed, or with its key stolen), no witness takes it.
  const trail = new AuditTrailRepository(stack.db.manager);
  const size = await trail.size();
  const signedOverForgery = signCheckpoint(
    {
      treeSize: size,
      headSeq: size,
      headHash: (await trail.hashAt(size))!,
      rootHash: (await trail.overTree('sha256', (t) => t.root(size))).toString('hex'),
      hashAlgorithm: 'sha256',
      signatureAlgorithm: 'ed25519',
      publicKey: logKey.publicKey,
      issuedAt: new Date().toISOString(),
    },
    logKey as SigningKey,
  );
  await new AuditCheckpointsRepository(stack.db.manager).insert(signedOverForgery, keyIdOf(logKey.publicKey));
  expect(verifyCheckpointSignature(signedOverForgery, logKey.publicKey)).toBe(true);
  await checkpointer().idle();
  const told: string[] = [];
  checkpointer().report = (m) => told.push(m);
  const deliveries = await checkpointer().deliver();
  expect(told).toHaveLength(3);
  expect(deliveries.map((d) => [d.witness, d.outcome])).toEqual([
    [WITNESS_DIRECTORY, 'refused'],
    [witnessUrl, 'refused'],
    [lateUrl, 'refused'],
  ]);
  for (const d of deliveries) expect(d.reason).toMatch(/not consistent/);
  expect(fs.readdirSync(path.join(home, 'log-witness'))).not.toContain(
    `${String(signedOverForgery.treeSize).padStart(16, '0')}.json`,
  );
  const held = (await (await fetch(`${witnessUrl}/checkpoint`)).json()) as Checkpoint;
  expect(held.treeSize).toBeLessThan(signedOverForgery.treeSize);

  // Nor can the forger sign one of its own: no private key in the database, and its own key is not the pinned one.
  const privateColumns = await superuser.query(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND (column_name ILIKE '%private%' OR table_name ILIKE '%signing%')`,
  );
  expect(privateColumns.rows).toEqual([]);
  const own = generateSigningKey('ed25519');
  await asForger(
    `INSERT INTO audit_public_keys (key_id, algorithm, public_key, valid_from) VALUES ('forger', 'ed25519', $1, now())`,
    [own.publicKey],
  );
  const { signature: _sig, ...body } = signedOverForgery;
  const selfSigned = signCheckpoint({ ...body, publicKey: own.publicKey }, own);
  expect(verifyCheckpointSignature(selfSigned, logKey.publicKey)).toBe(false);
  expect(
    await submitToWitness(witnessUrl, { oldSize: held.treeSize, consistencyProof: [], checkpoint: selfSigned }),
  ).toMatchObject({ kind: 'refused', badSignature: true });
});
