import { canonicalJson } from './audit-chain';
import { HashAlgorithm } from './merkle';
import { SignatureAlgorithm, signMessage, SigningKey, verifyMessage } from './signing';

/** A signed statement of the audit trail's head: its size, last record and Merkle root. */
export interface Checkpoint {
  treeSize: number;
  headSeq: number;
  headHash: string;
  rootHash: string;
  hashAlgorithm: HashAlgorithm;
  signatureAlgorithm: SignatureAlgorithm;
  publicKey: string;
  issuedAt: string;
  signature: string;
}

export type UnsignedCheckpoint = Omit<Checkpoint, 'signature'>;

export function signCheckpoint(body: UnsignedCheckpoint, key: SigningKey): Checkpoint {
  return { ...body, signature: signMessage(key, canonicalJson(body)) };
}

/** Checks a checkpoint's signature against the key the verifier trusts (not only the one it carries). */
export function verifyCheckpointSignature(cp: Checkpoint, trustedPublicKey: string = cp.publicKey): boolean {
  const { signature, ...body } = cp;
  return (
    body.publicKey.trim() === trustedPublicKey.trim() &&
    verifyMessage(cp.signatureAlgorithm, body.publicKey, canonicalJson(body), signature)
  );
}
