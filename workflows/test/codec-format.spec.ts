import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Payload } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { oldFormEncrypt } from '../../test/support/old-codec-form';
import { codecKey, decodeHistory, EncryptionCodec } from '../codec';

// The codec's two inner forms (workflows/codec.ts): it writes the payload's protobuf encoding, marked
// `encryption-format: payload-proto`, and still reads the JSON form written before, which Temporal's store, histories
// and backups keep; the marker is authenticated, so a swapped one is refused, never misread.

const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const json = (v: unknown): Payload => ({
  metadata: { encoding: utf8('json/plain') },
  data: utf8(JSON.stringify(v)),
});
const key = () => codecKey(randomBytes(32).toString('hex'));
/** What Temporal stores of a payload: its protobuf encoding. */
const stored = (p: Payload) => ProtoPayload.encode(p).finish().length;

const withoutMarker = (p: Payload): Payload => {
  const { 'encryption-format': _marker, ...metadata } = p.metadata!;
  return { ...p, metadata };
};
const withMarker = (p: Payload, marker: string): Payload => ({
  ...p,
  metadata: { ...p.metadata, 'encryption-format': utf8(marker) },
});

// A request as a workflow input carries it: the kind of payload most of a history is.
const request = json({
  id: 'b1f0c9e2-7d4a-4b8e-9a51-3f2d6c8e0a17',
  type: 'transfer-quota',
  title: '关于县疾控中心与县卫生健康局之间调剂事业编制的请示',
  unitId: 'unit-0042',
  otherUnitId: 'unit-0117',
  quota: { category: '公益一类事业编制', count: 2 },
  reasons: '县疾控中心承担传染病监测任务增加，需调剂两名事业编制。'.repeat(3),
  consultations: ['finance', 'hr'],
  filedBy: 'clerk-07',
});

describe.each([
  ['AES-256-GCM', false],
  ['SM4-CTR + HMAC-SM3', true],
])('the payload codec’s forms (%s)', (_name, gm) => {
  const k = key();
  const codec = new EncryptionCodec(k, gm);

  it('writes the protobuf form, marked, and reads it back as it was', async () => {
    const plain = [request, json(null), { metadata: { encoding: utf8('binary/null') } }];
    const sealed = await codec.encode(plain);
    for (const p of sealed) {
      expect(str(p.metadata!['encryption-format'])).toBe('payload-proto');
      expect(str(p.metadata!.encoding)).toBe('binary/encrypted');
      expect(str(p.data)).not.toContain('疾控');
    }
    const opened = await codec.decode(sealed);
    expect(opened.map((p) => ProtoPayload.encode(p).finish())).toEqual(
      plain.map((p) => ProtoPayload.encode(p).finish()),
    );
    expect(JSON.parse(str(opened[0].data))).toEqual(JSON.parse(str(request.data)));
  });

  it('reads a payload of the old JSON form, with the current key and with an older one', async () => {
    const old = oldFormEncrypt(request, k, gm);
    expect(old.metadata!['encryption-format']).toBeUndefined();
    const [opened] = await codec.decode([old]);
    expect(str(opened.metadata!.encoding)).toBe('json/plain');
    expect(str(opened.data)).toBe(str(request.data));
    const rotated = new EncryptionCodec(key(), gm, [k]);
    expect(str((await rotated.decode([old]))[0].data)).toBe(str(request.data));
  });

  it('refuses a marker removed, added or changed, and a changed or cut ciphertext', async () => {
    const [sealed] = await codec.encode([request]);
    const old = oldFormEncrypt(request, k, gm);
    const failed = /failed its check/;
    // The new form read as the old one, the old as the new: the tag covers the marker.
    await expect(codec.decode([withoutMarker(sealed)])).rejects.toThrow(failed);
    await expect(codec.decode([withMarker(old, 'payload-proto')])).rejects.toThrow(failed);
    await expect(codec.decode([withMarker(sealed, 'json')])).rejects.toThrow(/encryption-format "json"/);
    await expect(codec.decode([withMarker(old, '')])).rejects.toThrow(/encryption-format ""/);
    for (const p of [sealed, old]) {
      const changed = Buffer.from(p.data!);
      changed[changed.length >> 1] ^= 1;
      await expect(codec.decode([{ ...p, data: changed }])).rejects.toThrow(failed);
      await expect(codec.decode([{ ...p, data: p.data!.subarray(0, 20) }])).rejects.toThrow();
    }
  });

  it('refuses the new form with its marker moved into the body (an old-form reading of the same tag)', async () => {
    // Were the marker only prefixed to what the old form's check covers, this would pass that check.
    const [sealed] = await codec.encode([request]);
    const moved = Buffer.concat([Buffer.from('encryption-format=payload-proto'), Buffer.from(sealed.data!)]);
    await expect(codec.decode([{ ...withoutMarker(sealed), data: moved }])).rejects.toThrow(/failed its check/);
  });

  it('adds a fixed size a payload (the IV, the tag, four metadata entries), less than the old form', async () => {
    const [sealed] = await codec.encode([request]);
    const old = oldFormEncrypt(request, k, gm);
    const added = stored(sealed) - stored(request);
    expect(stored(sealed)).toBeLessThan(stored(old));
    // IV and tag (12 + 16; SM4: 16 + 32), the entries' 139 bytes (SM4: 144; names, values, protobuf framing; the
    // marker is 36 of them), the data field's own framing: no base64, so nothing that grows with the payload.
    expect(added).toBeLessThanOrEqual(gm ? 196 : 175);
    const [small] = await codec.encode([json(1)]);
    expect(Math.abs(stored(small) - stored(json(1)) - added)).toBeLessThanOrEqual(1);
    const big = json({ text: 'x'.repeat(100_000) });
    const [sealedBig] = await codec.encode([big]);
    expect(Math.abs(stored(sealedBig) - stored(big) - added)).toBeLessThanOrEqual(2);
    expect(stored(oldFormEncrypt(big, k, gm)) - stored(big)).toBeGreaterThan(33_000);
  });

  it('on a committed history, adds about a fifth of its payloads’ bytes where the old form added half', async () => {
    const file = path.join(__dirname, '../../test/histories/transfer-quota-with-consultations.json');
    const history = historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    const payloads: Payload[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object' && !(node instanceof Uint8Array)) {
        const o = node as Record<string, unknown>;
        if ('metadata' in o && 'data' in o && o.metadata) payloads.push(o as Payload);
        else Object.values(o).forEach(collect);
      }
    };
    collect(await decodeHistory(history, null));
    expect(payloads.length).toBeGreaterThan(20);
    const plain = payloads.reduce((n, p) => n + stored(p), 0);
    const sealed = (await codec.encode(payloads)).reduce((n, p) => n + stored(p), 0);
    const old = payloads.reduce((n, p) => n + stored(oldFormEncrypt(p, k, gm)), 0);
    expect((sealed - plain) / plain).toBeLessThan(0.27);
    expect((old - plain) / plain).toBeGreaterThan(0.5);
    expect(sealed).toBeLessThan(old * 0.85);
  });
});

it('decodes a history holding both forms in place', async () => {
  const k = key();
  const codec = new EncryptionCodec(k);
  const [a] = await codec.encode([json('new')]);
  const b = oldFormEncrypt(json('old'), k, false);
  const history = { events: [{ x: { input: { payloads: [a] } } }, { y: { result: { payloads: [b] } } }] };
  const decoded = await decodeHistory(history, codec);
  expect(str(decoded.events[0].x!.input.payloads[0].data)).toBe('"new"');
  expect(str(decoded.events[1].y!.result.payloads[0].data)).toBe('"old"');
});
