import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJson } from './audit-chain';
import { generateSigningKey, SignatureAlgorithm, signMessage, SigningKey, verifyMessage } from './signing';

// Signing keys live in files (0600) outside the database (docs/architecture.md, "Checkpoints and witnesses"):
// whoever can rewrite the database then still cannot sign what it says. The file holds the SigningKey as JSON.

/** A public key's id: the SHA-256 of its text (PEM or hex), hex, as checkpoints and witnesses name it. */
export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(publicKey.trim()).digest('hex').slice(0, 32);
}

/** What a key signs when it hands over to its successor (a rotation): both keys' ids and the time. */
export function handoverMessage(from: string, to: string, at: string): string {
  return canonicalJson({ format: 'bianzhi-key-handover/1', from, to, at });
}

/**
 * The key a key file holds, checked to be one, with its predecessors checked to be a chain: each handed over to
 * the next (its signature over the handover), at increasing times, the last at this key's start. The one reader of
 * the file's format.
 */
export function parseKey(file: string): SigningKey {
  return checkKey(JSON.parse(fs.readFileSync(file, 'utf8')) as SigningKey, file);
}

/** The checks of parseKey on a key about to be written (`where` names it in the messages). */
export function checkKey(key: SigningKey, where: string): SigningKey {
  if (!key || !isAlgorithm(key.algorithm) || !key.publicKey || !key.privateKey)
    throw new Error(`${where} does not hold a signing key ({ algorithm, publicKey, privateKey })`);
  if (key.signedFrom !== undefined && !(Number.isSafeInteger(key.signedFrom) && key.signedFrom >= 1))
    throw new Error(`${where}: signedFrom is the first seq signed, an integer from 1`);
  const chain = [...(key.predecessors ?? []), key];
  let before = -Infinity;
  (key.predecessors ?? []).forEach((p, i) => {
    const next = chain[i + 1];
    const at = `${where}: predecessor ${i + 1} (${p?.publicKey ? keyIdOf(p.publicKey) : '?'})`;
    if (!p || !isAlgorithm(p.algorithm) || !p.publicKey || typeof p.validTo !== 'string')
      throw new Error(`${at} is not { algorithm, publicKey, validTo, handover }`);
    const from = p.validFrom === undefined ? before : Date.parse(p.validFrom);
    const to = Date.parse(p.validTo);
    if (!(from <= to) || from < before || Number.isNaN(to))
      throw new Error(`${at}: its validFrom and validTo are not times in order after the key before it`);
    if (next.validFrom !== p.validTo)
      throw new Error(`${at}: the next key's validFrom is not its validTo (the handover)`);
    const message = handoverMessage(keyIdOf(p.publicKey), keyIdOf(next.publicKey), p.validTo);
    if (p.handover === undefined ? !p.adoptedAt : !verifyMessage(p.algorithm, p.publicKey, message, p.handover))
      throw new Error(`${at}: its handover to the next key is not signed by it`);
    before = to;
  });
  return key;
}

function isAlgorithm(a: unknown): a is SignatureAlgorithm {
  return a === 'ed25519' || a === 'sm2';
}

/** Writes a key file whole (aside, then renamed over it): a reader sees the old file or the new one, 0600. */
export function writeKeyFile(file: string, key: SigningKey): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(aside, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(key, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(aside, file);
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * A rotation (`npm run audit:rotate-key`): a new key (of the same algorithm unless told) replaces the one in
 * `file`, which signs the handover and joins the predecessors with the time it was in force; the signing horizon
 * carries over. The old private key is not kept here; a copy that leaked signs nothing that passes after the
 * new key's first record (docs/architecture.md, "Which keys are trusted").
 */
export function rotateKeyFile(file: string, algorithm?: SignatureAlgorithm, at = new Date()): SigningKey {
  const old = parseKey(file);
  const next = generateSigningKey(algorithm ?? old.algorithm);
  const when = at.toISOString();
  if (old.validFrom && Date.parse(old.validFrom) >= at.getTime())
    throw new Error(`${file}: its key came into force at ${old.validFrom}, not before ${when}`);
  const rotated: SigningKey = {
    ...next,
    validFrom: when,
    ...(old.signedFrom !== undefined ? { signedFrom: old.signedFrom } : {}),
    predecessors: [
      ...(old.predecessors ?? []),
      {
        algorithm: old.algorithm,
        publicKey: old.publicKey,
        ...(old.validFrom ? { validFrom: old.validFrom } : {}),
        validTo: when,
        handover: signMessage(old, handoverMessage(keyIdOf(old.publicKey), keyIdOf(next.publicKey), when)),
      },
    ],
  };
  writeKeyFile(file, rotated);
  return rotated;
}

/**
 * The key in `file`, made (0600) if there is none yet, with `init` (the signing horizon) written in. Two processes
 * starting together (the API and the worker) end with the same key: the new file is written aside and linked into
 * place, which fails if one is there.
 */
export function loadOrCreateKeyFile(
  file: string,
  algorithm: SignatureAlgorithm,
  init: Pick<SigningKey, 'signedFrom'> = {},
): SigningKey {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(aside, JSON.stringify({ ...generateSigningKey(algorithm), ...init }), {
      mode: 0o600,
      flag: 'wx',
    });
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
