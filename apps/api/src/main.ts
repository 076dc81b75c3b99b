import 'reflect-metadata';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const app = await createApiApp();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  const scheme = process.env.TLS_CERT_FILE ? 'https' : 'http';
  console.log(`[api] listening on ${scheme}://localhost:${port} (docs at /docs)`);
}

main().catch((err) => {
  console.error('[api] failed to start:', err);
  process.exit(1);
});
