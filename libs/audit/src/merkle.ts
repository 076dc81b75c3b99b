import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

// A Merkle tree over the audit trail's records in the manner of RFC 6962 / RFC 9162 (Certificate
// Transparency): leaf hash H(0x00 || leaf), node hash H(0x01 || left || right), the split at the largest power
// of two smaller than the size. Inclusion and consistency proofs let an auditor who kept an old checkpoint prove
// the trail only grew, and that a record is in it, from a logarithmic number of hashes.

export type HashAlgorithm = 'sha256' | 'sm3';
export type Hash = Buffer;

/** crypto.hash (Node ≥ 20.12): the one-shot digest, without a Hash object per call. */
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

export function digest(alg: HashAlgorithm, ...parts: Buffer[]): Hash {
  // One-shot over the parts joined: verification hashes two to three times per record into its tree, and a Hash
  // object each time cost as much as the chain's own hashing (bench/README.md, "Proofs and checkpoints at scale").
  if (oneShot) return oneShot(alg, parts.length === 1 ? parts[0] : Buffer.concat(parts), 'buffer');
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (alg: HashAlgorithm, leaf: Buffer): Hash => digest(alg, LEAF, leaf);
export const nodeHash = (alg: HashAlgorithm, left: Hash, right: Hash): Hash => digest(alg, NODE, left, right);

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes [lo, hi). */
function subtreeRoot(alg: HashAlgorithm, leaves: Hash[], lo: number, hi: number): Hash {
  const n = hi - lo;
  if (n === 0) return digest(alg);
  if (n === 1) return leaves[lo];
  const k = split(n);
  return nodeHash(alg, subtreeRoot(alg, leaves, lo, lo + k), subtreeRoot(alg, leaves, lo + k, hi));
}

/** The tree head (MTH) over the first `size` leaf hashes. */
export function treeRoot(alg: HashAlgorithm, leafHashes: Hash[], size = leafHashes.length): Hash {
  return subtreeRoot(alg, leafHashes, 0, size);
}

/** PATH(m, D[lo:hi]) of RFC 6962 §2.1.1. */
function path(alg: HashAlgorithm, m: number, leaves: Hash[], lo: number, hi: number): Hash[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = split(n);
  return m < k
    ? [...path(alg, m, leaves, lo, lo + k), subtreeRoot(alg, leaves, lo + k, hi)]
    : [...path(alg, m - k, leaves, lo + k, hi), subtreeRoot(alg, leaves, lo, lo + k)];
}

export function inclusionProof(
  alg: HashAlgorithm,
  leafIndex: number,
  leafHashes: Hash[],
  size = leafHashes.length,
): Hash[] {
  if (leafIndex < 0 || leafIndex >= size || size > leafHashes.length)
    throw new RangeError('leaf index outside the tree');
  return path(alg, leafIndex, leafHashes, 0, size);
}

/** SUBPROOF(m, D[lo:hi], b) of RFC 6962 §2.1.2. */
function subproof(alg: HashAlgorithm, m: number, leaves: Hash[], lo: number, hi: number, whole: boolean): Hash[] {
  const n = hi - lo;
  if (m === n) return whole ? [] : [subtreeRoot(alg, leaves, lo, hi)];
  const k = split(n);
  return m <= k
    ? [...subproof(alg, m, leaves, lo, lo + k, whole), subtreeRoot(alg, leaves, lo + k, hi)]
    : [...subproof(alg, m - k, leaves, lo + k, hi, false), subtreeRoot(alg, leaves, lo, lo + k)];
}

export function consistencyProof(alg: HashAlgorithm, first: number, second: number, leafHashes: Hash[]): Hash[] {
  if (first < 1 || first > second || second > leafHashes.length) throw new RangeError('sizes outside the tree');
  return first === second ? [] : subproof(alg, first, leafHashes, 0, second, true);
}

/** Verifies an inclusion proof (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  alg: HashAlgorithm,
  leafIndex: number,
  treeSize: number,
  leaf: Hash,
  proof: Hash[],
  root: Hash,
): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(alg, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(alg, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

/** Verifies a consistency proof between two tree heads (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  alg: HashAlgorithm,
  first: number,
  second: number,
  firstRoot: Hash,
  secondRoot: Hash,
  proof: Hash[],
): boolean {
  if (first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const nodes = [...proof];
  if ((first & (first - 1)) === 0) nodes.unshift(firstRoot); // first is a power of two
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = nodes[0];
  let sr = nodes[0];
  for (const c of nodes.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(alg, c, fr);
      sr = nodeHash(alg, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = nodeHash(alg, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}
