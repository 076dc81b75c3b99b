import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

// Every payload the app sends to Temporal (workflow inputs, Update arguments and results, activity inputs and
// results, queries) encrypted with a key Temporal never holds, so that whoever reads the Temporal database or
// reaches its UI or API without the key sees only ciphertext (docs/architecture.md, "Temporal"). AES-256-GCM, or
// SM4-CTR with an HMAC-SM3 tag under AUDIT_CRYPTO=gm (Node has no SM4-GCM). Runs in Node, outside the workflow
// sandbox: the worker, the API's client, the replay and the tests use it.
//
// What is encrypted is the payload's protobuf encoding (`temporal.api.common.v1.Payload`), marked in the outer
// metadata by `encryption-format: payload-proto`. Payloads written before that (no marker) hold a JSON text
// `{ m: metadata in base64, d: data in base64 }`, a third larger; they stay in Temporal's store, in histories and in
// backups, so decryption reads both and encryption writes only the new form.

const ENCRYPTED = 'binary/encrypted';
const FORMAT = 'payload-proto';
// The marker is authenticated, because it chooses how the plaintext is read and protobuf would read the old form's
// JSON text as a Payload (unknown fields skipped) rather than fail: a marker removed, added or changed must fail the
// check, not be misread (docs/architecture.md, "What Temporal sees"). Under AES-256-GCM it is the associated data of
// the new form (the old form has none; GCM's tag covers both lengths, so nothing moves between the two). Under
// SM4-CTR + HMAC-SM3 it is in the MAC key's derivation: the old form's HMAC covers the bare IV and ciphertext, so a
// marker merely prefixed to the new form's could be moved into an old-form body and pass; a key of its own cannot.
const FORMAT_AAD = Buffer.from(`encryption-format=${FORMAT}`, 'utf8');
const ProtoPayload = temporal.api.common.v1.Payload;
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
    const inner = ProtoPayload.encode(p).finish();
    const k = this.current;
    const iv = randomBytes(this.gm ? 16 : 12);
    let data: Buffer;
    if (this.gm) {
      const keys = sm4Keys(k.key, FORMAT_AAD);
      const c = createCipheriv('sm4-ctr', keys.enc, iv);
      const body = Buffer.concat([iv, c.update(inner), c.final()]);
      data = Buffer.concat([body, createHmac('sm3', keys.mac).update(body).digest()]);
    } else {
      const c = createCipheriv('aes-256-gcm', k.key, iv);
      c.setAAD(FORMAT_AAD);
      data = Buffer.concat([iv, c.update(inner), c.final(), c.getAuthTag()]);
    }
    return {
      metadata: {
        encoding: utf8(ENCRYPTED),
        'encryption-key-id': utf8(k.id),
        'encryption-cipher': utf8(this.gm ? 'sm4-ctr+hmac-sm3' : 'aes-256-gcm'),
        'encryption-format': utf8(FORMAT),
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
    const format = p.metadata?.['encryption-format'] ? text(p.metadata['encryption-format']) : null;
    if (format !== null && format !== FORMAT)
      throw new Error(
        `an encrypted payload of encryption-format ${JSON.stringify(format)}, which this codec does not read`,
      );
    const aad = format === FORMAT ? FORMAT_AAD : null;
    const raw = Buffer.from(p.data ?? new Uint8Array());
    const gm = text(p.metadata?.['encryption-cipher']) === 'sm4-ctr+hmac-sm3';
    if (raw.length < (gm ? 16 + 32 : 12 + 16)) throw new Error('an encrypted payload shorter than its IV and tag');
    let inner: Buffer;
    if (gm) {
      const keys = sm4Keys(k.key, aad);
      const body = raw.subarray(0, raw.length - 32);
      const tag = raw.subarray(raw.length - 32);
      if (!timingSafeEqual(tag, createHmac('sm3', keys.mac).update(body).digest())) throw new Error(FAILED);
      const d = createDecipheriv('sm4-ctr', keys.enc, body.subarray(0, 16));
      inner = Buffer.concat([d.update(body.subarray(16)), d.final()]);
    } else {
      const d = createDecipheriv('aes-256-gcm', k.key, raw.subarray(0, 12), { authTagLength: 16 });
      if (aad) d.setAAD(aad);
      d.setAuthTag(raw.subarray(raw.length - 16));
      try {
        inner = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
      } catch {
        throw new Error(FAILED);
      }
    }
    if (format === FORMAT) {
      const m = ProtoPayload.decode(inner);
      const out: Payload = { metadata: { ...m.metadata }, data: m.data };
      if (m.externalPayloads?.length) out.externalPayloads = m.externalPayloads;
      return out;
    }
    // The old form (no marker): the JSON text with metadata and data in base64.
    const { m, d } = JSON.parse(inner.toString('utf8')) as { m: Record<string, string>; d: string };
    return {
      metadata: Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Buffer.from(v, 'base64')])),
      data: Buffer.from(d, 'base64'),
    };
  }
}

const FAILED = 'an encrypted payload failed its check (its ciphertext, tag or encryption-format changed)';

/** The SM4 suite's cipher and MAC keys from the payload key; the new form's MAC key also from its marker (above). */
function sm4Keys(key: Buffer, format: Buffer | null): { enc: Buffer; mac: Buffer } {
  const mac = createHash('sha256').update('mac');
  if (format) mac.update(format);
  return {
    enc: createHash('sha256').update('sm4').update(key).digest().subarray(0, 16),
    mac: mac.update(key).digest(),
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
