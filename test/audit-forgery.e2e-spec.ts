import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  appendAudit,
  generateSigningKey,
  handoverMessage,
  KEY_VALIDITY_TOLERANCE_MS,
  keyIdOf,
  parseKey,
  recordSignatureMessage,
  rotateKeyFile,
  signCheckpoint,
  signMessage,
  SigningKey,
  verifyMessage,
  writeKeyFile,
} from '@bianzhi/audit';
import { Checkpointer, checkpointerConfig, SigningKeyFileMissing } from '@bianzhi/persistence';
import { AuditLogService } from '../apps/api/src/audit/audit-log.service';
import { County, seedCounty } from './support/county';
import { forge } from './support/forgery';
import { implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Records signed by the application (docs/architecture.md, "Records signed by the application"; the security
// review's C2 point 6): whoever holds the database, as the application's role or as the owner, can append a
// well-formed record (the right predecessor, digest and Merkle tree nodes), but not one signed with the key file's
// key. Verification names it, the next checkpoint is refused and the refusal is written to the security log.

let stack: Stack;
let c: County;
const reports: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  // The refusals this test provokes are reported; kept for the assertions instead of printed.
  stack.app.get(AuditLogService).checkpointer.report = (m) => reports.push(m);
  c = await seedCounty(stack);
  await implement(c, 'clerk_housing', {
    type: 'ADD_NAME_PLATE',
    unitId: c.units.housing,
    title: '加挂牌子',
    payload: { unitId: c.units.housing, namePlate: '县住房保障服务中心' },
  });
});
afterAll(() => stack?.stop());

const auditor = () => c.users.auditor.api;

const signedWith =
  (key: SigningKey, keyId = keyIdOf(key.publicKey)) =>
  (hash: string) => ({
    keyId,
    signature: signMessage(key, recordSignatureMessage(hash, keyId)),
  });

let unsignedSeq: number;

it('verifies the records of a normal lifecycle, each signed, and checkpoints them', async () => {
  const records = (await auditor().get('/v1/audit?limit=5000')).body as { seq: number; signatureKeyId: string }[];
  const key = (await auditor().get('/v1/audit/public-key')).body;
  expect(records.length).toBeGreaterThan(20);
  expect(records.every((r) => r.signatureKeyId === key.keyId)).toBe(true);
  const cp = (await auditor().get('/v1/audit/checkpoint')).body;
  expect(cp.treeSize).toBe(records.length);
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified).toMatchObject({ valid: true, records: records.length, signaturesCheckedAfter: cp.treeSize });
  expect(verified.unsignedRecords).toBeUndefined();
  expect(verified.forgedRecords).toBeUndefined();
});

it("finds an unsigned record appended as the application's role, and refuses to checkpoint over it", async () => {
  const before = (await auditor().get('/v1/audit/verify')).body;
  unsignedSeq = await forge(stack.db, () => null);
  // A record of the application after it: the trail goes on, and the forgery is not hidden behind it.
  await stack.db.transaction((em) => appendAudit(em, { actor: 'system', role: 'system', action: 'test_after' }));
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified).toMatchObject({
    valid: false,
    records: before.records + 2,
    signaturesCheckedAfter: before.signaturesCheckedAfter,
    unsignedRecords: { firstSeq: unsignedSeq, count: 1 },
  });
  // The chain and the tree are right: only the signature tells the forgery.
  expect(verified.firstBrokenSeq).toBeUndefined();
  expect(verified.checkpointMismatch).toBeUndefined();
  expect(verified.forgedRecords).toBeUndefined();

  const refused = await auditor().get('/v1/audit/checkpoint');
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({
    statusCode: 409,
    error: 'Conflict',
    code: 'RECORD_NOT_AUTHENTIC',
    details: [{ treeSize: before.records + 2, problem: 'unsigned', firstSeq: unsignedSeq, count: 1 }],
  });
  expect(refused.body.message).toContain(`seq ${unsignedSeq}`);
  expect(reports).toContainEqual(expect.stringContaining(`seq ${unsignedSeq}`));
  const events = (await auditor().get('/v1/security-events?type=audit_checkpoint_refused')).body;
  expect(events[0]).toMatchObject({
    type: 'audit_checkpoint_refused',
    actor: 'system',
    detail: { problem: 'unsigned', firstSeq: unsignedSeq, count: 1 },
  });
  const stored = (await auditor().get('/v1/audit/checkpoints')).body as { treeSize: number }[];
  expect(Math.max(...stored.map((s) => s.treeSize))).toBe(before.signaturesCheckedAfter);
  // Nor does a stored checkpoint of the forger's making stand in: no trusted key signed it.
  const size = before.records + 2;
  const [last] = await stack.db.query('SELECT * FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1');
  await stack.db.query(
    `INSERT INTO audit_checkpoints (tree_size, head_hash, root_hash, hash_alg, signature_alg, key_id, public_key,
       signed_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)`,
    [size, last.head_hash, last.root_hash, last.hash_alg, last.signature_alg, last.key_id, last.public_key, 'ab'],
  );
  expect((await auditor().get('/v1/audit/verify')).body.signaturesCheckedAfter).toBe(before.signaturesCheckedAfter);
  expect((await auditor().get('/v1/audit/checkpoint')).body.code).toBe('RECORD_NOT_AUTHENTIC');
});

it('finds records the owner appends signed with its own key, or a bad signature under the real key id', async () => {
  const own = generateSigningKey('ed25519');
  // The forger's key published as the application's role may, even as a predecessor long closed: the key file does
  // not name it, so nothing it signed is trusted, whatever the table says.
  await stack.db.query(
    `INSERT INTO audit_public_keys (key_id, algorithm, public_key, valid_from, valid_to)
     VALUES ($1, 'ed25519', $2, '2020-01-01', '2020-01-02')`,
    [keyIdOf(own.publicKey), own.publicKey],
  );
  const ownSigned = await forge(stack.ownerDb, signedWith(own));
  const realId = (await auditor().get('/v1/audit/public-key')).body.keyId;
  const badSigned = await forge(stack.ownerDb, () => ({ keyId: realId, signature: 'ab'.repeat(64) }));
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified).toMatchObject({
    valid: false,
    unsignedRecords: { firstSeq: unsignedSeq, count: 1 },
    forgedRecords: { firstSeq: ownSigned, count: 2 },
  });
  expect(badSigned).toBe(ownSigned + 1);
  expect(verified.firstBrokenSeq).toBeUndefined();
  expect((await auditor().get('/v1/audit/checkpoint')).body.details[0]).toMatchObject({ firstSeq: unsignedSeq });
});

it('neither the API nor the worker writes or starts without the key file', async () => {
  const file = process.env.AUDIT_SIGNING_KEY_FILE!;
  const missing = path.join(path.dirname(file), `missing-${path.basename(file)}`);
  // A key is in force: a missing file is not made afresh (that would be a key nobody vouched for).
  const checkpointer = new Checkpointer(
    stack.db.manager,
    checkpointerConfig({ ...process.env, AUDIT_SIGNING_KEY_FILE: missing }),
  );
  await expect(checkpointer.signingKey()).rejects.toThrow(SigningKeyFileMissing);
  expect(fs.existsSync(missing)).toBe(false);
  const unset = new Checkpointer(stack.db.manager, checkpointerConfig({ ...process.env, AUDIT_SIGNING_KEY_FILE: '' }));
  await expect(unset.signingKey()).rejects.toThrow(/no AUDIT_SIGNING_KEY_FILE/);
  // appendAudit writes nothing it cannot sign.
  const [{ n: before }] = await stack.db.query('SELECT count(*)::int AS n FROM audit_records');
  process.env.AUDIT_SIGNING_KEY_FILE = missing;
  try {
    await expect(
      stack.db.transaction((em) => appendAudit(em, { actor: 'system', role: 'system', action: 'test_unsigned' })),
    ).rejects.toThrow(/missing/);
  } finally {
    process.env.AUDIT_SIGNING_KEY_FILE = file;
  }
  const [{ n: after }] = await stack.db.query('SELECT count(*)::int AS n FROM audit_records');
  expect(after).toBe(before);
});

const refusals = async () =>
  (await auditor().get('/v1/security-events?type=audit_checkpoint_refused&limit=5000')).body as {
    detail: { recordSet: string; firstSeq: number; count: number };
  }[];

it('writes the refusal to the security log once per set of records, not at every tick', async () => {
  const checkpointer = stack.app.get(AuditLogService).checkpointer;
  const before = (await refusals()).length;
  for (let i = 0; i < 3; i++) {
    await expect(checkpointer.tick()).rejects.toThrow(/no checkpoint is signed/);
    expect((await auditor().get('/v1/audit/checkpoint')).status).toBe(409);
  }
  expect((await refusals()).length).toBe(before);
  // A new record that is not the application's is a new set: told once more, then not again.
  const seq = await forge(stack.db, () => null);
  for (let i = 0; i < 3; i++) await expect(checkpointer.tick()).rejects.toThrow(/no checkpoint is signed/);
  const after = await refusals();
  expect(after.length).toBe(before + 1);
  expect(after[0].detail).toMatchObject({
    recordSet: `unsigned ${unsignedSeq}+2, forged ${unsignedSeq + 2}+2`,
    unsigned: { count: 2, seqs: [unsignedSeq, seq] },
  });
});

let forgedAcknowledgement: number;

it('does not trust an acknowledgement the owner inserts', async () => {
  const bad = (await auditor().get('/v1/audit/verify')).body;
  const seqs = [...bad.unsignedRecords.seqs, ...bad.forgedRecords.seqs] as number[];
  const records = [];
  for (const seq of seqs) {
    const [r] = await stack.ownerDb.query('SELECT hash FROM audit_records WHERE seq = $1', [seq]);
    records.push({ seq, hash: r.hash, problem: bad.unsignedRecords.seqs.includes(seq) ? 'unsigned' : 'forged' });
  }
  const realId = (await auditor().get('/v1/audit/public-key')).body.keyId;
  forgedAcknowledgement = await forge(stack.ownerDb, () => ({ keyId: realId, signature: 'ab'.repeat(64) }), {
    actor: 'audit_admin',
    role: 'audit_admin',
    action: 'forged_records_acknowledged',
    after: { records },
    comment: '已核查，系测试数据，予以确认。',
  });
  const refused = await auditor().get('/v1/audit/checkpoint');
  expect(refused.body.details[0]).toMatchObject({
    firstSeq: unsignedSeq,
    forged: { seqs: expect.arrayContaining([forgedAcknowledgement]) },
  });
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified.acknowledgedRecords).toBeUndefined();
  expect(verified.forgedRecords.seqs).toEqual([...bad.forgedRecords.seqs, forgedAcknowledgement]);
});

const REASON = '经核查，上述记录系绕过系统直接写入数据库，已报县委网信办处置，予以确认。';
const acknowledge = (api: typeof c.admin, seqs: number[], reason = REASON, key?: string) =>
  api.post('/v1/audit/forged-records/acknowledgements', { seqs, reason }, key ? { 'Idempotency-Key': key } : {});

it('lets only the audit administrator acknowledge records, and only records that are not authentic', async () => {
  const bad = (await auditor().get('/v1/audit/verify')).body;
  const size = bad.records;
  for (const api of [c.users.reviewer.api, c.admin, auditor()])
    expect((await acknowledge(api, [unsignedSeq])).status).toBe(403);
  const audit = c.users.audit_admin.api;
  const authentic = await acknowledge(audit, [unsignedSeq, unsignedSeq + 1]);
  expect(authentic.status).toBe(422);
  expect(authentic.body).toMatchObject({
    code: 'RECORD_AUTHENTIC',
    details: [{ field: 'seqs', seqs: [unsignedSeq + 1] }],
  });
  const missing = await acknowledge(audit, [size + 100]);
  expect([missing.status, missing.body.code, missing.body.details[0].field]).toEqual([422, 'NO_SUCH_RECORD', 'seqs']);
  const short = await acknowledge(audit, [unsignedSeq], '  已核查  ');
  expect([short.status, short.body.details[0].field]).toEqual([400, 'reason']);
  expect((await acknowledge(audit, [])).body.details[0].field).toBe('seqs');
  // Nothing was written.
  expect((await auditor().get('/v1/audit/verify')).body.records).toBe(size);
});

let acknowledgement: number;

it('unblocks checkpoints once the audit administrator acknowledges them, on the record', async () => {
  const bad = (await auditor().get('/v1/audit/verify')).body;
  const seqs = [...bad.unsignedRecords.seqs, ...bad.forgedRecords.seqs].sort((a: number, b: number) => a - b);
  const audit = c.users.audit_admin.api;
  const filed = await acknowledge(audit, seqs, REASON, 'ack-1');
  expect(filed.status).toBe(201);
  acknowledgement = filed.body.seq;
  expect(filed.body).toMatchObject({ seq: bad.records + 1, actor: 'audit_admin', reason: REASON });
  expect(filed.body.records.map((r: { seq: number }) => r.seq)).toEqual(seqs);
  expect(filed.body.records[0]).toMatchObject({
    seq: unsignedSeq,
    problem: 'unsigned',
    acknowledgedBy: acknowledgement,
  });
  // Retried with its key: the same answer, one record.
  expect((await acknowledge(audit, seqs, REASON, 'ack-1')).body).toEqual(filed.body);
  const again = await acknowledge(audit, [unsignedSeq]);
  expect([again.status, again.body.code, again.body.details[0].field]).toEqual([409, 'ALREADY_ACKNOWLEDGED', 'seqs']);

  const [record] = (await auditor().get(`/v1/audit?afterSeq=${acknowledgement - 1}&limit=1`)).body;
  expect(record).toMatchObject({
    seq: acknowledgement,
    action: 'forged_records_acknowledged',
    actor: 'audit_admin',
    role: 'audit_admin',
    comment: REASON,
    signatureKeyId: (await auditor().get('/v1/audit/public-key')).body.keyId,
  });
  expect(record.after.records).toHaveLength(seqs.length);
  const [event] = (await auditor().get('/v1/security-events?type=forged_records_acknowledged')).body;
  expect(event).toMatchObject({ actor: 'audit_admin', detail: { acknowledgementSeq: acknowledgement, seqs } });

  // The checkpoint is signed over the whole trail, those records included.
  await stack.app.get(AuditLogService).checkpointer.idle();
  const cp = await auditor().get('/v1/audit/checkpoint');
  expect(cp.status).toBe(200);
  expect(cp.body.treeSize).toBe(acknowledgement);
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified.unsignedRecords).toBeUndefined();
  expect(verified.forgedRecords).toBeUndefined();
  expect(verified.signaturesCheckedAfter).toBe(acknowledgement);
  expect(verified.acknowledgedRecords.map((r: { seq: number }) => r.seq)).toEqual(seqs);
  expect(verified.acknowledgedRecords[0]).toMatchObject({ problem: 'unsigned', acknowledgedBy: acknowledgement });
  expect(verified.acknowledgedRecords).toContainEqual(
    expect.objectContaining({ seq: forgedAcknowledgement, problem: 'forged' }),
  );
  // The forger's checkpoint (above) is still found: acknowledging records hides nothing else.
  expect(verified.valid).toBe(verified.checkpointMismatch === undefined);
});

it('blocks again on a record forged after the acknowledgement, and keeps reporting the acknowledged ones', async () => {
  const seq = await forge(stack.db, () => null);
  const refused = await auditor().get('/v1/audit/checkpoint');
  expect(refused.body).toMatchObject({ code: 'RECORD_NOT_AUTHENTIC', details: [{ firstSeq: seq, count: 1 }] });
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified).toMatchObject({ valid: false, unsignedRecords: { firstSeq: seq, count: 1, seqs: [seq] } });
  expect(verified.acknowledgedRecords[0]).toMatchObject({ seq: unsignedSeq, acknowledgedBy: acknowledgement });
  // An acknowledgement of the application's covers it too.
  expect((await acknowledge(c.users.audit_admin.api, [seq])).status).toBe(201);
  expect((await auditor().get('/v1/audit/checkpoint')).status).toBe(200);
});

// Which keys are trusted comes from the key file, not the database (docs/architecture.md, "Which keys are trusted").

it('trusts neither a key the database names nor one closed there, and keeps the horizon of the key file', async () => {
  const keyId = (await auditor().get('/v1/audit/public-key')).body.keyId;
  // The key in force closed behind the application (the application's role may write a key's end): its records
  // after that are still its own.
  await stack.db.query("UPDATE audit_public_keys SET valid_to = now() - interval '1 day' WHERE key_id = $1", [keyId]);
  await stack.db.transaction((em) => appendAudit(em, { actor: 'system', role: 'system', action: 'test_after_close' }));
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified.unsignedRecords).toBeUndefined();
  expect(verified.forgedRecords).toBeUndefined();
  expect((await auditor().get('/v1/audit/checkpoint')).status).toBe(200);
  // A key the database holds that the file does not name is not listed as the trail's.
  const listed = (await auditor().get('/v1/audit/public-key')).body.keys as { keyId: string }[];
  expect(listed.map((k) => k.keyId)).toEqual([keyId]);

  // The owner moves the signing horizon past the trail: an unsigned record appended then is still found, since
  // the key file holds the horizon it was given at its first start.
  const size = verified.records + 1;
  await stack.ownerDb.query('DELETE FROM audit_signature_horizon');
  await stack.ownerDb.query('INSERT INTO audit_signature_horizon (signed_from) VALUES ($1)', [size + 1000]);
  const seq = await forge(stack.ownerDb, () => null);
  const after = (await auditor().get('/v1/audit/verify')).body;
  expect(after).toMatchObject({ valid: false, unsignedRecords: { firstSeq: seq, count: 1 } });
  expect((await acknowledge(c.users.audit_admin.api, [seq])).status).toBe(201);
});

it('refuses to acknowledge a record changed under a checkpoint the application signed', async () => {
  const cp = (await auditor().get('/v1/audit/checkpoint')).body;
  expect(cp.treeSize).toBeGreaterThan(5);
  // The owner strips a signed record's signature so that it looks like an unsigned append.
  const target = cp.treeSize - 3;
  const [row] = await stack.ownerDb.query('SELECT signature_key_id, signature FROM audit_records WHERE seq = $1', [
    target,
  ]);
  await stack.ownerDb.transaction(async (em) => {
    await em.query('SET LOCAL session_replication_role = replica');
    await em.query('UPDATE audit_records SET signature_key_id = NULL, signature = NULL WHERE seq = $1', [target]);
  });
  try {
    const refused = await acknowledge(c.users.audit_admin.api, [target]);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'RECORD_ALTERED', details: [{ field: 'seqs', seqs: [target] }] });
    expect(refused.body.message).toContain(`checkpoint ${cp.treeSize}`);
  } finally {
    await stack.ownerDb.transaction(async (em) => {
      await em.query('SET LOCAL session_replication_role = replica');
      await em.query('UPDATE audit_records SET signature_key_id = $2, signature = $3 WHERE seq = $1', [
        target,
        row.signature_key_id,
        row.signature,
      ]);
    });
  }
});

it('is not stopped in silence by checkpoint rows inserted ahead; verify sets such rows aside', async () => {
  const checkpointer = stack.app.get(AuditLogService).checkpointer;
  const last = (await auditor().get('/v1/audit/checkpoint')).body;
  const junk = (sizes: number[]) =>
    stack.db.query(
      `INSERT INTO audit_checkpoints (tree_size, head_hash, root_hash, hash_alg, signature_alg, key_id, public_key,
         signed_at, signature) SELECT n, head_hash, root_hash, hash_alg, signature_alg, key_id, public_key, now(), 'ab'
       FROM audit_checkpoints, unnest($1::bigint[]) AS n WHERE tree_size = $2`,
      [sizes, last.treeSize],
    );
  const append = () =>
    stack.db.transaction((em) => appendAudit(em, { actor: 'system', role: 'system', action: 'test_after_junk' }));
  // One far ahead, and the next two sizes taken.
  await junk([last.treeSize + 1000, last.treeSize + 1, last.treeSize + 2]);
  const before = (await refusals()).length;
  for (const size of [last.treeSize + 1, last.treeSize + 2]) {
    await append();
    await expect(checkpointer.tick()).rejects.toThrow(`a checkpoint of tree size ${size} is stored that no trusted`);
  }
  // Told, once for each size taken.
  expect((await refusals()).slice(0, 2).map((e) => e.detail.recordSet)).toEqual([
    `checkpoint ${last.treeSize + 2}`,
    `checkpoint ${last.treeSize + 1}`,
  ]);
  expect((await refusals()).length).toBe(before + 2);
  await append();
  await checkpointer.tick();
  const stored = (await auditor().get(`/v1/audit/checkpoints?after=${last.treeSize}`)).body as { treeSize: number }[];
  expect(stored.map((s) => s.treeSize)).toEqual([
    last.treeSize + 1,
    last.treeSize + 2,
    last.treeSize + 3,
    last.treeSize + 1000,
  ]);
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified.checkpointMismatch).toBeUndefined();
  expect(verified.untrustedCheckpoints.treeSizes).toEqual(
    expect.arrayContaining([last.treeSize + 1, last.treeSize + 2, last.treeSize + 1000]),
  );
  expect(verified.valid).toBe(true);
});

it('rotates the signing key while the API and the worker run: both keys trusted, each in its time', async () => {
  const file = process.env.AUDIT_SIGNING_KEY_FILE!;
  const old = (await auditor().get('/v1/audit/public-key')).body;
  // Kept here to play a retired key that leaked (the rotation keeps no copy of it).
  const oldKey = parseKey(file);
  const rotated = rotateKeyFile(file, 'ed25519');
  const newId = keyIdOf(rotated.publicKey);
  // The next checkpoint reads the file again, publishes the key and writes the rotation on the trail, once.
  const cp = (await auditor().get('/v1/audit/checkpoint')).body;
  expect(cp.publicKey).toBe(rotated.publicKey);
  await implement(c, 'clerk_housing', {
    type: 'ADD_NAME_PLATE',
    unitId: c.units.housing,
    title: '加挂牌子',
    payload: { unitId: c.units.housing, namePlate: '县房地产交易服务中心' },
  });
  const rotations = (await auditor().get('/v1/audit?action=audit_signing_key_rotated')).body;
  expect(rotations).toHaveLength(1);
  expect(rotations[0]).toMatchObject({ signatureKeyId: newId, after: { from: old.keyId, to: newId } });
  const records = (await auditor().get(`/v1/audit?afterSeq=${rotations[0].seq}&limit=5000`)).body as {
    signatureKeyId: string;
  }[];
  expect(records.length).toBeGreaterThan(10);
  expect(records.every((r) => r.signatureKeyId === newId)).toBe(true);

  const key = (await auditor().get('/v1/audit/public-key')).body;
  expect(key.keyId).toBe(newId);
  expect(key.keys.map((k: { keyId: string }) => k.keyId)).toEqual([old.keyId, newId]);
  const [before] = key.keys;
  expect(before.validTo).toBe(rotated.validFrom);
  expect(
    verifyMessage('ed25519', before.publicKey, handoverMessage(old.keyId, newId, before.validTo), before.handover),
  ).toBe(true);
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified).toMatchObject({ valid: true });
  expect(verified.forgedRecords).toBeUndefined();
  expect((await auditor().get('/v1/audit/checkpoint')).status).toBe(200);

  // A copy of the retired key that leaked signs nothing that passes now, even dated within its time: the order
  // bounds it (its successor's rotation record and records come before).
  const oldSigned = await forge(stack.ownerDb, signedWith(oldKey), {
    at: new Date(Date.parse(rotated.validFrom!) - 2 * KEY_VALIDITY_TOLERANCE_MS).toISOString(),
  });
  expect((await auditor().get('/v1/audit/verify')).body.forgedRecords).toMatchObject({ firstSeq: oldSigned });
  // Nor a checkpoint it signs at the trail's size: it is not taken as the last trusted one.
  const size = (await auditor().get('/v1/audit/verify')).body.records;
  const { signature: _s, ...body } = cp;
  const retiredCp = signCheckpoint({ ...body, treeSize: size, headSeq: size, publicKey: oldKey.publicKey }, oldKey);
  await stack.db.query(
    `INSERT INTO audit_checkpoints (tree_size, head_hash, root_hash, hash_alg, signature_alg, key_id, public_key,
       signed_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)`,
    [size, cp.headHash, cp.rootHash, cp.hashAlgorithm, 'ed25519', old.keyId, oldKey.publicKey, retiredCp.signature],
  );
  const after = (await auditor().get('/v1/audit/verify')).body;
  expect(after.signaturesCheckedAfter).toBeLessThan(size);
  expect(after.forgedRecords).toMatchObject({ firstSeq: oldSigned });
  expect((await acknowledge(c.users.audit_admin.api, [oldSigned])).status).toBe(201);
});

it('takes the horizon and the predecessors over from the database once, for a key file from before them', async () => {
  const file = path.join(process.env.TEST_TMP_DIR!, `adopted-${Date.now()}.key`);
  const own = generateSigningKey('ed25519');
  writeKeyFile(file, own);
  // Two rotations of before, as the database recorded them: each key closed where the next began.
  const [k0, k1] = [generateSigningKey('ed25519'), generateSigningKey('ed25519')];
  const [t0, t1, t2] = ['2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'];
  for (const [k, from, to] of [
    [k0, t0, t1],
    [k1, t1, t2],
    [own, t2, null],
  ] as const)
    await stack.ownerDb.query(
      `INSERT INTO audit_public_keys (key_id, algorithm, public_key, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)`,
      [keyIdOf(k.publicKey), k.algorithm, k.publicKey, from, to],
    );
  const [{ signed_from }] = await stack.db.query('SELECT signed_from FROM audit_signature_horizon');
  const [{ size }] = await stack.db.query('SELECT max(seq)::int AS size FROM audit_records');
  const checkpointer = new Checkpointer(
    stack.db.manager,
    checkpointerConfig({ ...process.env, AUDIT_SIGNING_KEY_FILE: file }),
  );
  const key = await checkpointer.signingKey();
  // Written into the file, and read back whole: from now on the database's rows no longer count. The horizon the
  // owner moved past the trail (above) is taken no further than the trail's size + 1.
  expect(parseKey(file)).toEqual(key);
  expect(key.signedFrom).toBe(Math.min(Number(signed_from), size + 1));
  expect(key.validFrom).toBe(t2);
  // Trusted on first use: whatever the database holds closed before the key's start then, here also the key an
  // earlier test planted (2020), taken as the first of the chain.
  const chain = key.predecessors!.map((p) => [keyIdOf(p.publicKey), p.validFrom, p.validTo, !!p.adoptedAt]);
  expect(chain[0][1]).toBeUndefined();
  expect(chain.slice(-2)).toEqual([
    [keyIdOf(k0.publicKey), chain.at(-3)?.[2], t1, true],
    [keyIdOf(k1.publicKey), t1, t2, true],
  ]);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
});

it('checkpoints on once a record altered past the last checkpoint is acknowledged, and stays invalid', async () => {
  const checkpointer = stack.app.get(AuditLogService).checkpointer;
  await stack.db.transaction((em) => appendAudit(em, { actor: 'system', role: 'system', action: 'test_to_alter' }));
  const [{ seq }] = await stack.db.query('SELECT max(seq)::int AS seq FROM audit_records');
  await stack.ownerDb.transaction(async (em) => {
    await em.query('SET LOCAL session_replication_role = replica');
    await em.query(`UPDATE audit_records SET body = replace(body, 'test_to_alter', 'test_altered') WHERE seq = $1`, [
      seq,
    ]);
  });
  const verified = (await auditor().get('/v1/audit/verify')).body;
  expect(verified).toMatchObject({ valid: false, firstBrokenSeq: seq, alteredRecords: { firstSeq: seq, count: 1 } });
  await expect(checkpointer.tick()).rejects.toThrow(/changed since they were written/);
  const filed = await acknowledge(c.users.audit_admin.api, [seq]);
  expect(filed.status).toBe(201);
  expect(filed.body.records).toEqual([expect.objectContaining({ seq, problem: 'altered' })]);
  expect((await auditor().get('/v1/audit/checkpoint')).status).toBe(200);
  const after = (await auditor().get('/v1/audit/verify')).body;
  expect(after.valid).toBe(false);
  expect(after.alteredRecords).toBeUndefined();
  expect(after.acknowledgedRecords).toContainEqual(expect.objectContaining({ seq, problem: 'altered' }));
});
