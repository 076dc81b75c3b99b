import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

// The second factor (TOTP, RFC 6238: six digits, 30-second steps, one step of drift either way). Secrets are
// encrypted at rest with AES-256-GCM when TOTP_ENCRYPTION_KEY is set; without it they are stored in plain base32
// and the database's own protection is all they have (docs/architecture.md, "Accounts and the security log").

export const TOTP_PERIOD_S = 30;
const ENCRYPTED = 'enc:v1:';

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

export function newTotp(username: string): TOTP {
  return new TOTP({ issuer: 'Bianzhi Flow', label: username, secret: new Secret({ size: 20 }), period: TOTP_PERIOD_S });
}

export function totpOf(username: string, base32: string): TOTP {
  return new TOTP({
    issuer: 'Bianzhi Flow',
    label: username,
    secret: Secret.fromBase32(base32),
    period: TOTP_PERIOD_S,
  });
}

/** The time step a code belongs to, or null when it matches none within one step of `now`. */
export function stepOf(totp: TOTP, code: string, now: Date): number | null {
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S) + delta;
}
