import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { maskIdNumber, normaliseIdNumber } from '@bianzhi/domain';
import { ApiError } from '../common/api-error';

// The citizen ID numbers of people on the establishment (实名制), kept apart from everything else (docs/domain.md,
// "People on the establishment"): encrypted field by field with a key the database never holds (PEOPLE_KEY_FILE, a
// 0600 file of 64 hex characters, or PEOPLE_KEY), found by a keyed hash (HMAC) so that nobody holding only the
// database can test a guessed number, and shown masked to everyone but the office.

interface Keys {
  hash: Buffer;
  seal: Buffer;
  mac: Buffer;
}

@Injectable()
export class IdVault {
  private readonly log = new Logger('IdVault');
  private keys: Keys | null = null;
  /** AUDIT_CRYPTO=gm: SM4 (CTR) with an HMAC-SM3 tag and an HMAC-SM3 hash; else AES-256-GCM and HMAC-SHA-256. */
  private readonly gm: boolean;

  constructor(private readonly config: ConfigService) {
    this.gm = config.get('AUDIT_CRYPTO') === 'gm';
    if (!config.get('PEOPLE_KEY_FILE') && !config.get('PEOPLE_KEY'))
      this.log.warn('no PEOPLE_KEY_FILE: people records (实名制) are unavailable until one is configured');
  }

  /** Read on first use, so that an API without people records configured still serves everything else. */
  private key(): Keys {
    if (this.keys) return this.keys;
    const file = this.config.get<string>('PEOPLE_KEY_FILE');
    const text = file ? fs.readFileSync(file, 'utf8').trim() : (this.config.get<string>('PEOPLE_KEY') ?? '');
    if (!/^[0-9a-fA-F]{64}$/.test(text))
      throw new ApiError(
        503,
        'UNAVAILABLE',
        'people records need PEOPLE_KEY_FILE (a file of 64 hex characters) to seal ID numbers',
      );
    if (file && (fs.statSync(file).mode & 0o077) !== 0)
      this.log.warn(`${file} is readable by others than its owner: chmod 600 it`);
    const master = Buffer.from(text, 'hex');
    const derive = (info: string, n: number) => Buffer.from(hkdfSync('sha256', master, '', info, n));
    this.keys = {
      hash: derive('bianzhi people id hash', 32),
      seal: derive(this.gm ? 'bianzhi people id sm4' : 'bianzhi people id aes', this.gm ? 16 : 32),
      mac: derive('bianzhi people id sm4 mac', 32),
    };
    return this.keys;
  }

  /** The keyed hash of a (normalised) ID number: 64 hex characters. */
  hash(idNumber: string): string {
    return createHmac(this.gm ? 'sm3' : 'sha256', this.key().hash)
      .update(normaliseIdNumber(idNumber))
      .digest('hex');
  }

  mask(idNumber: string): string {
    return maskIdNumber(idNumber);
  }

  /** The ID number encrypted, tagged with its scheme so that a later key or algorithm can tell it apart. */
  seal(idNumber: string): string {
    const k = this.key();
    const plain = Buffer.from(normaliseIdNumber(idNumber), 'utf8');
    const iv = randomBytes(this.gm ? 16 : 12);
    if (this.gm) {
      const c = createCipheriv('sm4-ctr', k.seal, iv);
      const body = Buffer.concat([iv, c.update(plain), c.final()]);
      const tag = createHmac('sm3', k.mac).update(body).digest();
      return `sm4ctr-hmacsm3:${Buffer.concat([body, tag]).toString('base64')}`;
    }
    const c = createCipheriv('aes-256-gcm', k.seal, iv);
    const ct = Buffer.concat([c.update(plain), c.final()]);
    return `aes256gcm:${Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64')}`;
  }

  /** The ID number back; a sealed value altered or sealed with another key is refused. */
  open(sealed: string): string {
    const k = this.key();
    const [scheme, data] = sealed.split(':');
    const raw = Buffer.from(data ?? '', 'base64');
    if (scheme !== (this.gm ? 'sm4ctr-hmacsm3' : 'aes256gcm'))
      throw new Error(`an ID number sealed with ${scheme}, not this office's scheme`);
    if (scheme === 'sm4ctr-hmacsm3') {
      const body = raw.subarray(0, raw.length - 32);
      const tag = raw.subarray(raw.length - 32);
      const expected = createHmac('sm3', k.mac).update(body).digest();
      if (tag.length !== 32 || !timingSafeEqual(tag, expected)) throw new Error('a sealed ID number failed its check');
      const d = createDecipheriv('sm4-ctr', k.seal, body.subarray(0, 16));
      return Buffer.concat([d.update(body.subarray(16)), d.final()]).toString('utf8');
    }
    const d = createDecipheriv('aes-256-gcm', k.seal, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  }
}
