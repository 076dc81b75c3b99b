import * as http from 'node:http';
import { keyIdOf } from './key-file';
import { SigningKey } from './signing';
import { AddCheckpointRequest, cosign, WitnessStore } from './witness';

// The HTTP witness (`npm run witness`, scripts/witness.ts; docs/architecture.md, "Checkpoints and witnesses"): a
// small service another office runs (审计局, 纪委监委, the city's 编办) that keeps the log's checkpoints in its own
// directory and co-signs each one it accepts.
//
//   POST /add-checkpoint  { oldSize, consistencyProof, checkpoint } → 200 co-signature; 409 { treeSize } when its
//                         last checkpoint has another size (send a proof from that one); 403 a signature that does
//                         not verify with the pinned key; 422 a checkpoint inconsistent with its last
//   GET  /checkpoint      its last checkpoint (404 before the first)
//   GET  /public-key      { witness, keyId, algorithm, publicKey }

export interface WitnessServerOptions {
  name: string;
  store: WitnessStore;
  key: SigningKey;
}

const MAX_BODY = 1 << 20;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export function createWitnessServer(opts: WitnessServerOptions): http.Server {
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://witness');
      if (req.method === 'GET' && url.pathname === '/checkpoint') {
        const last = opts.store.latest();
        return last ? send(res, 200, last) : send(res, 404, { reason: 'no checkpoint yet' });
      }
      if (req.method === 'GET' && url.pathname === '/public-key')
        return send(res, 200, {
          witness: opts.name,
          keyId: keyIdOf(opts.key.publicKey),
          algorithm: opts.key.algorithm,
          publicKey: opts.key.publicKey,
        });
      if (req.method === 'POST' && url.pathname === '/add-checkpoint') {
        let body: AddCheckpointRequest;
        try {
          body = (await readJson(req)) as AddCheckpointRequest;
        } catch (err) {
          return send(res, 400, { reason: err instanceof Error ? err.message : 'unreadable body' });
        }
        if (!body || typeof body !== 'object' || !body.checkpoint || !Number.isSafeInteger(body.oldSize))
          return send(res, 400, { reason: 'expected { oldSize, consistencyProof, checkpoint }' });
        const answer = opts.store.add(body);
        if (answer.kind === 'conflict') return send(res, 409, { treeSize: answer.treeSize });
        if (answer.kind === 'refused') return send(res, answer.badSignature ? 403 : 422, { reason: answer.reason });
        return send(res, 200, cosign(answer.checkpoint, opts.name, opts.key));
      }
      send(res, 404, { reason: 'no such route' });
    } catch (err) {
      send(res, 500, { reason: err instanceof Error ? err.message : String(err) });
    }
  });
}
