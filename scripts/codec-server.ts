import * as http from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { codecFromEnv } from '@bianzhi/workflows/codec';

// `npm run codec-server`: the Temporal codec endpoint for an authorised operator's Temporal UI (its "Codec Server"
// setting, per browser), so that the UI shows a request's payloads decrypted (workflows/codec.ts). It runs on the
// operator's own machine with the payload key (TEMPORAL_CODEC_KEY_FILE), listening on 127.0.0.1 only: the key never
// sits beside the UI, and whoever reaches the UI without it sees ciphertext. It decodes only; encoding (sending
// Updates or signals through the UI) stays off, as the UI's write actions should be (docs/architecture.md).
// It decodes with the workers' own codec (codecFromEnv), so both of its forms: the protobuf form and the older JSON
// form that histories written before still hold.

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const toPayload = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** The codec endpoint (Temporal's protocol: POST /decode with `{ payloads: [...] }`), CORS for `origins`. */
export function createCodecServer(codec: PayloadCodec, origins: string[]): http.Server {
  return http.createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && origins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST' || !/\/decode$/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only POST /decode');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 8 << 20) req.destroy();
      else chunks.push(c);
    });
    req.on('end', async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: JsonPayload[] };
        const decoded = await codec.decode((body.payloads ?? []).map(toPayload));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ payloads: decoded.map(toJson) }));
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end((err as Error).message);
      }
    });
  });
}

if (require.main === module) {
  const codec = codecFromEnv();
  if (!codec) {
    console.error('codec-server: set TEMPORAL_CODEC_KEY_FILE (the payload key; npm start keeps it in DATA_DIR)');
    process.exit(2);
  }
  const port = Number(process.env.CODEC_SERVER_PORT ?? 8888);
  const origins = (process.env.CODEC_SERVER_ORIGINS ?? 'http://localhost:8233').split(',').map((o) => o.trim());
  createCodecServer(codec, origins).listen(port, '127.0.0.1', () =>
    console.log(`codec server on http://127.0.0.1:${port} (decode only) for ${origins.join(', ')}`),
  );
}
