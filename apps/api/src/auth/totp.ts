import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

// The second factor: TOTP (RFC 6238 over RFC 4226's HOTP: HMAC-SHA1, six digits, 30-second steps, one step of
// drift either way), computed by the `otpauth` library. Secrets are encrypted at rest with AES-256-GCM when
// TOTP_ENCRYPTION_KEY is set; without it they are stored in plain base32, protected by the database's access
// control only (README, "Production").

export const TOTP_PERIOD_S = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
const ISSUER = 'Bianzhi Flow';
const ENCRYPTED = 'enc:v1:';

export function toBase32(bytes: Buffer): string {
  return Secret.fromHex(bytes.toString('hex')).base32;
}

/** The code of one time step (a TOTP code is the HOTP code of the step's counter). */
export function totpCode(secretBase32: string, step: number): string {
  return HOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    counter: step,
    algorithm: ALGORITHM,
    digits: DIGITS,
  });
}

export const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S);

/** The time step a code belongs to, or null when it matches none within one step of `now`. */
export function stepOf(secretBase32: string, code: string, now: Date): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: TOTP_PERIOD_S,
    timestamp: now.getTime(),
    window: 1,
  });
  return delta === null ? null : stepAt(now) + delta;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The key URI authenticator apps read (as a QR code). */
export function otpauthUrl(username: string, secretBase32: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  }).toString();
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
