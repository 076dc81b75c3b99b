import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { workflowIdFor } from '@bianzhi/workflows';
import { codecFromEnv, codecKey } from '@bianzhi/workflows/codec';
import { createCodecServer } from '../scripts/codec-server';
import { County, seedCounty } from './support/county';
import { oldFormEncrypt } from './support/old-codec-form';
import { implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Temporal sees only ciphertext (issue 17, workflows/codec.ts): a client without the payload key reads a request's
// history and finds no word of it; with the key, the API's replay and the dossier verifier work as before.

let stack: Stack;
let c: County;
const SECRET = '关于县住建局核增编制的机密理由甲乙丙';

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
}, 180_000);
afterAll(() => stack?.stop());

it('keeps a request out of reach of a Temporal client without the key, and replays and verifies with it', async () => {
  const done = await implement(c, 'clerk_housing', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.housing,
    title: '县住建局核增行政编制1名',
    justification: SECRET,
    payload: { unitId: c.units.housing, category: 'ADMIN', delta: 1 },
  });

  // A client without the codec: the history's payloads are all encrypted, none holds the justification.
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const plain = new Client({ connection, namespace: 'default' });
    const history = await plain.workflow.getHandle(workflowIdFor(done.id)).fetchHistory();
    const json = JSON.parse(historyToJSON(history));
    const payloads: { metadata: Record<string, string>; data?: string }[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object))
          payloads.push(o as never);
        else Object.values(o).forEach(walk);
      }
    };
    walk(json);
    expect(payloads.length).toBeGreaterThan(10);
    // Only what the server must read stays clear: search attributes (a Keyword's `type`: the status, the type, the
    // unit id) and the SDK's patch markers ({ id, deprecated }); every other payload is ciphertext.
    const clearOnes = payloads.filter(
      (p) => Buffer.from(p.metadata.encoding, 'base64').toString() !== 'binary/encrypted',
    );
    for (const p of clearOnes) {
      const body = JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8'));
      expect(p.metadata.type !== undefined || Object.keys(body).sort().join() === 'deprecated,id').toBe(true);
    }
    expect(payloads.length - clearOnes.length).toBeGreaterThan(10);
    // Each encrypted one holds the payload's protobuf encoding, marked (no base64 inside: workflows/codec.ts).
    for (const p of payloads.filter((x) => !clearOnes.includes(x)))
      expect(Buffer.from(p.metadata['encryption-format'] ?? '', 'base64').toString()).toBe('payload-proto');
    const clear = payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
    expect(clear).not.toContain(SECRET);
    expect(clear).not.toContain('县住建局');
    // The operator's codec endpoint (npm run codec-server), holding the key, decodes for the Temporal UI.
    const codec = codecFromEnv()!;
    const server = createCodecServer(codec, ['http://localhost:8233']);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const input = json.events[0].workflowExecutionStartedEventAttributes.input.payloads;
      const res = await fetch(`http://127.0.0.1:${port}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:8233' },
        body: JSON.stringify({ payloads: input }),
      });
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      const decoded = (await res.json()) as { payloads: { data: string }[] };
      expect(JSON.parse(Buffer.from(decoded.payloads[0].data, 'base64').toString('utf8'))).toEqual(
        expect.objectContaining({ requestId: done.id, type: 'ADJUST_QUOTA' }),
      );
      // A payload of the JSON form written before (Temporal's store and backups keep them) decodes too.
      // (the stack's key, test/support/stack.ts)
      const key = process.env.TEMPORAL_CODEC_KEY!;
      const old = oldFormEncrypt(
        { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ said: SECRET })) },
        codecKey(key),
        process.env.AUDIT_CRYPTO === 'gm',
      );
      const oldRes = await fetch(`http://127.0.0.1:${port}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          payloads: [old].map((p) => ({
            metadata: Object.fromEntries(
              Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(p.data!).toString('base64'),
          })),
        }),
      });
      const oldDecoded = (await oldRes.json()) as { payloads: { data: string }[] };
      expect(JSON.parse(Buffer.from(oldDecoded.payloads[0].data, 'base64').toString('utf8'))).toEqual({
        said: SECRET,
      });
      const encode = await fetch(`http://127.0.0.1:${port}/encode`, { method: 'POST', body: '{"payloads":[]}' });
      expect(encode.status).toBe(404); // decode only: no writing through the UI
    } finally {
      server.close();
    }
    // Reading the result without the key fails rather than showing anything.
    await expect(plain.workflow.getHandle(workflowIdFor(done.id)).query('state')).rejects.toThrow();
  } finally {
    await connection.close();
  }

  // With the key, the API replays the history and the dossier carries it decrypted for the offline verifier.
  const replay = await c.users.auditor.api.get(`/v1/change-requests/${done.id}/replay`);
  expect(replay.body).toEqual(expect.objectContaining({ deterministic: true }));
  const dossier = await c.users.auditor.api.get(`/v1/change-requests/${done.id}/dossier`);
  expect(JSON.stringify(dossier.body.workflow.history)).not.toContain('binary/encrypted');
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'codec-'));
  fs.writeFileSync(path.join(dir, 'key.pem'), (await c.users.auditor.api.get('/v1/audit/public-key')).body.publicKey);
  fs.writeFileSync(path.join(dir, 'dossier.json'), JSON.stringify(dossier.body));
  const out = execFileSync(
    process.execPath,
    [
      path.resolve(__dirname, '../dist/scripts/verify-dossier.js'),
      path.join(dir, 'dossier.json'),
      '--public-key',
      path.join(dir, 'key.pem'),
    ],
    { encoding: 'utf8' },
  );
  expect(out).toContain('replays deterministically');
  expect(out).toContain('the dossier is intact');
});
