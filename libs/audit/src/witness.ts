import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJson } from './audit-chain';
import { Checkpoint, verifyCheckpointSignature } from './checkpoint';
import { keyIdOf } from './key-file';
import { verifyConsistency } from './merkle';
import { SignatureAlgorithm, signMessage, SigningKey, verifyMessage } from './signing';

// Witnesses of the audit trail's checkpoints, in the manner of C2SP tlog-witness (docs/architecture.md,
// "Checkpoints and witnesses"): a witness keeps the checkpoints it accepted, one file each and never overwritten,
// and accepts a new one only if the log's signature verifies with the key it pinned and a consistency proof shows
// the new tree extends its last one. A database rewritten behind the API can then no longer be made to agree with
// what was witnessed. The same store serves the log's witness directory (AUDIT_WITNESS_DIR) and the HTTP witness
// (`npm run witness`, witness-server.ts), which co-signs what it accepts.

/** What the log sends a witness: its checkpoint and the proof that it extends the witness's last (oldSize). */
export interface AddCheckpointRequest {
  oldSize: number;
  consistencyProof: string[];
  checkpoint: Checkpoint;
}

/** A witness's signature over a checkpoint it accepted. */
export interface Cosignature {
  /** The witness's name for itself (WITNESS_NAME). */
  witness: string;
  keyId: string;
  algorithm: SignatureAlgorithm;
  publicKey: string;
  timestamp: string;
  signature: string;
}

export const COSIGNATURE_FORMAT = 'bianzhi-cosignature/1';

/** The text a witness signs: the whole checkpoint (with the log's signature), its name and the time. */
export function cosignedText(cp: Checkpoint, witness: string, timestamp: string): string {
  return canonicalJson({ format: COSIGNATURE_FORMAT, witness, timestamp, checkpoint: cp });
}

export function cosign(cp: Checkpoint, witness: string, key: SigningKey, now = new Date()): Cosignature {
  const timestamp = now.toISOString();
  return {
    witness,
    keyId: keyIdOf(key.publicKey),
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    timestamp,
    signature: signMessage(key, cosignedText(cp, witness, timestamp)),
  };
}

/** Checks a co-signature with the witness key the verifier trusts (by default the one it carries). */
export function verifyCosignature(cp: Checkpoint, c: Cosignature, trustedKey: string = c.publicKey): boolean {
  return (
    c.publicKey.trim() === trustedKey.trim() &&
    verifyMessage(c.algorithm, c.publicKey, cosignedText(cp, c.witness, c.timestamp), c.signature)
  );
}

/** Why a witness did not take a checkpoint: its last size is another (send a proof from there), or a refusal. */
export type WitnessRefusal =
  { kind: 'conflict'; treeSize: number } | { kind: 'refused'; reason: string; badSignature?: boolean };
export type WitnessAnswer = { kind: 'accepted'; checkpoint: Checkpoint } | WitnessRefusal;

const FILE = /^(\d{16})\.json$/;
const fileOf = (treeSize: number) => `${String(treeSize).padStart(16, '0')}.json`;

/** An append-only directory of checkpoints, each checked against the last before it is written. */
export class WitnessStore {
  /** @param pinnedKeys the log's public keys whose signatures are accepted (PEM or hex). */
  constructor(
    readonly dir: string,
    private readonly pinnedKeys: string[],
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private sizes(): number[] {
    return fs
      .readdirSync(this.dir)
      .map((f) => FILE.exec(f)?.[1])
      .filter((s): s is string => !!s)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private read(treeSize: number): Checkpoint {
    return JSON.parse(fs.readFileSync(path.join(this.dir, fileOf(treeSize)), 'utf8')) as Checkpoint;
  }

  latest(): Checkpoint | undefined {
    const sizes = this.sizes();
    return sizes.length ? this.read(sizes[sizes.length - 1]) : undefined;
  }

  /** Every checkpoint kept, by tree size. */
  all(): Checkpoint[] {
    return this.sizes().map((s) => this.read(s));
  }

  /**
   * Takes a checkpoint if its signature verifies with a pinned key and it extends the last one kept (or there is
   * none: the first is trusted on first use). Synchronous, so that one process never checks two against the same
   * last; another process writing the same directory can only add a file, never replace one.
   */
  add(req: AddCheckpointRequest): WitnessAnswer {
    const cp = req.checkpoint;
    if (!Number.isSafeInteger(cp?.treeSize) || cp.treeSize < 0) return { kind: 'refused', reason: 'no tree size' };
    if (!this.pinnedKeys.some((k) => verifyCheckpointSignature(cp, k)))
      return { kind: 'refused', reason: "the log's signature does not verify with the pinned key", badSignature: true };
    const last = this.latest();
    const lastSize = last?.treeSize ?? 0;
    if (req.oldSize !== lastSize) return { kind: 'conflict', treeSize: lastSize };
    if (last) {
      const refusal = this.inconsistency(last, cp, req.consistencyProof);
      if (refusal) return { kind: 'refused', reason: refusal };
      if (cp.treeSize === last.treeSize) return { kind: 'accepted', checkpoint: last };
    }
    try {
      fs.writeFileSync(path.join(this.dir, fileOf(cp.treeSize)), JSON.stringify(cp, null, 1), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Written meanwhile by another process: the same checkpoint or a refusal, never a replacement.
      const kept = this.read(cp.treeSize);
      if (kept.rootHash !== cp.rootHash)
        return { kind: 'refused', reason: `another root is kept for tree size ${cp.treeSize}` };
      return { kind: 'accepted', checkpoint: kept };
    }
    return { kind: 'accepted', checkpoint: cp };
  }

  private inconsistency(last: Checkpoint, cp: Checkpoint, proof: string[]): string | undefined {
    if (cp.hashAlgorithm !== last.hashAlgorithm) return `the hash algorithm changed from ${last.hashAlgorithm}`;
    if (cp.treeSize < last.treeSize) return `tree size ${cp.treeSize} is smaller than the last, ${last.treeSize}`;
    if (cp.treeSize === last.treeSize)
      return cp.rootHash === last.rootHash ? undefined : `another root for tree size ${cp.treeSize}`;
    const hex = (h: string) => Buffer.from(h, 'hex');
    const ok =
      Array.isArray(proof) &&
      proof.every((h) => typeof h === 'string' && /^[0-9a-f]+$/.test(h)) &&
      verifyConsistency(
        cp.hashAlgorithm,
        last.treeSize,
        cp.treeSize,
        hex(last.rootHash),
        hex(cp.rootHash),
        proof.map(hex),
      );
    return ok ? undefined : `not consistent with the last checkpoint (tree size ${last.treeSize})`;
  }
}

/** What a log hears from an HTTP witness (witness-server.ts). */
export type WitnessReply =
  { kind: 'cosigned'; cosignature: Cosignature } | WitnessRefusal | { kind: 'unreachable'; reason: string };

/** Sends a checkpoint to an HTTP witness: POST {url}/add-checkpoint. */
export async function submitToWitness(url: string, req: AddCheckpointRequest, timeoutMs = 5000): Promise<WitnessReply> {
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/+$/, '')}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { kind: 'unreachable', reason: err instanceof Error ? err.message : String(err) };
  }
  const body = (await res.json().catch(() => ({}))) as { treeSize?: number; reason?: string } & Partial<Cosignature>;
  if (res.status === 200 && body.signature) return { kind: 'cosigned', cosignature: body as Cosignature };
  if (res.status === 409 && typeof body.treeSize === 'number') return { kind: 'conflict', treeSize: body.treeSize };
  if (res.status === 403 || res.status === 422)
    return { kind: 'refused', reason: body.reason ?? `answered ${res.status}`, badSignature: res.status === 403 };
  return { kind: 'unreachable', reason: `answered ${res.status}` };
}

/** An HTTP witness's last checkpoint (GET {url}/checkpoint), or undefined if it has none or cannot be reached. */
export async function witnessLatest(url: string, timeoutMs = 5000): Promise<Checkpoint | undefined> {
  try {
    const res = await fetch(`${url.replace(/\/+$/, '')}/checkpoint`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? ((await res.json()) as Checkpoint) : undefined;
  } catch {
    return undefined;
  }
}
