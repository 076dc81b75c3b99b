import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';

// Every payload the app sends to Temporal (workflow inputs, Update arguments and results, activity inputs and
// results, queries) encrypted with a key Temporal never holds, so that whoever reads the Temporal database or
// reaches its UI or API without the key sees only ciphertext (docs/architecture.md, "Temporal"). AES-256-GCM, or
// SM4-CTR with an HMAC-SM3 tag under AUDIT_CRYPTO=gm (Node has no SM4-GCM). Runs in Node, outside the workflow
// sandbox: the worker, the API's client, the replay and the tests use it.

const ENCRYPTED = 'binary/encrypted';
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : '');

export interface CodecKey {
  /** The first 16 hex characters of the key's SHA-256: names the key in each payload, for rotation. */
  id: string;
  key: Buffer;
}

export function codecKey(hex: string): CodecKey {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a payload key is 64 hex characters (32 bytes)');
  const key = Buffer.from(hex, 'hex');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, CodecKey>;

  /** `current` encrypts; it and `older` keys decrypt (a rotated key's payloads stay readable). */
  constructor(
    private readonly current: CodecKey,
    private readonly gm = false,
    older: CodecKey[] = [],
  ) {
    this.byId = new Map([current, ...older].map((k) => [k.id, k]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  private encrypt(p: Payload): Payload {
    const inner = Buffer.from(
      JSON.stringify({
        m: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        d: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
      }),
      'utf8',
    );
    const k = this.current;
    const iv = randomBytes(this.gm ? 16 : 12);
    let data: Buffer;
    if (this.gm) {
      const keys = sm4Keys(k.key);
      const c = createCipheriv('sm4-ctr', keys.enc, iv);
      const body = Buffer.concat([iv, c.update(inner), c.final()]);
      data = Buffer.concat([body, createHmac('sm3', keys.mac).update(body).digest()]);
    } else {
      const c = createCipheriv('aes-256-gcm', k.key, iv);
      data = Buffer.concat([iv, c.update(inner), c.final(), c.getAuthTag()]);
    }
    return {
      metadata: {
        encoding: utf8(ENCRYPTED),
        'encryption-key-id': utf8(k.id),
        'encryption-cipher': utf8(this.gm ? 'sm4-ctr+hmac-sm3' : 'aes-256-gcm'),
      },
      data,
    };
  }

  private decrypt(p: Payload): Payload {
    // A payload written before encryption was turned on (or by a run started then) passes as it is.
    if (text(p.metadata?.encoding) !== ENCRYPTED) return p;
    const id = text(p.metadata?.['encryption-key-id']);
    const k = this.byId.get(id);
    if (!k) throw new Error(`a payload encrypted with key ${id}, which this process does not hold`);
    const raw = Buffer.from(p.data ?? new Uint8Array());
    let inner: Buffer;
    if (text(p.metadata?.['encryption-cipher']) === 'sm4-ctr+hmac-sm3') {
      const keys = sm4Keys(k.key);
      const body = raw.subarray(0, raw.length - 32);
      const tag = raw.subarray(raw.length - 32);
      if (!timingSafeEqual(tag, createHmac('sm3', keys.mac).update(body).digest()))
        throw new Error('an encrypted payload failed its check');
      const d = createDecipheriv('sm4-ctr', keys.enc, body.subarray(0, 16));
      inner = Buffer.concat([d.update(body.subarray(16)), d.final()]);
    } else {
      const d = createDecipheriv('aes-256-gcm', k.key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(raw.length - 16));
      inner = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
    }
    const { m, d } = JSON.parse(inner.toString('utf8')) as { m: Record<string, string>; d: string };
    return {
      metadata: Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Buffer.from(v, 'base64')])),
      data: Buffer.from(d, 'base64'),
    };
  }
}

function sm4Keys(key: Buffer): { enc: Buffer; mac: Buffer } {
  return {
    enc: createHash('sha256').update('sm4').update(key).digest().subarray(0, 16),
    mac: createHash('sha256').update('mac').update(key).digest(),
  };
}

/**
 * The codec the environment configures: TEMPORAL_CODEC_KEY_FILE (a 0600 file whose first line is the current key,
 * 64 hex characters, and further lines older keys still read) or TEMPORAL_CODEC_KEY; none: payloads in the clear.
 */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): EncryptionCodec | null {
  const file = env.TEMPORAL_CODEC_KEY_FILE;
  const lines = (file ? fs.readFileSync(file, 'utf8') : (env.TEMPORAL_CODEC_KEY ?? '')).split(/\s+/).filter(Boolean);
  if (!lines.length) return null;
  const [current, ...older] = lines.map(codecKey);
  return new EncryptionCodec(current, env.AUDIT_CRYPTO === 'gm', older);
}

/** The data converter for clients and workers: the payload codec when one is configured. */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter {
  const codec = codecFromEnv(env);
  return codec ? { payloadCodecs: [codec] } : {};
}

/**
 * A fetched workflow history with every encrypted payload decoded in place (for the replay, the dossier and the
 * committed test histories): the proto's payloads are any `{ metadata, data }` whose encoding is ours.
 */
export async function decodeHistory<T>(history: T, codec: PayloadCodec | null): Promise<T> {
  if (!codec) return history;
  const visit = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map(visit));
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return node;
    const o = node as Record<string, unknown>;
    if ('metadata' in o && 'data' in o && text((o.metadata as Payload['metadata'])?.encoding) === ENCRYPTED)
      return (await codec.decode([o as Payload]))[0];
    for (const [k, v] of Object.entries(o)) o[k] = await visit(v);
    return o;
  };
  return (await visit(history)) as T;
}
