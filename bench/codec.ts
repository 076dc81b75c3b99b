import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Payload } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { codecFromEnv, codecKey, decodeHistory, EncryptionCodec } from '@bianzhi/workflows/codec';

// The codec part of `npm run bench` (bench/README.md): what the Temporal payload codec (workflows/codec.ts) costs a
// lifecycle. Every payload of each committed history (test/histories/*.json) goes through encode and then decode,
// as each payload of a run is encoded once by whoever sends it and decoded once by whoever takes it; the CPU time of
// that and the bytes it adds, per history, for both suites (AES-256-GCM; SM4-CTR with HMAC-SM3 under AUDIT_CRYPTO=gm).

/** CPU milliseconds a lifecycle took at 16 clients in the last full run (bench/README.md), for the share. */
export const LIFECYCLE_CPU_MS = 890;
/** The committed history most like the lifecycle part's (consultations, opinions, review, votes, implementation). */
const LIFECYCLE_LIKE = 'transfer-quota-with-consultations.json';

const varintBytes = (n: number) => (n < 2 ** 7 ? 1 : n < 2 ** 14 ? 2 : n < 2 ** 21 ? 3 : 4);
const fieldBytes = (len: number) => 1 + varintBytes(len) + len;

/** A payload's size as protobuf writes it (in the history, on the wire): metadata map entries and data. */
export function payloadBytes(p: Payload): number {
  let n = 0;
  for (const [k, v] of Object.entries(p.metadata ?? {}))
    n += fieldBytes(fieldBytes(Buffer.byteLength(k)) + fieldBytes(v?.length ?? 0));
  return n + (p.data?.length ? fieldBytes(p.data.length) : 0);
}

/** Every payload of a history, in order (the objects with metadata and data, as decodeHistory finds them). */
function payloadsOf(node: unknown, out: Payload[] = []): Payload[] {
  if (Array.isArray(node)) for (const x of node) payloadsOf(x, out);
  else if (node && typeof node === 'object' && !(node instanceof Uint8Array)) {
    const o = node as Record<string, unknown>;
    if ('metadata' in o && 'data' in o && o.metadata && typeof o.metadata === 'object') out.push(o as Payload);
    else for (const v of Object.values(o)) payloadsOf(v, out);
  }
  return out;
}

async function oneSuite(
  codec: EncryptionCodec,
  histories: { name: string; payloads: Payload[] }[],
  reps: number,
  lifecycleCpuMs: number,
) {
  const perHistory = [];
  for (const h of histories) {
    const plain = h.payloads.reduce((n, p) => n + payloadBytes(p), 0);
    let encoded = 0;
    // Once untimed: the ciphers' first use, and the bytes (the same on every round: fixed IV and tag sizes).
    for (const p of h.payloads) {
      const [e] = await codec.encode([p]);
      encoded += payloadBytes(e);
      const [d] = await codec.decode([e]);
      if (!Buffer.from(d.data ?? []).equals(Buffer.from(p.data ?? []))) throw new Error(`codec: ${h.name} changed`);
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) for (const p of h.payloads) await codec.decode(await codec.encode([p]));
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / reps;
    perHistory.push({
      history: h.name,
      payloads: h.payloads.length,
      plainBytes: plain,
      bytesAdded: encoded - plain,
      bytesAddedPercent: Math.round(((encoded - plain) / plain) * 1000) / 10,
      cpuMsPerLifecycle: Math.round(cpuMs * 1000) / 1000,
      wallMsPerLifecycle: Math.round((wall / reps) * 1000) / 1000,
      microsecondsPerPayload: Math.round((cpuMs * 1000 * 10) / h.payloads.length) / 10,
    });
  }
  const like = perHistory.find((h) => h.history === LIFECYCLE_LIKE) ?? perHistory[0];
  const max = perHistory.reduce((a, b) => (b.cpuMsPerLifecycle > a.cpuMsPerLifecycle ? b : a));
  return {
    lifecycle: { ...like, percentOfLifecycleCpu: Math.round((like.cpuMsPerLifecycle / lifecycleCpuMs) * 10000) / 100 },
    costliest: { ...max, percentOfLifecycleCpu: Math.round((max.cpuMsPerLifecycle / lifecycleCpuMs) * 10000) / 100 },
    perHistory,
  };
}

/** Both suites over every committed history, `reps` rounds each; the share is of `lifecycleCpuMs`. */
export async function codecBench(root: string, reps: number, lifecycleCpuMs = LIFECYCLE_CPU_MS) {
  const dir = path.join(root, 'test', 'histories');
  // Committed histories are kept decoded; one encrypted with the environment's key would be decoded here first.
  const envCodec = codecFromEnv();
  const histories = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const history = await decodeHistory(
      historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))),
      envCodec,
    );
    histories.push({ name: f, payloads: payloadsOf(history) });
  }
  const key = codecKey(randomBytes(32).toString('hex'));
  return {
    model: 'each payload of the history encoded once and decoded once',
    lifecycleCpuMs,
    rounds: reps,
    'aes-256-gcm': await oneSuite(new EncryptionCodec(key, false), histories, reps, lifecycleCpuMs),
    'sm4-ctr+hmac-sm3': await oneSuite(new EncryptionCodec(key, true), histories, reps, lifecycleCpuMs),
  };
}

// `node dist/bench/codec.js [rounds]`: the codec part alone, without the stack the other parts need (it reads only
// the committed histories): the figures of bench/README.md's codec table, with the machine's load while it ran.
if (require.main === module) {
  const rounds = Number(process.argv[2] ?? 200);
  const load0 = os.loadavg();
  const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  codecBench(path.resolve(__dirname, '../..'), rounds).then(
    (r) => {
      const line = (s: Awaited<ReturnType<typeof oneSuite>>['lifecycle']) =>
        `${s.cpuMsPerLifecycle} ms, ${s.microsecondsPerPayload} µs/payload, ${s.percentOfLifecycleCpu} %, ` +
        `+${s.bytesAdded} B on ${s.plainBytes} B (${s.bytesAddedPercent} %) [${s.history}, ${s.payloads} payloads]`;
      for (const suite of ['aes-256-gcm', 'sm4-ctr+hmac-sm3'] as const) {
        console.log(`${suite}: lifecycle ${line(r[suite].lifecycle)}`);
        console.log(`${suite}: costliest ${line(r[suite].costliest)}`);
      }
      const load1 = os.loadavg();
      console.log(`rounds ${rounds}; load average (1, 5, 15 min) before ${loads(load0)}, after ${loads(load1)}`);
      if (process.env.BENCH_CODEC_OUT)
        fs.writeFileSync(process.env.BENCH_CODEC_OUT, JSON.stringify({ ...r, load0, load1 }, null, 2));
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
