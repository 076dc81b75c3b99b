import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stops = (globalThis as { __stops?: (() => Promise<void>)[] }).__stops ?? [];
  for (const stop of stops.reverse()) await stop().catch((e) => console.error('teardown:', e));
  if (process.env.TEST_TMP_DIR) fs.rmSync(process.env.TEST_TMP_DIR, { recursive: true, force: true });
}
