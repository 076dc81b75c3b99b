import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The two tools that run the whole stack on their own (`npm run fuzz`, `npm run bench -- --quick`), run here
// as part of `npm test` so that CI runs exactly the README's test command. Each starts its own PostgreSQL,
// Temporal, worker and API on free ports. Nothing here asserts a time: the benchmark is a smoke that every
// part produces figures.

const ROOT = path.resolve(__dirname, '..');

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('whole-stack tools', () => {
  it(
    'schemathesis finds no 5xx and no response breaking the OpenAPI document, as four roles',
    async () => {
      const { code, output } = await run('dist/scripts/fuzz.js', [], {});
      if (code !== 0) console.log(output);
      expect(code).toBe(0);
      const m = /schemathesis: (\d+) generated cases in all; no 5xx/.exec(output);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(1000);
    },
    15 * 60_000,
  );

  it(
    'the quick benchmark runs every part and writes its figures and chart',
    async () => {
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bianzhi-bench-smoke-'));
      try {
        const { code, output } = await run('dist/bench/run.js', ['--quick'], { BENCH_RESULTS_DIR: outDir });
        if (code !== 0) console.log(output);
        expect(code).toBe(0);
        const files = fs.readdirSync(outDir);
        expect(files.filter((f) => f.endsWith('-latency.svg'))).toHaveLength(1);
        const json = files.find((f) => f.endsWith('-quick.json'));
        const r = JSON.parse(fs.readFileSync(path.join(outDir, json!), 'utf8'));
        // Every part produced figures (their size is the benchmark's business, not the test's).
        for (const level of [...r.lifecycle.levels, ...r.lifecycle.bare]) expect(level.completed).toBeGreaterThan(0);
        expect(r.lifecycle.levels.every((l: { errors: number }) => l.errors === 0)).toBe(true);
        for (const k of Object.keys(r.targets['list and summary p99 < 20 ms']))
          expect(r.targets['list and summary p99 < 20 ms'][k]).toBeGreaterThan(0);
        expect(r.targets['audit verify >= 200000 records/s']).toBeGreaterThan(0);
        // The audit part checks every proof it times with libs/audit's verify functions, and has a witness directory
        // check every checkpoint it makes: none may fail, at either size.
        expect(r.audit.sizes).toHaveLength(2);
        for (const size of r.audit.sizes) {
          expect(size.proofs.proofsChecked).toBeGreaterThanOrEqual(2000);
          expect(size.proofs.proofsInvalid).toEqual([]);
          expect(size.checkpoints.refused).toEqual([]);
        }
        expect(r.codec['aes-256-gcm'].lifecycle.payloads).toBeGreaterThan(0);
        expect(r.codec['sm4-ctr+hmac-sm3'].lifecycle.payloads).toBeGreaterThan(0);
        expect(r.replay.committed.histories).toBeGreaterThan(0);
        expect(r.replay.committed.failed).toBe(0);
        expect(r.replay.fresh.failed).toBe(0);
        // The people part checks its own answers (counts planted, rows refused, numbers masked): none may fail.
        expect(r.people.failedChecks).toEqual([]);
      } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
      }
    },
    15 * 60_000,
  );
});
