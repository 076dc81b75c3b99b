import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { codecFromEnv, codecKey, decodeHistory, EncryptionCodec } from '../codec';

// The payload codec (workflows/codec.ts): what Temporal stores is ciphertext that only the key's holders read back.

const json = (v: unknown): Payload => ({
  metadata: { encoding: new TextEncoder().encode('json/plain') },
  data: new TextEncoder().encode(JSON.stringify(v)),
});
const key = () => codecKey(randomBytes(32).toString('hex'));

describe.each([
  ['AES-256-GCM', false],
  ['SM4-CTR + HMAC-SM3', true],
])('the payload codec (%s)', (_name, gm) => {
  const k = key();
  const codec = new EncryptionCodec(k, gm);

  it('encrypts every payload and reads it back as it was', async () => {
    const plain = [json({ title: '关于县疾控中心核增编制的请示', ballots: ['approve'] }), json(null)];
    const sealed = await codec.encode(plain);
    for (const p of sealed) {
      expect(Buffer.from(p.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(p.metadata!['encryption-key-id']!).toString()).toBe(k.id);
      expect(Buffer.from(p.data!).toString('utf8')).not.toContain('疾控');
    }
    expect(await codec.decode(sealed)).toEqual(
      plain.map((p) => ({ metadata: { encoding: Buffer.from(p.metadata!.encoding!) }, data: Buffer.from(p.data!) })),
    );
  });

  it('refuses a changed byte, a key it does not hold, and lets an unencrypted payload pass', async () => {
    const [sealed] = await codec.encode([json({ a: 1 })]);
    const changed = Buffer.from(sealed.data!);
    changed[changed.length >> 1] ^= 1;
    await expect(codec.decode([{ ...sealed, data: changed }])).rejects.toThrow();
    await expect(new EncryptionCodec(key(), gm).decode([sealed])).rejects.toThrow(/key/);
    const plain = json({ b: 2 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('reads payloads of a rotated key with the older key kept', async () => {
    const [sealed] = await codec.encode([json({ c: 3 })]);
    const rotated = new EncryptionCodec(key(), gm, [k]);
    expect(JSON.parse(Buffer.from((await rotated.decode([sealed]))[0].data!).toString())).toEqual({ c: 3 });
  });
});

it('decodes the payloads of a history in place, wherever they are', async () => {
  const codec = new EncryptionCodec(key());
  const [a, b] = await codec.encode([json('input'), json('result')]);
  const history = { events: [{ x: { input: { payloads: [a] } } }, { y: { result: { payloads: [b] } } }] };
  const decoded = await decodeHistory(history, codec);
  expect(Buffer.from(decoded.events[0].x!.input.payloads[0].data!).toString()).toBe('"input"');
  expect(Buffer.from(decoded.events[1].y!.result.payloads[0].data!).toString()).toBe('"result"');
});

it('is configured from TEMPORAL_CODEC_KEY, or not at all', () => {
  expect(codecFromEnv({})).toBeNull();
  expect(codecFromEnv({ TEMPORAL_CODEC_KEY: randomBytes(32).toString('hex') })).toBeInstanceOf(EncryptionCodec);
  expect(() => codecFromEnv({ TEMPORAL_CODEC_KEY: 'short' })).toThrow(/64 hex/);
});
