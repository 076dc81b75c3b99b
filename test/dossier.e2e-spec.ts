import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnyJson } from './support/api-client';
import { County, seedCounty } from './support/county';
import { implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The dossier verifier checks everything it shows (issue 17): the request section is rebuilt from the verified audit
// records and compared field by field, and the checkpoint's key must be one the auditor kept, not the dossier's own.

let stack: Stack;
let c: County;
let dir: string;
let dossier: AnyJson;

const verifier = path.resolve(__dirname, '../dist/scripts/verify-dossier.js');
function verify(body: AnyJson, ...args: string[]) {
  const file = path.join(dir, `dossier-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  try {
    return {
      code: 0,
      out: execFileSync(process.execPath, [verifier, file, ...args], { encoding: 'utf8', stdio: 'pipe' }),
    };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'dossier-'));
  const done = await implement(c, 'clerk_health', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.health,
    title: '从县卫生健康局划转事业编制1名到县疾控中心',
    payload: {
      lines: [{ fromUnitId: c.units.health, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 1 }],
    },
  });
  expect(done.documentNumber).toMatch(/^清编〔\d{4}〕1号$/);
  dossier = (await c.users.auditor.api.get(`/v1/change-requests/${done.id}/dossier`)).body;
  fs.writeFileSync(path.join(dir, 'key.pem'), (await c.users.auditor.api.get('/v1/audit/public-key')).body.publicKey);
}, 180_000);
afterAll(() => stack?.stop());

it('accepts the dossier as exported, its request rebuilt from the records', () => {
  const good = verify(dossier, '--public-key', path.join(dir, 'key.pem'));
  expect(good.out).toMatch(/the request \(\d+ fields\) is what its audit records rebuild/);
  expect(good.out).toContain('the dossier is intact');
  expect(good.code).toBe(0);
});

it('names each field of the request section edited after export', () => {
  const forged = JSON.parse(JSON.stringify(dossier));
  forged.request.documentNumber = forged.request.documentNumber.replace(/1号$/, '99号');
  forged.request.payload.lines[0].count = 5;
  const bad = verify(forged, '--public-key', path.join(dir, 'key.pem'));
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('FAIL  request.documentNumber: the dossier says "清编〔');
  expect(bad.out).toMatch(/FAIL {2}request\.payload\.lines\[0\]\.count: the dossier says 5, its audit records 1/);
  expect(bad.out).toContain('the dossier does NOT verify');
  expect(bad.out).not.toContain('the dossier is intact');
});

it('wants a key the auditor kept: none is a usage error, another key fails', () => {
  const none = verify(dossier);
  expect(none.code).toBe(2);
  expect(none.out).toContain('--public-key FILE');
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  fs.writeFileSync(path.join(dir, 'other.pem'), other);
  const wrong = verify(dossier, '--public-key', path.join(dir, 'other.pem'));
  expect(wrong.code).toBe(1);
  expect(wrong.out).toContain('the checkpoint signature does not verify with the trusted key');
});
