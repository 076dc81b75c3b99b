import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

// The second factor: TOTP (RFC 6238 over RFC 4226's HOTP: HMAC-SHA1, six digits, 30-second steps, one step of
// drift either way), written on node:crypto. Secrets are encrypted at rest with AES-256-GCM when
// TOTP_ENCRYPTION_KEY is set; without it they are stored in plain base32, protected by the database's access
// control only (README, "Production").

export const TOTP_PERIOD_S = 30;
const DIGITS = 6;
const ENCRYPTED = 'enc:v1:';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function toBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function fromBase32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const i = BASE32.indexOf(ch);
    if (i < 0) throw new Error('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code of one time step (RFC 4226 dynamic truncation). */
export function totpCode(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', fromBase32(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const n = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(n % 10 ** DIGITS).padStart(DIGITS, '0');
}

export const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S);

/** The time step a code belongs to, or null when it matches none within one step of `now`. */
export function stepOf(secretBase32: string, code: string, now: Date): number | null {
  const current = stepAt(now);
  for (const step of [current, current - 1, current + 1]) if (totpCode(secretBase32, step) === code) return step;
  return null;
}

export function newTotpSecret(): string {
  return toBase32(randomBytes(20));
}

/** The key URI authenticator apps read (as a QR code). */
export function otpauthUrl(username: string, secretBase32: string): string {
  const issuer = 'Bianzhi Flow';
  const label = encodeURIComponent(`${issuer}:${username}`);
  return `otpauth://totp/${label}?issuer=${encodeURIComponent(issuer)}&secret=${secretBase32}&algorithm=SHA1&digits=${DIGITS}&period=${TOTP_PERIOD_S}`;
}

function keyOf(passphrase: string): Buffer {
  return createHash('sha256').update(passphrase, 'utf8').digest();
}

export function sealSecret(base32: string, passphrase: string | undefined): string {
  if (!passphrase) return base32;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(passphrase), iv);
  const sealed = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ENCRYPTED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

export function openSecret(stored: string, passphrase: string | undefined): string {
  if (!stored.startsWith(ENCRYPTED)) return stored;
  if (!passphrase) throw new Error('a TOTP secret is encrypted but TOTP_ENCRYPTION_KEY is not set');
  const raw = Buffer.from(stored.slice(ENCRYPTED.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(passphrase), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
