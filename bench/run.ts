import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { freeConsecutivePorts, tmpDir } from '@bianzhi/dev-services';
import { workflowBundleOptions } from '@bianzhi/workflows/bundle';
import { workflowIdFor } from '@bianzhi/workflows';
import { RunningStack, startAll, Topology } from '../scripts/start';
import { codecFromEnv, decodeHistory } from '@bianzhi/workflows/codec';
import { auditBench } from './audit';
import { codecBench, LIFECYCLE_CPU_MS } from './codec';
import { temporalTlsFromEnv } from '@bianzhi/workflows/connection';
import { bareStep } from './bare.workflow';
import { County, Latencies, lifecycle, loadCounty, sendTo } from './county';
import { faultsBench } from './faults';
import { cpuByProcess, cpuSince, processCounts, stats } from './measure';
import { peopleBench } from './people';

// `npm run bench [-- --quick] [--profile]`: the whole procedure through the HTTP API on the real stack, side by
// side with bare Temporal doing the same number of Updates and activities, plus audit verification, replay,
// and list/summary queries at scale. Figures go to bench/results/<date>.json (and a latency chart, SVG) and a
// summary to stdout. Nothing here asserts a time: it measures and reports.

const QUICK = process.argv.includes('--quick');
const PROFILE = process.argv.includes('--profile');
const ROOT = path.resolve(__dirname, '../..');
const LEVELS = process.env.BENCH_LEVELS
  ? process.env.BENCH_LEVELS.split(',').map(Number)
  : QUICK
    ? [1, 4]
    : [1, 2, 4, 8, 16];
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 8 : 30));
/** Records in the audit part (BENCH_AUDIT_RECORDS=10000000 for the long run; 100,000 with `--quick`). */
const AUDIT_RECORDS = QUICK ? 100_000 : Number(process.env.BENCH_AUDIT_RECORDS ?? 1_000_000);
const REQUEST_ROWS = QUICK ? 10_000 : 100_000;
const VOTERS = 7;
/** Every bench user's password after its first sign-in. */
const PASSWORD = 'Bench-passw0rd';
/**
 * `--only people,audit` or BENCH_PARTS=people,audit: only those parts (lifecycle, faults, queries, replay, audit,
 * codec, people; faults only where the cluster topology runs).
 */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const PARTS = new Set(
  (ONLY ?? process.env.BENCH_PARTS ?? 'lifecycle,faults,queries,replay,audit,codec,people').split(','),
);
/** People on the establishment in the people part (BENCH_PEOPLE=n), and the size of the import refused for two rows. */
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? (QUICK ? 10_000 : 100_000));
const PEOPLE_SMALL = QUICK ? 500 : 5_000;
/** BENCH_BARE=0 leaves out the bare Temporal runs (for a quick look at ours alone). */
const BARE = process.env.BENCH_BARE !== '0';
/** The faults part's clients and each one's lifecycles: BENCH_FAULTS=8x6 (the default; 4x3 with `--quick`). */
const FAULTS = (() => {
  const spec = process.env.BENCH_FAULTS ?? (QUICK ? '4x3' : '8x6');
  const m = /^(\d+)x(\d+)$/.exec(spec);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(`BENCH_FAULTS: "${spec}" is not clients x lifecycles each, such as 8x6`);
  return { clients: Number(m[1]), perClient: Number(m[2]) };
})();

const { ensureTemporalServer } = require('../../scripts/temporal-server.js');

/**
 * BENCH_TOPOLOGIES=dev,cluster: the topologies the lifecycle part runs on, one after the other in one run (the
 * first one also runs the other parts). Default: both where the Temporal server is built (dev alone with `--quick`,
 * so the smoke test's time does not grow), else dev with the reason printed.
 */
function topologies(): Topology[] {
  const asked = process.env.BENCH_TOPOLOGIES;
  if (asked) {
    const list = asked.split(',').map((t) => t.trim());
    const wrong = list.filter((t) => t !== 'dev' && t !== 'cluster');
    if (wrong.length || !list.length)
      throw new Error(`BENCH_TOPOLOGIES: "${wrong.join(',')}" is none of dev, cluster (a comma-separated list)`);
    return [...new Set(list)] as Topology[];
  }
  if (QUICK) return ['dev'];
  if (ensureTemporalServer()) return ['dev', 'cluster'];
  console.log(
    `bench: the dev topology only: no Temporal server for the cluster (${ensureTemporalServer.why ?? 'not built'})`,
  );
  return ['dev'];
}

async function drive(concurrency: number, seconds: number, one: (worker: number, n: number) => Promise<unknown>) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  let seq = 0;
  const cpu0 = cpuByProcess();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < deadline) {
        try {
          await one(w, seq++);
          done += 1;
        } catch (err) {
          errors += 1;
          if (errors < 5) console.error(String(err).slice(0, 300));
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSince(cpu0);
  // CPU milliseconds each process spent per completed lifecycle: where the machine's two cores go.
  const cpuMsPerLifecycle = Object.fromEntries(
    Object.entries(cpu).map(([k, v]) => [k, Math.round((v * 1000) / Math.max(done, 1))]),
  );
  return {
    concurrency,
    completed: done,
    errors,
    seconds: Math.round(elapsed * 10) / 10,
    perSecond: Math.round((done / elapsed) * 100) / 100,
    cpuMsPerLifecycle,
  };
}

async function bareRun(temporalEnv: Record<string, string>, levels: number[], seconds: number) {
  // The stack's own Temporal, with its mTLS where it has one (the cluster).
  const address = temporalEnv.TEMPORAL_ADDRESS;
  const tls = temporalTlsFromEnv(temporalEnv);
  const connection = await NativeConnection.connect({ address, tls });
  const taskQueue = `bench-bare-${process.pid}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./bare.workflow'),
    activities: { async noop() {} },
    maxConcurrentWorkflowTaskExecutions: 64,
  });
  const client = new Client({ connection: await Connection.connect({ address, tls }) });
  const results: Awaited<ReturnType<typeof drive>>[] = [];
  await worker.runUntil(async () => {
    for (const concurrency of levels) {
      results.push(
        await drive(concurrency, seconds, async (w, n) => {
          const workflowId = `bare-${process.pid}-${w}-${n}`;
          const start = new WithStartWorkflowOperation('bareLifecycle', {
            workflowId,
            taskQueue,
            args: [VOTERS],
            workflowIdConflictPolicy: 'FAIL',
          });
          await client.workflow.executeUpdateWithStart(bareStep, {
            args: ['register+submit'],
            startWorkflowOperation: start,
          });
          const handle = client.workflow.getHandle(workflowId);
          for (const step of ['consult', 'opinion', 'opinion', 'forward', ...Array(VOTERS).fill('vote')])
            await handle.executeUpdate(bareStep, { args: [step] });
          await handle.result();
        }),
      );
    }
  });
  await connection.close();
  return results;
}

async function replayBench(temporalEnv: Record<string, string>, workflowIds: string[]) {
  const dir = path.join(ROOT, 'test', 'histories');
  const committed = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: f, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));
  const client = new Client({
    connection: await Connection.connect({
      address: temporalEnv.TEMPORAL_ADDRESS,
      tls: temporalTlsFromEnv(temporalEnv),
    }),
  });
  const codec = codecFromEnv();
  const fresh = [];
  for (const id of workflowIds.slice(0, 1000))
    fresh.push({
      workflowId: workflowIdFor(id),
      // Decrypted as the API's replay does (workflows/codec.ts): the payload key is the stack's, in its DATA_DIR.
      history: await decodeHistory(await client.workflow.getHandle(workflowIdFor(id)).fetchHistory(), codec),
    });
  const workflowBundle = await bundleWorkflowCode(workflowBundleOptions(undefined, new DefaultLogger('ERROR')));
  const run = async (histories: { workflowId: string; history: unknown }[]) => {
    const t0 = performance.now();
    let failed = 0;
    for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: 'bench' }, histories as never))
      if (r.error) failed += 1;
    const seconds = (performance.now() - t0) / 1000;
    return {
      histories: histories.length,
      failed,
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round((histories.length / seconds) * 10) / 10,
    };
  };
  return { committed: await run(committed), fresh: await run(fresh) };
}

async function queryBench(stack: RunningStack, c: County) {
  const pg = new PgClient({ connectionString: stack.databaseUrl });
  await pg.connect();
  const [{ n: existing }] = (await pg.query('SELECT count(*)::int AS n FROM change_requests')).rows;
  const units = (await pg.query('SELECT id FROM units')).rows.map((r) => r.id);
  await pg.query(
    `INSERT INTO change_requests
       (id, workflow_id, type, status, unit_id, title, justification, payload, created_by, created_at, updated_at)
     SELECT gen_random_uuid(), 'bench-' || g, (ARRAY['RENAME_UNIT','TRANSFER_QUOTA','ADJUST_QUOTA'])[1 + g % 3],
            (ARRAY['implemented','rejected','withdrawn','demonstration','committee'])[1 + g % 5],
            ($2::uuid[])[1 + g % array_length($2::uuid[], 1)], '基准请示' || g, '理由', '{}'::jsonb, gen_random_uuid(),
            now() - (g || ' seconds')::interval, now()
     FROM generate_series(1, $1) g`,
    [Math.max(0, REQUEST_ROWS - existing), units],
  );
  // A county's past requests are settled rows: let VACUUM mark them all-visible, as autovacuum would in
  // service, so counts can read the index alone (a moment first, for the bulk insert to be older than any snapshot).
  await new Promise((r) => setTimeout(r, 1500));
  await pg.query('VACUUM ANALYZE change_requests');
  await pg.end();
  const lat: Latencies = {};
  const time = async (name: string, call: () => Promise<{ status: number }>) => {
    const t0 = performance.now();
    const res = await call();
    (lat[name] ??= []).push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
  };
  const asOf = new Date(Date.now() - 5000).toISOString();
  for (let i = 0; i < 300; i++) {
    await time('GET /v1/change-requests (filtered, paged)', () =>
      c.auditor('GET', `/v1/change-requests?status=implemented&page=${1 + (i % 50)}&pageSize=20`),
    );
    await time('GET /v1/change-requests (clerk: own unit)', () =>
      c.clerks[i % c.clerks.length].api('GET', '/v1/change-requests?pageSize=20'),
    );
    await time('GET /v1/establishment/summary?asOf=', () =>
      c.admin('GET', `/v1/establishment/summary?asOf=${encodeURIComponent(asOf)}`),
    );
    // What the records console loads first: every unit (200, one page) and the requests by status and month.
    if (i % 10 === 0) {
      await time('GET /v1/units (all 200)', () => c.auditor('GET', '/v1/units?pageSize=200'));
      await time('GET /v1/statistics/requests', () => c.auditor('GET', '/v1/statistics/requests?months=12'));
    }
  }
  return { requests: REQUEST_ROWS, ...Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, stats(v)])) };
}

/**
 * The console's first render at scale, in the system Chromium (as its browser tests drive it): from navigation to
 * the registry's first unit on screen, and to the summary's first row, each of ten loads; skipped, with the reason,
 * where no Chromium or no built console is found.
 */
async function consoleBench(stack: RunningStack): Promise<Record<string, unknown>> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && fs.existsSync(p));
  if (!executablePath) return { skipped: 'no Chromium (node scripts/ensure-chromium.js installs it)' };
  if (!fs.existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) return { skipped: 'the console is not built' };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await (await browser.newContext({ baseURL: stack.apiUrl, locale: 'zh-CN' })).newPage();
    page.setDefaultTimeout(60_000);
    await page.goto('/');
    await page.getByLabel('用户名').fill('reviewer');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('me').waitFor();
    const lat: Latencies = {};
    const load = async (name: string, url: string, ready: () => Promise<void>) => {
      await page.goto('/todo'); // another page first: each load starts its queries afresh
      await page.getByTestId('me').waitFor();
      const t0 = performance.now();
      await page.goto(url);
      await ready();
      (lat[name] ??= []).push(performance.now() - t0);
    };
    for (let i = 0; i < 10; i++) {
      await load('registry: first unit shown', '/registry', () =>
        page.getByText('基准县单位000').first().waitFor({ state: 'visible' }),
      );
      await load('summary: first row shown', '/statistics', () =>
        page.locator('.ant-table-row').first().waitFor({ state: 'visible' }),
      );
    }
    return Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, stats(v)]));
  } finally {
    await browser.close();
  }
}

/** Throughput and vote latency against offered load (concurrent clients), as an SVG line chart. */
function chart(
  levels: { concurrency: number; perSecond: number; vote: { p50: number; p99: number } }[],
  bare: { concurrency: number; perSecond: number }[],
): string {
  const W = 640;
  const H = 360;
  const m = { l: 60, r: 60, t: 30, b: 50 };
  const xs = levels.map((l) => l.concurrency);
  const x = (v: number) =>
    m.l +
    ((Math.log2(v) - Math.log2(xs[0])) / Math.max(1e-9, Math.log2(xs[xs.length - 1]) - Math.log2(xs[0]))) *
      (W - m.l - m.r);
  const maxLat = Math.max(...levels.map((l) => l.vote.p99)) * 1.1 || 1;
  const maxTp = Math.max(...levels.map((l) => l.perSecond), ...bare.map((b) => b.perSecond)) * 1.1 || 1;
  const yl = (v: number) => H - m.b - (v / maxLat) * (H - m.t - m.b);
  const yt = (v: number) => H - m.b - (v / maxTp) * (H - m.t - m.b);
  const line = (pts: [number, number][], color: string, dash = '') =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} ` +
    `points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>` +
    pts.map(([a, b]) => `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3" fill="${color}"/>`).join('');
  const title =
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">` +
    'Vote latency and lifecycles/s against offered load (concurrent clients)</text>';
  const axes =
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>` +
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>` +
    `<line x1="${W - m.r}" y1="${m.t}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`;
  const tick = (f: number) =>
    `<text x="${m.l - 5}" y="${yl(f * maxLat) + 4}" text-anchor="end">${Math.round(f * maxLat)}</text>` +
    `<text x="${W - m.r + 5}" y="${yt(f * maxTp) + 4}">${(f * maxTp).toFixed(1)}</text>`;
  const legend =
    `<text x="${m.l + 10}" y="${m.t + 12}" fill="#1f77b4">vote p50</text>` +
    `<text x="${m.l + 80}" y="${m.t + 12}" fill="#d62728">vote p99</text>` +
    `<text x="${m.l + 150}" y="${m.t + 12}" fill="#2ca02c">ours, lifecycles/s</text>` +
    `<text x="${m.l + 280}" y="${m.t + 12}" fill="#7f7f7f">bare Temporal, lifecycles/s</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${title}
${axes}
${xs.map((v) => `<text x="${x(v)}" y="${H - m.b + 15}" text-anchor="middle">${v}</text>`).join('')}
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">concurrent clients</text>
${[0, 0.25, 0.5, 0.75, 1].map(tick).join('')}
<text transform="translate(14,${H / 2}) rotate(-90)" text-anchor="middle">vote round trip, ms</text>
<text transform="translate(${W - 14},${H / 2}) rotate(90)" text-anchor="middle">lifecycles per second</text>
${line(
  levels.map((l) => [x(l.concurrency), yl(l.vote.p50)]),
  '#1f77b4',
)}
${line(
  levels.map((l) => [x(l.concurrency), yl(l.vote.p99)]),
  '#d62728',
)}
${line(
  levels.map((l) => [x(l.concurrency), yt(l.perSecond)]),
  '#2ca02c',
  '6 3',
)}
${line(
  bare.map((b) => [x(b.concurrency), yt(b.perSecond)]),
  '#7f7f7f',
  '2 3',
)}
${legend}
</svg>`;
}

/** The functions with the most self time in the CPU profiles of one process. */
function topOfProfiles(dir: string, pidFilter: (file: string) => boolean) {
  const self = new Map<string, number>();
  let total = 0;
  for (const f of fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((x) => x.endsWith('.cpuprofile') && pidFilter(x))
    : []) {
    const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const where = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, '') || '(native)';
      const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
      total += p.timeDeltas[i] ?? 0;
    });
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([fn, us]) => ({ fn, selfPercent: Math.round((us / Math.max(total, 1)) * 1000) / 10 }));
}

/** Starts the stack of one topology in a data folder of its own (a fresh database and Temporal). */
async function startTopology(topology: Topology, dataDir: string): Promise<RunningStack> {
  const stack = await startAll({
    dataDir,
    port: await freeConsecutivePorts(topology === 'cluster' ? 2 : 1),
    demo: false,
    fixedTemporalPorts: false,
    temporalInMemory: process.env.BENCH_TEMPORAL_FILE !== '1',
    topology,
  });
  console.log(
    `bench: the ${topology} topology is up: ${stack.processes.map((p) => p.name).join(', ')}, ` +
      `Temporal at ${stack.temporalAddress}${stack.temporalServer ? ' (the Temporal server on PostgreSQL, mTLS)' : ''}`,
  );
  return stack;
}

/**
 * The lifecycle part on one stack: ours at each load level (client i → the stack's API i mod the APIs), then bare
 * Temporal at the same levels on the same Temporal; with the CPU each kind of process spent per lifecycle.
 */
async function lifecycleOn(stack: RunningStack, c: County) {
  const levels = [];
  const ids: string[] = [];
  const counted = processCounts();
  for (const concurrency of LEVELS) {
    const lat: Latencies = {};
    const r = await drive(concurrency, SECONDS, async (w, n) =>
      ids.push(
        await lifecycle(
          c,
          c.clerks[w % c.clerks.length],
          n + concurrency * 100000,
          lat,
          sendTo(stack.apiUrls[w % stack.apiUrls.length]),
        ),
      ),
    );
    const perAction = Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, stats(v)]));
    levels.push({ ...r, perAction, vote: perAction.vote ?? { p50: NaN, p99: NaN } });
    console.log(
      `  ours  ${stack.topology} c=${concurrency}: ${r.perSecond} lifecycles/s ` +
        `(${r.completed} in ${r.seconds}s, ${r.errors} errors); ` +
        `vote p50 ${perAction.vote?.p50} ms p99 ${perAction.vote?.p99} ms; ` +
        `CPU ms/lifecycle ${JSON.stringify(r.cpuMsPerLifecycle)}`,
    );
  }
  const bare = BARE ? await bareRun(stack.temporalEnv, LEVELS, SECONDS) : [];
  for (const b of bare)
    console.log(
      `  bare  ${stack.topology} c=${b.concurrency}: ${b.perSecond} lifecycles/s (${b.completed} in ${b.seconds}s); ` +
        `CPU ms/lifecycle ${JSON.stringify(b.cpuMsPerLifecycle)}`,
    );
  return { levels, bare, ids, processes: counted };
}

/** One topology's lifecycle figures as the results keep them. */
function lifecycleFigures(topology: Topology, run: Awaited<ReturnType<typeof lifecycleOn>>) {
  const { levels, bare } = run;
  const ratios = levels.map((l, i) => ({
    concurrency: l.concurrency,
    oursOverBare: bare[i] ? Math.round((l.perSecond / bare[i].perSecond) * 100) / 100 : null,
  }));
  const none = { concurrency: 0, perSecond: 0, vote: { p50: NaN, p95: NaN, p99: NaN, n: 0 } };
  const peak = levels.reduce((a, b) => (b.perSecond > a.perSecond ? b : a), none);
  const half = levels.reduce(
    (a, b) => (Math.abs(b.concurrency - peak.concurrency / 2) < Math.abs(a.concurrency - peak.concurrency / 2) ? b : a),
    levels[0] ?? none,
  );
  const barePeak = Math.max(0, ...bare.map((b) => b.perSecond));
  return {
    topology,
    /** The processes whose CPU each kind's figure adds up, counted as the first level began. */
    processes: run.processes,
    levels: levels.map(({ vote: _v, ...l }) => l),
    bare,
    oursOverBare: ratios,
    saturation: { concurrency: peak.concurrency, perSecond: peak.perSecond },
    voteAtHalfSaturation: { concurrency: half.concurrency, ...half.vote },
    oursPeakOverBarePeak: barePeak ? Math.round((peak.perSecond / barePeak) * 100) / 100 : null,
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = tmpDir('bianzhi-bench-');
  const profDir = path.join(dataDir, 'profiles');
  if (PROFILE) process.env.NODE_CHILD_ARGS = `--cpu-prof --cpu-prof-dir=${profDir}`;
  process.env.LOGIN_RATE_LIMIT = '100000';
  process.env.DB_POOL_SIZE = process.env.DB_POOL_SIZE ?? '20';
  const started = new Date();
  // The topologies with something to do: the lifecycle part runs on each, the faults on the cluster, and the other
  // parts once, on the first.
  const others = ['queries', 'replay', 'audit', 'people'].some((p) => PARTS.has(p));
  const asked = topologies();
  const plan = asked.filter(
    (t, i) => PARTS.has('lifecycle') || (t === 'cluster' && PARTS.has('faults')) || (i === 0 && others),
  );
  if (!plan.length) plan.push(asked[0]);
  const faultsSkipped =
    PARTS.has('faults') && !plan.includes('cluster')
      ? `no faults part: it runs on the cluster topology, and this run has ${asked.join(', ')} only`
      : null;
  if (faultsSkipped) console.log(`bench: ${faultsSkipped}`);
  const [first, ...rest] = plan;
  const stack = await startTopology(first, dataDir);
  // The stack's payload key (npm start keeps it in DATA_DIR), for the replay's decoding of fresh histories.
  const ownCodecKey = !process.env.TEMPORAL_CODEC_KEY_FILE;
  if (ownCodecKey) process.env.TEMPORAL_CODEC_KEY_FILE = path.join(dataDir, 'temporal-codec.key');
  try {
    console.log(
      `bench: stack up; loading a county of 200 units (${QUICK ? 'quick' : 'full'} run, ${SECONDS}s per load level)`,
    );
    const c = await loadCounty(stack, { password: PASSWORD, voters: VOTERS });
    const runs = PARTS.has('lifecycle') ? [{ topology: first, run: await lifecycleOn(stack, c) }] : [];
    const ids = runs[0]?.run.ids ?? [];
    const { levels, bare } = runs[0]?.run ?? { levels: [], bare: [] };
    const lifecycleFirst = lifecycleFigures(first, runs[0]?.run ?? { levels, bare, ids, processes: {} });
    const ratios = lifecycleFirst.oursOverBare;
    const peak = lifecycleFirst.saturation;
    const half = lifecycleFirst.voteAtHalfSaturation;
    let faults: Awaited<ReturnType<typeof faultsBench>> | null = null;
    if (first === 'cluster' && PARTS.has('faults')) faults = await faultsBench(stack, c, FAULTS);
    console.log('bench: queries at scale');
    const queries = PARTS.has('queries') ? await queryBench(stack, c) : {};
    console.log('bench: the console at scale');
    const consoleLoads = PARTS.has('queries') ? await consoleBench(stack) : {};
    console.log('bench: replay');
    const replay = PARTS.has('replay') ? await replayBench(stack.temporalEnv, ids) : {};
    console.log(`bench: audit verification over ${AUDIT_RECORDS} records`);
    const audit = PARTS.has('audit')
      ? await auditBench(stack.databaseUrl.replace(/\/[^/]+$/, '/postgres'), {
          records: AUDIT_RECORDS,
          proofs: QUICK ? 1000 : 2000,
          checkpoints: QUICK ? 20 : 100,
          dir: path.join(dataDir, 'bench-audit'),
        })
      : null;
    const auditAtFull = audit?.sizes[audit.sizes.length - 1];
    console.log('bench: the payload codec per lifecycle');
    // The share is of this run's CPU per lifecycle at its highest load level when it has one, else the last full run's.
    const lifecycleCpu = levels.length
      ? Object.values(levels[levels.length - 1].cpuMsPerLifecycle).reduce((a, b) => a + b, 0)
      : LIFECYCLE_CPU_MS;
    const codec = PARTS.has('codec') ? await codecBench(ROOT, QUICK ? 20 : 200, lifecycleCpu) : null;
    console.log(`bench: people on the establishment (${PEOPLE})`);
    const people = PARTS.has('people')
      ? await peopleBench(
          stack.apiUrl,
          stack.databaseUrl,
          {
            admin: { username: 'admin', password: stack.adminPassword },
            office: { username: 'reviewer', password: PASSWORD },
            auditor: { username: 'auditor', password: PASSWORD },
          },
          PEOPLE,
          PEOPLE_SMALL,
        )
      : null;
    await stack.stop();
    if (ownCodecKey) delete process.env.TEMPORAL_CODEC_KEY_FILE;
    // The other topologies, each started afresh (its own data folder, the county loaded again) after the one before
    // has stopped: never two stacks on the two cores at once.
    for (const topology of rest) {
      // A folder of its own beside the first's (PostgreSQL, run as its own user, reads its parent).
      const otherDir = tmpDir(`bianzhi-bench-${topology}-`);
      const other = await startTopology(topology, otherDir).catch((err) => {
        fs.rmSync(otherDir, { recursive: true, force: true });
        throw err;
      });
      try {
        const county = await loadCounty(other, { password: PASSWORD, voters: VOTERS });
        if (PARTS.has('lifecycle')) runs.push({ topology, run: await lifecycleOn(other, county) });
        if (topology === 'cluster' && PARTS.has('faults')) faults = await faultsBench(other, county, FAULTS);
      } finally {
        await other.stop();
        fs.rmSync(otherDir, { recursive: true, force: true });
      }
    }
    const byTopology = Object.fromEntries(runs.map((r) => [r.topology, lifecycleFigures(r.topology, r.run)]));
    const results = {
      date: started.toISOString(),
      mode: QUICK ? 'quick' : 'full',
      machine: { cpus: require('node:os').cpus().length, node: process.version },
      secondsPerLevel: SECONDS,
      implementationPollMs: 20,
      /** The first topology's (the figures of runs before BENCH_TOPOLOGIES, on the dev server). */
      lifecycle: lifecycleFirst,
      /** Each topology's lifecycle figures, in the order run. */
      topologies: byTopology,
      faults: faults ?? (faultsSkipped ? { skipped: faultsSkipped } : null),
      queries,
      console: consoleLoads,
      replay,
      audit,
      codec,
      people,
      targets: {
        'lifecycles/s >= 10': peak.perSecond,
        'ours/bare >= 0.6 (at saturation)': ratios.find((r) => r.concurrency === peak.concurrency)?.oursOverBare,
        'ours at its peak / bare at its peak': lifecycleFirst.oursPeakOverBarePeak,
        'ours/bare by topology and concurrency': Object.fromEntries(
          Object.values(byTopology).map((t) => [
            t.topology,
            Object.fromEntries(t.oursOverBare.map((r) => [r.concurrency, r.oursOverBare])),
          ]),
        ),
        'vote p50 < 30 ms, p99 < 100 ms at half saturation': half,
        'audit verify >= 200000 records/s': auditAtFull?.verification.withCheckpoints.recordsPerSecond,
        'inclusion and consistency proof p99 < 10 ms': auditAtFull && {
          inclusion: auditAtFull.proofs.inclusion.p99,
          consistency: auditAtFull.proofs.consistency.p99,
        },
        'console first render < 1000 ms (p99)': Object.fromEntries(
          Object.entries(consoleLoads)
            .filter(([, v]) => typeof v === 'object')
            .map(([k, v]) => [k, (v as unknown as { p99: number }).p99]),
        ),
        'list and summary p99 < 20 ms': Object.fromEntries(
          Object.entries(queries)
            .filter(([k]) => k.startsWith('GET'))
            .map(([k, v]) => [k, (v as unknown as { p99: number }).p99]),
        ),
      },
    };
    const stamp = started.toISOString().replace(/[:.]/g, '-');
    // BENCH_RESULTS_DIR: where the smoke test keeps its figures, out of the working tree.
    const outDir = process.env.BENCH_RESULTS_DIR ?? path.join(ROOT, 'bench', 'results');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `${stamp}${QUICK ? '-quick' : ''}.json`), JSON.stringify(results, null, 2));
    if (levels.length)
      fs.writeFileSync(path.join(outDir, `${stamp}${QUICK ? '-quick' : ''}-latency.svg`), chart(levels, bare));
    // The later topologies' charts beside the first's.
    for (const r of runs.slice(1))
      fs.writeFileSync(
        path.join(outDir, `${stamp}${QUICK ? '-quick' : ''}-${r.topology}-latency.svg`),
        chart(r.run.levels, r.run.bare),
      );
    console.log('\n── summary ──');
    console.log(JSON.stringify(results.targets, null, 2));
    for (const t of Object.values(byTopology))
      for (const [i, l] of t.levels.entries())
        console.log(
          `${t.topology.padEnd(7)} c=${String(l.concurrency).padStart(2)}: ours ${l.perSecond}/s, ` +
            `bare ${t.bare[i]?.perSecond ?? '-'}/s, ours/bare ${t.oursOverBare[i].oursOverBare}; ` +
            `CPU ms/lifecycle ${JSON.stringify(l.cpuMsPerLifecycle)}`,
        );
    if (faults)
      console.log(
        `faults: ${faults.completed}/${faults.lifecycles} lifecycles in ${faults.seconds} s; longest stretch ` +
          `with none completed ${faults.recovery.longestSecondsWithNoLifecycleCompleted} s; ` +
          `checks failed: ${faults.failed.length ? faults.failed.join('; ') : 'none'}`,
      );
    if (people)
      console.log(
        `people: import of ${people.people} ${people.csvImport.ms} ms (${people.csvImport.rowsPerSecond} rows/s), ` +
          `dry run ${people.csvDryRun.ms} ms, reconciliation ${people.reconcile.runs[0].ms} ms; ` +
          `checks failed: ${people.failedChecks.length ? people.failedChecks.join('; ') : 'none'}`,
      );
    console.log(`figures: ${path.join(outDir, `${stamp}${QUICK ? '-quick' : ''}.json`)} (chart: …-latency.svg)`);
    if (PROFILE) (results as Record<string, unknown>).profileDir = profDir;
    if (PROFILE) {
      const files = fs.existsSync(profDir) ? fs.readdirSync(profDir) : [];
      const pids = [...new Set(files.map((f) => f.split('.')[2]))];
      const tops = pids.map((pid) => ({ pid, top: topOfProfiles(profDir, (f) => f.includes(`.${pid}.`)) }));
      fs.writeFileSync(path.join(outDir, `${stamp}-profile.json`), JSON.stringify(tops, null, 2));
      for (const t of tops)
        console.log(
          `\nCPU profile of pid ${t.pid}:\n` +
            t.top.map((x) => `  ${String(x.selfPercent).padStart(5)}%  ${x.fn}`).join('\n'),
        );
    }
    // The faults part fails the run: a request done twice or lost is a fault of the engine, not a slow figure.
    if (faults?.failed.length) throw new Error(`the faults part: ${faults.failed.join('; ')}`);
  } catch (err) {
    await stack.stop();
    throw err;
  } finally {
    // The run's databases take more than a GiB; the profiles, when asked for, stay (their folder is printed).
    if (!PROFILE) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('bench failed:', err);
    process.exit(1);
  },
);
