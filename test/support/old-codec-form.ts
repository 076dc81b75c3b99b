import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import type { CodecKey } from '@bianzhi/workflows/codec';

// Payloads as Temporal's store, committed histories and backups hold them from before the codec encrypted the
// protobuf form (workflows/codec.ts): the codec must still read them, and the tests make some here.

const enc = (s: string) => new TextEncoder().encode(s);

/** The codec's algorithm before the protobuf form (commit 5b5f2aa), kept here to make old-form payloads. */
export function oldFormEncrypt(p: Payload, k: CodecKey, gm: boolean): Payload {
  const inner = Buffer.from(
    JSON.stringify({
      m: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([n, v]) => [n, Buffer.from(v).toString('base64')])),
      d: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    }),
    'utf8',
  );
  const iv = randomBytes(gm ? 16 : 12);
  let data: Buffer;
  if (gm) {
    const enc = createHash('sha256').update('sm4').update(k.key).digest().subarray(0, 16);
    const mac = createHash('sha256').update('mac').update(k.key).digest();
    const c = createCipheriv('sm4-ctr', enc, iv);
    const body = Buffer.concat([iv, c.update(inner), c.final()]);
    data = Buffer.concat([body, createHmac('sm3', mac).update(body).digest()]);
  } else {
    const c = createCipheriv('aes-256-gcm', k.key, iv);
    data = Buffer.concat([iv, c.update(inner), c.final(), c.getAuthTag()]);
  }
  return {
    metadata: {
      encoding: enc('binary/encrypted'),
      'encryption-key-id': enc(k.id),
      'encryption-cipher': enc(gm ? 'sm4-ctr+hmac-sm3' : 'aes-256-gcm'),
    },
    data,
  };
}
