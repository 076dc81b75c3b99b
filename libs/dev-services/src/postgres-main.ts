import { startEmbeddedPostgres } from './index';

// Runs the embedded PostgreSQL as a process of its own: `node postgres-main.js DATA_DIR [PORT] [--fast]`.
// Prints one line `READY <url>` when it accepts connections; SIGTERM stops it cleanly. The fault tests
// start and stop PostgreSQL this way, as an operator would restart it.
async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: port ? Number(port) : undefined,
    fast: process.argv.includes('--fast'),
  });
  process.stdout.write(`READY ${pg.url}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
