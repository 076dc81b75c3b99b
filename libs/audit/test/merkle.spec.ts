import { createHash } from 'node:crypto';
import {
  auditHash,
  canonicalJson,
  consistencyProof,
  digest,
  generateSigningKey,
  HashAlgorithm,
  inclusionProof,
  leafHash,
  nodeHash,
  signCheckpoint,
  treeRoot,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyInclusion,
} from '../src';

// The Merkle tree of the audit trail against known answers (the test vectors of Certificate Transparency's
// RFC 6962 implementation) and against a second, independent construction of the same tree.

const H = (alg: HashAlgorithm, ...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash(alg)).digest();

/** Independent: bottom-up, pairing neighbours level by level and carrying an odd last node up unchanged. */
function independentRoot(alg: HashAlgorithm, leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return H(alg);
  let level: Buffer[] = leaves.map((l) => H(alg, Buffer.from([0]), l));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? H(alg, Buffer.from([1]), level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe.each(['sha256', 'sm3'] as HashAlgorithm[])('Merkle tree with %s', (alg) => {
  const leaves = Array.from({ length: 37 }, (_, i) => Buffer.from(`record ${i}`));
  const hashes = leaves.map((l) => leafHash(alg, l));

  it('builds the same root as the independent construction, for every size', () => {
    for (let n = 1; n <= leaves.length; n++)
      expect(treeRoot(alg, hashes, n).toString('hex')).toBe(independentRoot(alg, leaves.slice(0, n)).toString('hex'));
  });

  it('proves inclusion of every leaf in every tree, and refuses a wrong leaf or index', () => {
    for (let n = 1; n <= leaves.length; n++) {
      const root = independentRoot(alg, leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(alg, m, hashes, n);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(verifyInclusion(alg, m, n, hashes[m], proof, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(alg, m, n, hashes[(m + 1) % n], proof, root)).toBe(false);
          expect(verifyInclusion(alg, (m + 1) % n, n, hashes[m], proof, root)).toBe(false);
        }
      }
    }
  });

  it('proves consistency between every pair of sizes, and refuses a forked history', () => {
    const forked = [...hashes];
    forked[3] = leafHash(alg, Buffer.from('forged'));
    for (let n = 1; n <= leaves.length; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(alg, m, n, hashes);
        const ok = verifyConsistency(
          alg,
          m,
          n,
          independentRoot(alg, leaves.slice(0, m)),
          independentRoot(alg, leaves.slice(0, n)),
          proof,
        );
        expect([m, n, ok]).toEqual([m, n, true]);
        if (m > 3 && m < n)
          expect(verifyConsistency(alg, m, n, treeRoot(alg, forked, m), treeRoot(alg, hashes, n), proof)).toBe(false);
      }
    }
  });
});

describe('known answers', () => {
  it('matches the RFC 6962 reference roots', () => {
    const hashes = CT_LEAVES.map((l) => leafHash('sha256', l));
    CT_ROOTS.forEach((root, i) => expect(treeRoot('sha256', hashes, i + 1).toString('hex')).toBe(root));
    expect(treeRoot('sha256', [], 0).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('computes SM3 as GB/T 32905 gives it', () => {
    for (const sm3 of [H('sm3', Buffer.from('abc')), digest('sm3', Buffer.from('abc'))])
      expect(sm3.toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it.each(['sha256', 'sm3'] as HashAlgorithm[])(
    'hashes its parts as one message, into a buffer of its own each time (%s, one-shot)',
    (alg) => {
      const [a, b] = [Buffer.from('left'), Buffer.from('right, longer than the left')];
      expect(digest(alg, a, b)).toEqual(H(alg, a, b));
      expect(digest(alg)).toEqual(H(alg));
      const first = leafHash(alg, a);
      const kept = Buffer.from(first);
      const second = nodeHash(alg, first, leafHash(alg, b));
      expect(first).toEqual(kept);
      expect(second).toEqual(H(alg, Buffer.from([1]), H(alg, Buffer.from([0]), a), H(alg, Buffer.from([0]), b)));
    },
  );

  it('serialises canonically (RFC 8785 key order, no white space)', () => {
    expect(canonicalJson({ b: 1, a: [true, null, '编〔2026〕'], c: { z: 1, y: undefined } })).toBe(
      '{"a":[true,null,"编〔2026〕"],"b":1,"c":{"z":1}}',
    );
  });
});

describe.each(['ed25519', 'sm2'] as const)('checkpoints signed with %s', (algorithm) => {
  it('verifies a signed checkpoint and refuses an altered one or another key', () => {
    const key = generateSigningKey(algorithm);
    const cp = signCheckpoint(
      {
        treeSize: 3,
        headSeq: 3,
        headHash: 'ab',
        rootHash: 'cd',
        hashAlgorithm: algorithm === 'sm2' ? 'sm3' : 'sha256',
        signatureAlgorithm: algorithm,
        publicKey: key.publicKey,
        issuedAt: '2026-11-22T00:00:00.000Z',
      },
      key,
    );
    expect(verifyCheckpointSignature(cp, key.publicKey)).toBe(true);
    expect(verifyCheckpointSignature({ ...cp, treeSize: 4 }, key.publicKey)).toBe(false);
    const other = generateSigningKey(algorithm);
    expect(verifyCheckpointSignature({ ...cp, publicKey: other.publicKey }, other.publicKey)).toBe(false);
  });
});

it('chains record hashes over their content and the previous hash', () => {
  const content = {
    seq: '1',
    at: '2026-11-22T00:00:00.000Z',
    actor: 'a',
    actorId: null,
    role: 'admin',
    action: 'x',
    requestId: null,
    workflowId: null,
    runId: null,
    stepKey: null,
    before: null,
    after: { n: 1 },
    comment: '同意',
  };
  const h = auditHash(content, '0'.repeat(64));
  expect(auditHash({ ...content, comment: '不同意' }, '0'.repeat(64))).not.toBe(h);
  expect(auditHash(content, '1'.repeat(64))).not.toBe(h);
  expect(auditHash(content, '0'.repeat(64), 'sm3')).not.toBe(h);
});
