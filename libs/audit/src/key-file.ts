import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSigningKey, SignatureAlgorithm, SigningKey } from './signing';

// Signing keys live in files (0600) outside the database (docs/architecture.md, "Checkpoints and witnesses"):
// whoever can rewrite the database then still cannot sign what it says. The file holds the SigningKey as JSON.

/** A public key's id: the SHA-256 of its text (PEM or hex), hex, as checkpoints and witnesses name it. */
export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(publicKey.trim()).digest('hex').slice(0, 32);
}

/** The key a key file holds, checked to be one; the one reader of the file's format. */
export function parseKey(file: string): SigningKey {
  const key = JSON.parse(fs.readFileSync(file, 'utf8')) as SigningKey;
  if (!key || (key.algorithm !== 'ed25519' && key.algorithm !== 'sm2') || !key.publicKey || !key.privateKey)
    throw new Error(`${file} does not hold a signing key ({ algorithm, publicKey, privateKey })`);
  return key;
}

/**
 * The key in `file`, made (0600) if there is none yet. Two processes starting together (the API and the worker)
 * end with the same key: the new file is written aside and linked into place, which fails if one is there.
 */
export function loadOrCreateKeyFile(file: string, algorithm: SignatureAlgorithm): SigningKey {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(aside, JSON.stringify(generateSigningKey(algorithm)), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(aside, { force: true });
    }
  }
  const key = parseKey(file);
  if (key.algorithm !== algorithm)
    throw new Error(`${file} holds an ${key.algorithm} key, but ${algorithm} signatures are configured (AUDIT_CRYPTO)`);
  return key;
}

/**
 * The public keys in a text as an operator keeps them (GET /v1/audit/public-key): each PEM block, and each line of
 * hex (an SM2 point). Used by witnesses and the dossier's verifier to pin the log's keys.
 */
export function pinnedKeysOf(text: string): string[] {
  const pems = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  const rest = text.replace(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g, '');
  const hex = rest
    .split(/\s+/)
    .map((l) => l.trim())
    .filter((l) => /^[0-9a-fA-F]{64,}$/.test(l));
  return [...pems.map((p) => `${p}\n`), ...hex];
}
