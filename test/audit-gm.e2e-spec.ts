import { Checkpoint, leafHash, verifyCheckpointSignature, verifyInclusion } from '@bianzhi/audit';
import { County, seedCounty } from './support/county';
import { createSubmitted } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The same trail with Chinese commercial cryptography (GB/T 39786-2021, 密评): SM3 hashes, SM2 signatures.

let stack: Stack;
let c: County;

beforeAll(async () => {
  process.env.AUDIT_CRYPTO = 'gm';
  stack = await startStack({ env: { AUDIT_CRYPTO: 'gm' } });
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

it('chains with SM3 and signs checkpoints with SM2, recorded so a verifier knows which to use', async () => {
  await createSubmitted(c, 'clerk_housing', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: '更名',
    payload: { unitId: c.units.housing, newName: '县住建局' },
  });
  const algs = await stack.db.query('SELECT DISTINCT hash_alg FROM audit_records');
  expect(algs).toEqual([{ hash_alg: 'sm3' }]);
  const auditor = c.users.auditor.api;
  expect((await auditor.get('/v1/audit/verify')).body).toMatchObject({ valid: true });
  const key = (await auditor.get('/v1/audit/public-key')).body;
  expect(key).toMatchObject({ signatureAlgorithm: 'sm2', hashAlgorithm: 'sm3' });
  const cp: Checkpoint = (await auditor.get('/v1/audit/checkpoint')).body;
  expect(cp).toMatchObject({ hashAlgorithm: 'sm3', signatureAlgorithm: 'sm2' });
  expect(verifyCheckpointSignature(cp, key.publicKey)).toBe(true);
  expect(
    verifyCheckpointSignature(
      { ...cp, rootHash: cp.rootHash.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a')) },
      key.publicKey,
    ),
  ).toBe(false);
  const last = (await auditor.get('/v1/audit')).body.pop();
  const proof = (
    await auditor.get(`/v1/audit/proofs/inclusion?seq=${last.seq}&treeSize=${cp.treeSize}`)
  ).body.proof.map((h: string) => Buffer.from(h, 'hex'));
  expect(
    verifyInclusion(
      'sm3',
      last.seq - 1,
      cp.treeSize,
      leafHash('sm3', Buffer.from(last.hash, 'hex')),
      proof,
      Buffer.from(cp.rootHash, 'hex'),
    ),
  ).toBe(true);
});
