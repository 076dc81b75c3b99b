import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { createWitnessServer, keyIdOf, loadOrCreateKeyFile, pinnedKeysOf, suiteOf, WitnessStore } from '@bianzhi/audit';

// `npm run witness`: a witness of an audit trail's checkpoints over HTTP (libs/audit/src/witness-server.ts), for
// another office or host to run: it pins the log's public key, keeps every checkpoint it accepts in its own
// directory, refuses one that does not extend its last, and co-signs the others (docs/architecture.md,
// "Checkpoints and witnesses"). The log sends to it when AUDIT_WITNESS_URLS names it.
//
//   WITNESS_LOG_PUBLIC_KEY_FILE  the log's public key(s) (GET /v1/audit/public-key): PEM blocks or SM2 hex lines
//   WITNESS_DIR                  its checkpoints (default .witness/checkpoints)
//   WITNESS_KEY_FILE             its own signing key, 0600, made on first start (default .witness/witness.key)
//   WITNESS_NAME                 the name it signs as (default the host name)
//   WITNESS_HOST, WITNESS_PORT   where it listens (default 127.0.0.1:3100; 0 picks a free port)
//   AUDIT_CRYPTO=gm              SM2 co-signatures instead of Ed25519

function main(): void {
  const keyFile = process.env.WITNESS_LOG_PUBLIC_KEY_FILE;
  if (!keyFile) throw new Error("WITNESS_LOG_PUBLIC_KEY_FILE must name the log's public key (PEM or SM2 hex)");
  const pinned = pinnedKeysOf(fs.readFileSync(keyFile, 'utf8'));
  if (!pinned.length) throw new Error(`${keyFile} holds no public key`);
  const dir = path.resolve(process.env.WITNESS_DIR ?? '.witness/checkpoints');
  const key = loadOrCreateKeyFile(
    path.resolve(process.env.WITNESS_KEY_FILE ?? '.witness/witness.key'),
    suiteOf().signature,
  );
  const name = process.env.WITNESS_NAME ?? os.hostname();
  const server = createWitnessServer({ name, store: new WitnessStore(dir, pinned), key });
  const host = process.env.WITNESS_HOST ?? '127.0.0.1';
  server.listen(Number(process.env.WITNESS_PORT ?? 3100), host, () => {
    const { port } = server.address() as { port: number };
    console.log(`witness ${name} (key ${keyIdOf(key.publicKey)}) listening on http://${host}:${port}, keeping ${dir}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error('witness:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
