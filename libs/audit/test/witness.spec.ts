import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Checkpoint,
  consistencyProof,
  cosign,
  generateSigningKey,
  GENESIS_HASH,
  leafHash,
  signCheckpoint,
  SigningKey,
  treeRoot,
  verifyCosignature,
  WitnessStore,
} from '../src';

// The witness's store (witness.ts): a checkpoint kept only if the pinned key signed it and it extends the last one.

const log = generateSigningKey('ed25519');
const leaves = Array.from({ length: 20 }, (_, i) => leafHash('sha256', Buffer.from([i])));
const forgedLeaves = leaves.map((l, i) => (i === 2 ? leafHash('sha256', Buffer.from('forged')) : l));

function checkpoint(size: number, key: SigningKey = log, of = leaves): Checkpoint {
  return signCheckpoint(
    {
      treeSize: size,
      headSeq: size,
      headHash: GENESIS_HASH,
      rootHash: treeRoot('sha256', of, size).toString('hex'),
      hashAlgorithm: 'sha256',
      signatureAlgorithm: key.algorithm,
      publicKey: key.publicKey,
      issuedAt: new Date(0).toISOString(),
    },
    key,
  );
}
const proof = (a: number, b: number, of = leaves) => consistencyProof('sha256', a, b, of).map((h) => h.toString('hex'));

it('keeps consistent checkpoints, one file each, and refuses the rest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'witness-'));
  const store = new WitnessStore(dir, [log.publicKey]);
  expect(
    store.add({ oldSize: 0, consistencyProof: [], checkpoint: checkpoint(3, generateSigningKey('ed25519')) }),
  ).toMatchObject({ kind: 'refused', badSignature: true });
  expect(store.add({ oldSize: 0, consistencyProof: [], checkpoint: checkpoint(3) })).toMatchObject({
    kind: 'accepted',
  });
  expect(store.add({ oldSize: 0, consistencyProof: [], checkpoint: checkpoint(7) })).toEqual({
    kind: 'conflict',
    treeSize: 3,
  });
  // Signed by the log's own key, but over a trail rewritten at record 3: not an extension of what was kept.
  expect(
    store.add({
      oldSize: 3,
      consistencyProof: proof(3, 7, forgedLeaves),
      checkpoint: checkpoint(7, log, forgedLeaves),
    }),
  ).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/not consistent/) });
  expect(store.add({ oldSize: 3, consistencyProof: [], checkpoint: checkpoint(3, log, forgedLeaves) })).toMatchObject({
    kind: 'refused',
    reason: expect.stringMatching(/another root/),
  });
  expect(store.add({ oldSize: 3, consistencyProof: proof(3, 7), checkpoint: checkpoint(7) })).toMatchObject({
    kind: 'accepted',
  });
  expect(store.add({ oldSize: 7, consistencyProof: [], checkpoint: checkpoint(5) })).toMatchObject({
    kind: 'refused',
  });
  expect(fs.readdirSync(dir)).toEqual(['0000000000000003.json', '0000000000000007.json']);
  expect(store.all().map((c) => c.treeSize)).toEqual([3, 7]);
  expect(store.latest()).toEqual(checkpoint(7));
});

it('co-signs with the witness key, over the whole checkpoint', () => {
  const witness = generateSigningKey('sm2');
  const cp = checkpoint(7);
  const c = cosign(cp, '审计局', witness);
  expect(verifyCosignature(cp, c, witness.publicKey)).toBe(true);
  expect(verifyCosignature({ ...cp, rootHash: '00'.repeat(32) }, c, witness.publicKey)).toBe(false);
  expect(verifyCosignature(cp, c, generateSigningKey('sm2').publicKey)).toBe(false);
});
