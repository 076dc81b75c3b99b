import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import {
  auditBody,
  Checkpoint,
  leafHash,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyInclusion,
} from '@bianzhi/audit';
import { County, seedCounty } from './support/county';
import { createSubmitted, forwardAndApprove, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The audit trail an auditor can trust: tampering found at the right seq, one chain under concurrency,
// signed checkpoints with proofs, rebuild from the trail, replay, and a dossier checked offline.

let stack: Stack;
let c: County;
let superuser: PgClient;
let requestId: string;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  superuser = new PgClient({ connectionString: stack.ownerUrl });
  await superuser.connect();
  requestId = await createSubmitted(c, 'clerk_housing', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: '更名',
    payload: { unitId: c.units.housing, newName: '县住房和城乡建设管理局' },
  });
  await forwardAndApprove(c, requestId);
  await settled(c, requestId);
});
afterAll(async () => {
  await superuser?.end();
  await stack?.stop();
});

const auditor = () => c.users.auditor.api;
const verify = async () => (await auditor().get('/v1/audit/verify')).body;

/** Runs SQL as the database superuser with the append-only triggers bypassed: the tamperer's power. */
async function asTamperer(sql: string, params: unknown[] = []) {
  await superuser.query('SET session_replication_role = replica');
  try {
    return await superuser.query(sql, params);
  } finally {
    await superuser.query('SET session_replication_role = DEFAULT');
  }
}

describe('tamper evidence', () => {
  it('refuses UPDATE and DELETE on the trail in the database itself, even to its owner', async () => {
    // (The application's role may not even try: test/db-roles.e2e-spec.ts.)
    await expect(superuser.query(`UPDATE audit_records SET body = body WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(superuser.query(`DELETE FROM audit_records WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('finds a changed record, a deleted record and a forged one at the right seq', async () => {
    expect(await verify()).toMatchObject({ valid: true });
    const { rows } = await superuser.query('SELECT body, hash, comment FROM audit_records WHERE seq = 5');
    // The columns are generated from the hashed body: even the tamperer cannot write one on its own.
    await expect(asTamperer(`UPDATE audit_records SET comment = '同意（改）' WHERE seq = 5`)).rejects.toThrow(
      /can only be updated to DEFAULT/,
    );
    await asTamperer(
      `UPDATE audit_records SET body = jsonb_set(body::jsonb, '{comment}', '"同意（改）"')::text WHERE seq = 5`,
    );
    expect((await superuser.query('SELECT comment FROM audit_records WHERE seq = 5')).rows[0].comment).toBe(
      '同意（改）',
    );
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: 5 });
    await asTamperer(`UPDATE audit_records SET body = $1 WHERE seq = 5`, [rows[0].body]);
    expect((await superuser.query('SELECT comment FROM audit_records WHERE seq = 5')).rows[0].comment).toBe(
      rows[0].comment,
    );
    expect(await verify()).toMatchObject({ valid: true });

    const { rows: r7 } = await superuser.query(
      'SELECT body, hash, signature_key_id, signature FROM audit_records WHERE seq = 7',
    );
    await asTamperer('DELETE FROM audit_records WHERE seq = 7');
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: 7 });
    // Put back with its signature (docs/architecture.md, "Records signed by the application").
    await asTamperer('INSERT INTO audit_records (body, hash, signature_key_id, signature) VALUES ($1, $2, $3, $4)', [
      r7[0].body,
      r7[0].hash,
      r7[0].signature_key_id,
      r7[0].signature,
    ]);
    expect(await verify()).toMatchObject({ valid: true });

    const { records: head, headHash } = await verify();
    const forged = auditBody(
      {
        seq: String(head + 1),
        at: new Date().toISOString(),
        actor: 'admin',
        actorId: null,
        role: 'admin',
        action: 'unit_loaded',
        requestId: null,
        workflowId: null,
        runId: null,
        stepKey: null,
        before: null,
        after: null,
        comment: null,
      },
      headHash,
    );
    await asTamperer('INSERT INTO audit_records (body, hash) VALUES ($1, $2)', [forged, 'f'.repeat(64)]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: head + 1, records: head + 1 });
    await asTamperer('DELETE FROM audit_records WHERE seq = $1', [head + 1]);
    expect(await verify()).toMatchObject({ valid: true, records: head });
    // A seq far beyond the head: found as the gap it leaves, at once.
    await asTamperer('INSERT INTO audit_records (body, hash) VALUES ($1, $2)', [
      forged.replace(`"seq":"${head + 1}"`, '"seq":"1000000000000"'),
      'f'.repeat(64),
    ]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: head + 1, records: head + 1 });
    await asTamperer('DELETE FROM audit_records WHERE seq = 1000000000000');
    expect(await verify()).toMatchObject({ valid: true, records: head });
  });

  it('finds a column whose definition was changed to show what the hashed record does not say', async () => {
    const { rows } = await superuser.query(
      `SELECT pg_get_expr(adbin, adrelid) AS expr FROM pg_attrdef
       WHERE adrelid = 'audit_records'::regclass
         AND adnum = (SELECT attnum FROM pg_attribute
                      WHERE attrelid = 'audit_records'::regclass AND attname = 'comment')`,
    );
    await superuser.query(`ALTER TABLE audit_records ALTER COLUMN comment SET EXPRESSION AS ('同意')`);
    try {
      expect(await verify()).toMatchObject({ valid: false, derivedColumnsAltered: ['comment'] });
    } finally {
      await superuser.query(`ALTER TABLE audit_records ALTER COLUMN comment SET EXPRESSION AS (${rows[0].expr})`);
    }
    const restored = await verify();
    expect(restored).toMatchObject({ valid: true });
    expect(restored).not.toHaveProperty('derivedColumnsAltered');
  });
});

it('keeps one unbroken chain under 50 concurrent transitions on different requests', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const res = await c.users.clerk_housing.api.post('/v1/change-requests', {
      type: 'ADD_NAME_PLATE',
      unitId: c.units.housing,
      title: `牌子${i}`,
      justification: 'j',
      payload: { unitId: c.units.housing, namePlate: `县某中心${i}` },
    });
    ids.push(res.body.id);
  }
  const before = (await verify()).records;
  const results = await Promise.all(
    ids.map((id) => c.users.clerk_housing.api.post(`/v1/change-requests/${id}/submit`)),
  );
  expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
  const after = await verify();
  expect(after).toMatchObject({ valid: true, records: before + 50 });
  const seqs = (await stack.db.query('SELECT seq FROM audit_records ORDER BY seq')).map((r: { seq: string }) =>
    Number(r.seq),
  );
  expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
});

it('signs checkpoints whose proofs show the trail only grew and that a record is in it', async () => {
  const key = (await auditor().get('/v1/audit/public-key')).body;
  const first: Checkpoint = (await auditor().get('/v1/audit/checkpoint')).body;
  expect(first).toMatchObject({ hashAlgorithm: 'sha256', signatureAlgorithm: 'ed25519' });
  expect(verifyCheckpointSignature(first, key.publicKey)).toBe(true);
  await c.users.clerk_health.api.post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.health,
    title: 't',
    justification: 'j',
    payload: { unitId: c.units.health, newName: '县卫健局' },
    submit: true,
  });
  const second: Checkpoint = (await auditor().get('/v1/audit/checkpoint')).body;
  expect(second.treeSize).toBeGreaterThan(first.treeSize);
  const consistency = (await auditor().get(`/v1/audit/proofs/consistency?from=${first.treeSize}&to=${second.treeSize}`))
    .body;
  const hex = (h: string) => Buffer.from(h, 'hex');
  expect(
    verifyConsistency(
      'sha256',
      first.treeSize,
      second.treeSize,
      hex(first.rootHash),
      hex(second.rootHash),
      consistency.proof.map(hex),
    ),
  ).toBe(true);
  const record = (await auditor().get(`/v1/audit?requestId=${requestId}`)).body[2];
  const inclusion = (await auditor().get(`/v1/audit/proofs/inclusion?seq=${record.seq}&treeSize=${second.treeSize}`))
    .body;
  expect(inclusion.proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(second.treeSize)));
  expect(
    verifyInclusion(
      'sha256',
      record.seq - 1,
      second.treeSize,
      leafHash('sha256', hex(record.hash)),
      inclusion.proof.map(hex),
      hex(second.rootHash),
    ),
  ).toBe(true);
  expect(
    (await auditor().get(`/v1/audit/proofs/inclusion?seq=${second.treeSize + 5}&treeSize=${second.treeSize}`)).status,
  ).toBe(400);
});

it('rebuilds a request as it stood at any moment from the trail alone', async () => {
  const trail = (await auditor().get(`/v1/change-requests/${requestId}/audit`)).body as {
    action: string;
    at: string;
  }[];
  const at = (action: string) => trail.find((r) => r.action === action)!.at;
  const asOf = async (t: string) =>
    (await auditor().get(`/v1/change-requests/${requestId}?asOf=${encodeURIComponent(t)}`)).body;
  expect(await asOf(at('created'))).toMatchObject({ status: 'draft', rebuiltFromAudit: true });
  expect(await asOf(at('submitted'))).toMatchObject({ status: 'demonstration' });
  const voting = await asOf(at('forwarded'));
  expect(voting).toMatchObject({ status: 'committee', tally: { approve: 0, eligible: 5 } });
  const now = (await auditor().get(`/v1/change-requests/${requestId}`)).body;
  const rebuilt = await asOf(new Date().toISOString());
  for (const k of ['status', 'documentNumber', 'tally', 'diff', 'payload', 'consultations', 'higherDecision'])
    expect([k, rebuilt[k]]).toEqual([k, now[k]]);
  expect((await auditor().get(`/v1/change-requests/${requestId}?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);
});

it("replays the request's history against today's code, and reports a non-deterministic change as such", async () => {
  const replay = (await auditor().get(`/v1/change-requests/${requestId}/replay`)).body;
  expect(replay).toMatchObject({ deterministic: true, runs: 1 });
  expect(replay.events).toBeGreaterThan(10);
  process.env.REPLAY_WORKFLOWS_PATH = path.resolve(__dirname, '../workflows/test/nondeterministic');
  try {
    const broken = (await auditor().get(`/v1/change-requests/${requestId}/replay`)).body;
    expect(broken).toMatchObject({ deterministic: false });
    expect(broken.reason).toMatch(/Nondetermin|DeterminismViolation/i);
  } finally {
    delete process.env.REPLAY_WORKFLOWS_PATH;
  }
  expect((await c.users.clerk_housing.api.get(`/v1/change-requests/${requestId}/replay`)).status).toBe(403);
});

it('exports a dossier that the offline verifier accepts, and rejects with a single byte changed', async () => {
  const dossier = await auditor().get(`/v1/change-requests/${requestId}/dossier`);
  expect(dossier.status).toBe(200);
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'dossier-'));
  const file = path.join(dir, 'dossier.json');
  const text = JSON.stringify(dossier.body, null, 1);
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, 'key.pem'), (await auditor().get('/v1/audit/public-key')).body.publicKey);
  const verifier = path.resolve(__dirname, '../dist/scripts/verify-dossier.js');
  const run = (f: string) => {
    try {
      return {
        code: 0,
        out: execFileSync(process.execPath, [verifier, f, '--public-key', path.join(dir, 'key.pem')], {
          encoding: 'utf8',
        }),
      };
    } catch (err) {
      const e = err as { status: number; stdout: string };
      return { code: e.status, out: e.stdout };
    }
  };
  const good = run(file);
  expect(good.out).toContain('the dossier is intact');
  expect(good.code).toBe(0);
  // One byte: a digit of the document number's year in the last record's comment, or any byte of a comment.
  const i = text.indexOf('同意');
  const tampered = i > 0 ? text.slice(0, i) + '不' + text.slice(i + 1) : text.replace('"submitted"', '"submittee"');
  fs.writeFileSync(path.join(dir, 'tampered.json'), tampered);
  const bad = run(path.join(dir, 'tampered.json'));
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('does NOT verify');
  const flipped = Buffer.from(text);
  const at = text.indexOf('"hash":"') + 10;
  flipped[at] = flipped[at] === 0x61 ? 0x62 : 0x61;
  fs.writeFileSync(path.join(dir, 'flipped.json'), flipped);
  expect(run(path.join(dir, 'flipped.json')).code).toBe(1);
});
