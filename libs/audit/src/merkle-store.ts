import { digest, Hash, HashAlgorithm, nodeHash } from './merkle';

// The audit trail's Merkle tree kept incrementally (docs/architecture.md, "Checkpoints and witnesses"): each
// append stores the hashes of the complete, aligned subtrees it closes, so that the root at any size and the
// proofs of RFC 9162 §2.1 are computed from O(log n) stored nodes instead of rehashing every record. merkle.ts
// is the reference these must equal (libs/audit/test/merkle-store.spec.ts compares them).

/**
 * A stored node: the root of the complete subtree of 2^level leaves that starts at leaf index·2^level (level 0:
 * the leaf hashes themselves).
 */
export interface NodeId {
  level: number;
  index: number;
}

export interface StoredNode extends NodeId {
  hash: Hash;
}

const pow2 = (level: number) => 2 ** level;
/** floor(n / 2^level), exact for every safe integer (>> would cut at 32 bits). */
const shift = (n: number, level: number) => Math.floor(n / pow2(level));

/**
 * The nodes an append of leaf `index` needs besides the leaf: the left siblings it completes, lowest first
 * (one per trailing 1 bit of the index).
 */
export function leftSiblingsOf(index: number): NodeId[] {
  const out: NodeId[] = [];
  for (let level = 0; shift(index, level) % 2 === 1; level++) out.push({ level, index: shift(index, level) - 1 });
  return out;
}

/**
 * The nodes stored when leaf `index` (hash `leaf`) is appended: the leaf and every parent it completes, given the
 * left siblings of leftSiblingsOf(index), in that order.
 */
export function nodesCompletedBy(alg: HashAlgorithm, index: number, leaf: Hash, leftSiblings: Hash[]): StoredNode[] {
  const out: StoredNode[] = [{ level: 0, index, hash: leaf }];
  let hash = leaf;
  for (let level = 0; level < leftSiblings.length; level++) {
    hash = nodeHash(alg, leftSiblings[level], hash);
    out.push({ level: level + 1, index: shift(index, level + 1), hash });
  }
  return out;
}

/**
 * [lo, hi) as complete aligned subtrees, left to right: at each position the largest one that starts there and
 * fits. For every range the RFC's recursion asks for, this is the decomposition its split follows, so folding the
 * nodes from the right gives MTH(D[lo:hi]).
 */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  for (let at = lo; at < hi;) {
    let level = 0;
    while (at % pow2(level + 1) === 0 && at + pow2(level + 1) <= hi) level++;
    out.push({ level, index: shift(at, level) });
    at += pow2(level);
  }
  return out;
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The tree over stored nodes: roots and proofs, reading only the nodes they need through `node`. */
export class StoredTree {
  constructor(
    readonly alg: HashAlgorithm,
    private readonly node: (level: number, index: number) => Hash,
  ) {}

  /** MTH(D[lo:hi]) for a range of the RFC's recursion. */
  private mth(lo: number, hi: number): Hash {
    if (lo === hi) return digest(this.alg);
    const nodes = rangeNodes(lo, hi);
    let r = this.node(nodes[nodes.length - 1].level, nodes[nodes.length - 1].index);
    for (let i = nodes.length - 2; i >= 0; i--) r = nodeHash(this.alg, this.node(nodes[i].level, nodes[i].index), r);
    return r;
  }

  root(size: number): Hash {
    return this.mth(0, size);
  }

  leaf(index: number): Hash {
    return this.node(0, index);
  }

  /** PATH(m, D[lo:hi]) of RFC 9162 §2.1.3.1. */
  private path(m: number, lo: number, hi: number): Hash[] {
    const out: Hash[] = [];
    // Iterative: the siblings are collected root-down, then given leaf-up as the RFC's recursion gives them.
    while (hi - lo > 1) {
      const k = split(hi - lo);
      if (m < k) {
        out.push(this.mth(lo + k, hi));
        hi = lo + k;
      } else {
        out.push(this.mth(lo, lo + k));
        m -= k;
        lo += k;
      }
    }
    return out.reverse();
  }

  inclusionProof(leafIndex: number, size: number): Hash[] {
    if (leafIndex < 0 || leafIndex >= size) throw new RangeError('leaf index outside the tree');
    return this.path(leafIndex, 0, size);
  }

  /** SUBPROOF(m, D[0:n], true) of RFC 9162 §2.1.4.1. */
  consistencyProof(first: number, second: number): Hash[] {
    if (first < 1 || first > second) throw new RangeError('sizes outside the tree');
    if (first === second) return [];
    const out: Hash[] = [];
    let m = first;
    let lo = 0;
    let hi = second;
    let whole = true;
    for (;;) {
      const n = hi - lo;
      if (m === n) {
        if (!whole) out.push(this.mth(lo, hi));
        break;
      }
      const k = split(n);
      if (m <= k) {
        out.push(this.mth(lo + k, hi));
        hi = lo + k;
      } else {
        out.push(this.mth(lo, lo + k));
        m -= k;
        lo += k;
        whole = false;
      }
    }
    return out.reverse();
  }
}

const PLACEHOLDER = Buffer.alloc(32);

/**
 * The stored nodes a computation over a StoredTree reads, found by running it on placeholders (a few hundred
 * hashes at most): the caller fetches these in one query and runs it again on the real nodes.
 */
export function nodesRead(alg: HashAlgorithm, run: (tree: StoredTree) => void): NodeId[] {
  const seen = new Map<string, NodeId>();
  run(
    new StoredTree(alg, (level, index) => {
      seen.set(`${level}:${index}`, { level, index });
      return PLACEHOLDER;
    }),
  );
  return [...seen.values()];
}

/** Thrown when a node a computation needs is not stored (a trail appended without its tree, or cut). */
export class MissingTreeNode extends Error {
  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super(`the Merkle tree has no node at level ${level}, index ${index}`);
  }
}

/** A StoredTree over nodes fetched already (see nodesRead). */
export function treeOver(alg: HashAlgorithm, nodes: StoredNode[]): StoredTree {
  const byId = new Map(nodes.map((n) => [`${n.level}:${n.index}`, n.hash]));
  return new StoredTree(alg, (level, index) => {
    const h = byId.get(`${level}:${index}`);
    if (!h) throw new MissingTreeNode(level, index);
    return h;
  });
}

/**
 * The tree's right edge kept in memory while leaves are read in order (verification, the migration that builds
 * the stored tree): each push gives the nodes it completes, and the root at the current size costs O(log n).
 */
export class MerkleAccumulator {
  private edge: StoredNode[] = [];
  size = 0;

  constructor(readonly alg: HashAlgorithm) {}

  push(leaf: Hash): StoredNode[] {
    const index = this.size++;
    const completed: StoredNode[] = [{ level: 0, index, hash: leaf }];
    let top: StoredNode = completed[0];
    while (this.edge.length && this.edge[this.edge.length - 1].level === top.level) {
      const left = this.edge.pop()!;
      top = { level: top.level + 1, index: left.index / 2, hash: nodeHash(this.alg, left.hash, top.hash) };
      completed.push(top);
    }
    this.edge.push(top);
    return completed;
  }

  root(): Hash {
    if (!this.edge.length) return digest(this.alg);
    let r = this.edge[this.edge.length - 1].hash;
    for (let i = this.edge.length - 2; i >= 0; i--) r = nodeHash(this.alg, this.edge[i].hash, r);
    return r;
  }
}
