import { createHash, randomBytes } from 'node:crypto';
import {
  consistencyProof,
  Hash,
  HashAlgorithm,
  inclusionProof,
  leafHash,
  leftSiblingsOf,
  MerkleAccumulator,
  nodesCompletedBy,
  nodesRead,
  StoredNode,
  treeOver,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../src';

// The stored-node tree (merkle-store.ts) against the full recomputation of merkle.ts: the nodes the writer stores
// append by append, and every root, inclusion proof and consistency proof computed from them, for every size up to
// a few hundred leaves and for random ones around large powers of two.

/** Appends leaves as appendAudit does: each one's nodes from the left siblings stored before it. */
function appendAll(alg: HashAlgorithm, leaves: Hash[]): Map<string, Hash> {
  const store = new Map<string, Hash>();
  leaves.forEach((leaf, index) => {
    const siblings = leftSiblingsOf(index).map((n) => store.get(`${n.level}:${n.index}`)!);
    for (const n of nodesCompletedBy(alg, index, leaf, siblings)) store.set(`${n.level}:${n.index}`, n.hash);
  });
  return store;
}

/** A tree over the store that, like the repository, fetches only the nodes nodesRead names. */
function stored(alg: HashAlgorithm, store: Map<string, Hash>) {
  return <T>(run: (t: ReturnType<typeof treeOver>) => T): { value: T; read: number } => {
    const ids = nodesRead(alg, run);
    const nodes: StoredNode[] = ids
      .filter((n) => store.has(`${n.level}:${n.index}`))
      .map((n) => ({ ...n, hash: store.get(`${n.level}:${n.index}`)! }));
    return { value: run(treeOver(alg, nodes)), read: ids.length };
  };
}

const hex = (hs: Hash[]) => hs.map((h) => h.toString('hex'));

describe.each<HashAlgorithm>(['sha256', 'sm3'])('the stored tree (%s)', (alg) => {
  const N = alg === 'sha256' ? 100 : 40;
  const leaves = Array.from({ length: N }, (_, i) => leafHash(alg, createHash('sha256').update(String(i)).digest()));
  const store = appendAll(alg, leaves);
  const over = stored(alg, store);

  it('stores at most 1 + log2(n) nodes an append, about two per leaf in all', () => {
    expect(store.size).toBeLessThanOrEqual(2 * N);
    for (let i = 0; i < N; i++) expect(leftSiblingsOf(i).length).toBeLessThanOrEqual(Math.log2(i + 1));
  });

  it('gives the root of merkle.ts at every size', () => {
    for (let size = 0; size <= N; size++)
      expect([size, over((t) => t.root(size)).value.toString('hex')]).toEqual([
        size,
        treeRoot(alg, leaves, size).toString('hex'),
      ]);
  });

  it("gives merkle.ts's inclusion proof for every leaf of every size", () => {
    for (let size = 1; size <= N; size++)
      for (let i = 0; i < size; i++) {
        const { value } = over((t) => t.inclusionProof(i, size));
        expect([size, i, hex(value)]).toEqual([size, i, hex(inclusionProof(alg, i, leaves, size))]);
      }
  });

  it("gives merkle.ts's consistency proof for every pair of sizes, which verifies", () => {
    for (let second = 1; second <= N; second++)
      for (let first = 1; first <= second; first++) {
        const { value } = over((t) => t.consistencyProof(first, second));
        expect([first, second, hex(value)]).toEqual([first, second, hex(consistencyProof(alg, first, second, leaves))]);
      }
    const root = (n: number) => treeRoot(alg, leaves, n);
    const proof = over((t) => t.consistencyProof(37, N)).value;
    expect(verifyConsistency(alg, 37, N, root(37), root(N), proof)).toBe(true);
  });

  it('keeps the same right edge in memory as it stores (MerkleAccumulator)', () => {
    const acc = new MerkleAccumulator(alg);
    const fromAcc = new Map<string, Hash>();
    for (let i = 0; i < N; i++) {
      for (const n of acc.push(leaves[i])) fromAcc.set(`${n.level}:${n.index}`, n.hash);
      expect(acc.root().toString('hex')).toBe(treeRoot(alg, leaves, i + 1).toString('hex'));
    }
    expect([...fromAcc.entries()].map(([k, v]) => [k, v.toString('hex')]).sort()).toEqual(
      [...store.entries()].map(([k, v]) => [k, v.toString('hex')]).sort(),
    );
  });
});

it('reads O(log n) nodes for a proof in a tree of ten million leaves', () => {
  // Only the nodes a proof reads exist here: nodesRead names them without any tree being built.
  const n = 10_000_000;
  for (const leaf of [0, 1, 4_999_999, 8_388_608, n - 1]) {
    const inclusion = nodesRead('sha256', (t) => t.inclusionProof(leaf, n));
    const consistency = nodesRead('sha256', (t) => t.consistencyProof(leaf + 1, n));
    expect(inclusion.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
    expect(consistency.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
  }
});

it('matches merkle.ts at random sizes across powers of two, and its proofs verify', () => {
  const alg: HashAlgorithm = 'sha256';
  const leaves = Array.from({ length: 1100 }, () => leafHash(alg, randomBytes(32)));
  const over = stored(alg, appendAll(alg, leaves));
  for (const size of [255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 1100]) {
    const root = treeRoot(alg, leaves, size);
    expect(over((t) => t.root(size)).value.equals(root)).toBe(true);
    for (let k = 0; k < 20; k++) {
      const i = Math.floor(Math.random() * size);
      const proof = over((t) => t.inclusionProof(i, size)).value;
      expect(hex(proof)).toEqual(hex(inclusionProof(alg, i, leaves, size)));
      expect(verifyInclusion(alg, i, size, leaves[i], proof, root)).toBe(true);
      const first = 1 + Math.floor(Math.random() * size);
      expect(hex(over((t) => t.consistencyProof(first, size)).value)).toEqual(
        hex(consistencyProof(alg, first, size, leaves)),
      );
    }
  }
});
