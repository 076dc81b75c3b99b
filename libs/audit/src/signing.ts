import {
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  createPrivateKey,
  createPublicKey,
  KeyObject,
} from 'node:crypto';
import type { HashAlgorithm } from './merkle';

// Signatures over audit checkpoints. Two algorithm sets (GB/T 39786-2021 asks for the second where an office
// must pass 密评): SHA-256 with Ed25519 (Node's OpenSSL), and SM3 with SM2 (sm-crypto, GB/T 32918 signatures
// with the default user id and SM3 over Z_A, as a verifier outside expects).

const { sm2 } = require('sm-crypto') as {
  sm2: {
    generateKeyPairHex(): { publicKey: string; privateKey: string };
    doSignature(m: string, k: string, o: object): string;
    doVerifySignature(m: string, s: string, k: string, o: object): boolean;
  };
};

export type SignatureAlgorithm = 'ed25519' | 'sm2';

export interface CryptoSuite {
  hash: HashAlgorithm;
  signature: SignatureAlgorithm;
}

export const SUITES: Record<string, CryptoSuite> = {
  standard: { hash: 'sha256', signature: 'ed25519' },
  gm: { hash: 'sm3', signature: 'sm2' }, // 国密
};

/** The suite AUDIT_CRYPTO chooses: `gm` for SM3 and SM2, anything else the standard one. */
export function suiteOf(env: NodeJS.ProcessEnv = process.env): CryptoSuite {
  return SUITES[env.AUDIT_CRYPTO === 'gm' ? 'gm' : 'standard'];
}

export interface SigningKey {
  algorithm: SignatureAlgorithm;
  /** Ed25519: SPKI PEM; SM2: uncompressed point, hex. */
  publicKey: string;
  /** Ed25519: PKCS#8 PEM; SM2: hex. */
  privateKey: string;
  /**
   * What the key file says of the trail, which the database cannot change (docs/architecture.md, "Which keys are
   * trusted"): when this key came into force (a rotation's handover; absent for the first key), the first seq
   * the application signs (the signing horizon, written into the file at its first start), and the keys before
   * this one, oldest first.
   */
  validFrom?: string;
  signedFrom?: number;
  predecessors?: PredecessorKey[];
}

/** A key that signed the trail before its successor in the key file, and until when. */
export interface PredecessorKey {
  algorithm: SignatureAlgorithm;
  publicKey: string;
  /** ISO time it came into force; absent: the first key. */
  validFrom?: string;
  /** ISO time of its handover to the next key. */
  validTo: string;
  /**
   * Its signature (hex) over the handover (handoverMessage) to the next key; absent for a predecessor taken over
   * from the database once, when a key file from before this field was first read (adoptedAt says when).
   */
  handover?: string;
  adoptedAt?: string;
}

export function generateSigningKey(algorithm: SignatureAlgorithm): SigningKey {
  if (algorithm === 'sm2') {
    const k = sm2.generateKeyPairHex();
    return { algorithm, publicKey: k.publicKey, privateKey: k.privateKey };
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    algorithm,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const SM2_OPTIONS = { hash: true, der: false };

// Parsed keys, kept: parsing a PEM costs ten times an Ed25519 signature, and every audit record is signed (and
// verified) with one of a handful of keys.
const parsed = new Map<string, KeyObject>();
function keyObject(pem: string, make: (pem: string) => KeyObject): KeyObject {
  let k = parsed.get(pem);
  if (!k) {
    if (parsed.size > 64) parsed.clear();
    parsed.set(pem, (k = make(pem)));
  }
  return k;
}

/** Signs a message; the signature is hex. */
export function signMessage(key: SigningKey, message: string): string {
  if (key.algorithm === 'sm2') return sm2.doSignature(message, key.privateKey, SM2_OPTIONS);
  return nodeSign(null, Buffer.from(message, 'utf8'), keyObject(key.privateKey, createPrivateKey)).toString('hex');
}

export function verifyMessage(
  algorithm: SignatureAlgorithm,
  publicKey: string,
  message: string,
  signatureHex: string,
): boolean {
  try {
    if (algorithm === 'sm2') return sm2.doVerifySignature(message, signatureHex, publicKey, SM2_OPTIONS);
    return nodeVerify(
      null,
      Buffer.from(message, 'utf8'),
      keyObject(publicKey, createPublicKey),
      Buffer.from(signatureHex, 'hex'),
    );
  } catch {
    return false;
  }
}
