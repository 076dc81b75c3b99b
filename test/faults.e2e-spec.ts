import * as path from 'node:path';
import { ChildProcess } from 'node:child_process';
import { startTemporalDevServer, TemporalDevServerHandle, tmpDir } from '@bianzhi/dev-services';
import { SEARCH_ATTRIBUTE_NAMES } from '@bianzhi/workflows';
import { County, seedCounty, until } from './support/county';
import { startStack, Stack } from './support/stack';
import {
  implementationInFlight,
  killHard,
  spawnWorker,
  startPostgresProcess,
  stopProcess,
} from './support/worker-process';

// Faults on the real stack, with servers of this file's own (it restarts them): the worker killed with
// SIGKILL at each stage boundary, PostgreSQL restarted in the middle of a vote, Temporal restarted with its data
// kept. Each time the request ends as an undisturbed one does: the effect once, one number, one chain.

const { ensureTemporalCli } = require('../scripts/temporal-cli.js');

const dir = tmpDir('bianzhi-faults-');
let pg: Awaited<ReturnType<typeof startPostgresProcess>>;
let temporal: TemporalDevServerHandle;
let stack: Stack;
let c: County;
let worker: ChildProcess;

async function restartTemporal(): Promise<void> {
  const port = Number(temporal.address.split(':')[1]);
  temporal = await startTemporalDevServer({
    searchAttributes: SEARCH_ATTRIBUTE_NAMES,
    cliPath: ensureTemporalCli(),
    port,
    dbFile: path.join(dir, 'temporal.db'),
  });
}

beforeAll(async () => {
  pg = await startPostgresProcess(path.join(dir, 'pg'));
  temporal = await startTemporalDevServer({
    searchAttributes: SEARCH_ATTRIBUTE_NAMES,
    cliPath: ensureTemporalCli(),
    dbFile: path.join(dir, 'temporal.db'),
  });
  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEMPORAL_ADDRESS = temporal.address;
  stack = await startStack({
    noWorker: true,
    timing: { default: { activityTimeoutSeconds: 4 } },
    env: { UPDATE_TIMEOUT_MS: '15000' },
  });
  c = await seedCounty(stack);
  worker = spawnWorker(stack);
});
afterAll(async () => {
  if (worker) await stopProcess(worker);
  await stack?.stop();
  await temporal?.stop();
  await pg?.stop();
});

const u = (name: string) => c.users[name].api;

async function restartWorker(env: Record<string, string> = {}) {
  await killHard(worker);
  worker = spawnWorker(stack, env);
}

let keys = 0;
/** What a careful client does: retry a 503 with the same Idempotency-Key until the system answers. */
async function act(who: string, path: string, body: object) {
  const key = `act-${++keys}`;
  return until(
    `${path} answered`,
    () => u(who).post(path, body, { 'idempotency-key': key }),
    (r) => r.status !== 503,
    90_000,
  );
}

type Stage = 'after-submit' | 'during-consultations' | 'during-vote' | 'inside-implementation';

/** One request from draft to registry; `disturb` runs at each stage boundary. Returns what an auditor compares. */
async function walk(label: string, disturb: (stage: Stage) => Promise<void>) {
  const cdcBefore = (await c.admin.get(`/v1/units/${c.units.cdc}`)).body.quotas.PUBLIC_INSTITUTION;
  const created = await act('clerk_housing', '/v1/change-requests', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.housing,
    title: label,
    justification: 'j',
    payload: {
      lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 1 }],
    },
    submit: true,
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  await disturb('after-submit');
  expect(
    (
      await act('reviewer', `/v1/change-requests/${id}/consultations`, {
        unitIds: [c.units.finance, c.units.hr],
        dueAt: new Date(Date.now() + 86400_000).toISOString(),
      })
    ).status,
  ).toBe(200);
  await disturb('during-consultations');
  expect(
    (await act('consultee_finance', `/v1/change-requests/${id}/opinions`, { position: 'agree', comment: '同意' }))
      .status,
  ).toBe(200);
  expect(
    (await act('consultee_hr', `/v1/change-requests/${id}/opinions`, { position: 'agree', comment: '同意' })).status,
  ).toBe(200);
  expect((await act('reviewer', `/v1/change-requests/${id}/review`, { decision: 'forward' })).status).toBe(200);
  for (const m of ['member_health', 'member_org'])
    expect((await act(m, `/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(200);
  await disturb('during-vote');
  for (const m of ['member3', 'member4'])
    expect((await act(m, `/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(200);
  await disturb('inside-implementation');
  expect((await act('member5', `/v1/change-requests/${id}/votes`, { vote: 'abstain' })).status).toBe(200);
  const done = await until(
    'implemented',
    () => u('auditor').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'implemented',
    90_000,
  );
  const actions = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.map(
    (r: { action: string }) => r.action,
  );
  const implementations = (
    await stack.db.query('SELECT count(*)::int AS n FROM implementations WHERE request_id = $1', [id])
  )[0].n;
  return {
    status: done.body.status,
    tally: done.body.tally,
    opinions: done.body.consultations.map((x: { opinion: { position: string } }) => x.opinion.position),
    actions,
    implementations,
    documentNumber: /^清编〔\d{4}〕\d+号$/.test(done.body.documentNumber),
    cdcDelta: (await c.admin.get(`/v1/units/${c.units.cdc}`)).body.quotas.PUBLIC_INSTITUTION - cdcBefore,
  };
}

async function chainValid() {
  return (await u('auditor').get('/v1/audit/verify')).body.valid;
}

it('ends as an undisturbed run does when the worker is killed at each stage boundary', async () => {
  const undisturbed = await walk('undisturbed', async () => undefined);
  const disturbed = await walk('worker killed', async (stage) => {
    if (stage === 'inside-implementation') {
      // The next vote closes the vote; implementation then holds its transaction open until the kill.
      await restartWorker({ BIANZHI_FAULT_IMPLEMENT_DELAY_MS: '60000' });
      setTimeout(async () => {
        await until(
          'implementation in flight',
          () => implementationInFlight(stack.db),
          (held) => held,
          60_000,
        );
        await restartWorker();
      }, 0);
    } else {
      await restartWorker();
    }
  });
  expect(disturbed).toEqual(undisturbed);
  expect(disturbed).toMatchObject({ implementations: 1, cdcDelta: 1, documentNumber: true });
  const numbers: { number: number }[] = await stack.db.query('SELECT number FROM implementations ORDER BY number');
  expect(numbers.map((n) => n.number)).toEqual(numbers.map((_, i) => i + 1));
  expect(await chainValid()).toBe(true);
});

it('answers 503 while PostgreSQL is down in the middle of a vote, and finishes once it is back', async () => {
  const result = walk('postgres restarted', async (stage) => {
    if (stage !== 'during-vote') return;
    await pg.stop();
    const vote = await u('member3').post('/v1/change-requests/00000000-0000-4000-8000-000000000000/votes', {
      vote: 'approve',
    });
    expect([vote.status, vote.body.code]).toEqual([503, 'UNAVAILABLE']);
    const ready = await stack.api.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details ?? ready.body).toBeDefined();
    expect(JSON.stringify(ready.body)).toMatch(/database/);
    pg = await startPostgresProcess(path.join(dir, 'pg'), pg.port);
    await until(
      'ready again',
      () => stack.api.get('/health/ready'),
      (r) => r.status === 200,
      60_000,
    );
  });
  expect(await result).toMatchObject({ status: 'implemented', implementations: 1, cdcDelta: 1 });
  expect(await chainValid()).toBe(true);
});

it('answers 503 while Temporal is down, and resumes with its data kept once it is back', async () => {
  const result = walk('temporal restarted', async (stage) => {
    if (stage !== 'during-vote') return;
    await temporal.stop();
    const list = (await u('auditor').get('/v1/change-requests?status=committee')).body.items;
    const vote = await u('member3').post(`/v1/change-requests/${list[0].id}/votes`, { vote: 'approve' });
    expect([vote.status, vote.body.code]).toEqual([503, 'UNAVAILABLE']);
    const ready = await stack.api.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toHaveProperty('temporal');
    expect(ready.body.info ?? ready.body.details).toHaveProperty('database');
    await restartTemporal();
    await until(
      'ready again',
      () => stack.api.get('/health/ready'),
      (r) => r.status === 200,
      60_000,
    );
  });
  expect(await result).toMatchObject({ status: 'implemented', implementations: 1, cdcDelta: 1 });
  expect(await chainValid()).toBe(true);
});

describe('Idempotency-Key', () => {
  it('acts once for a burst of 200 identical POSTs from 20 concurrent clients', async () => {
    const body = {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      title: '幂等',
      justification: 'j',
      payload: { unitId: c.units.housing, newName: '县建设管理局' },
      submit: true,
    };
    const key = `burst-${Date.now()}`;
    const answers: { status: number; id: string }[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 10; i++) {
          const res = await u('clerk_housing').post('/v1/change-requests', body, { 'idempotency-key': key });
          answers.push({ status: res.status, id: res.body.id });
        }
      }),
    );
    expect(answers).toHaveLength(200);
    expect(new Set(answers.map((a) => `${a.status} ${a.id}`))).toEqual(new Set([`201 ${answers[0].id}`]));
    const created: { n: number }[] = await stack.db.query(
      `SELECT count(*)::int AS n FROM change_requests WHERE title = '幂等'`,
    );
    expect(created[0].n).toBe(1);
    const records = (await u('auditor').get(`/v1/change-requests/${answers[0].id}/audit`)).body.map(
      (r: { action: string }) => r.action,
    );
    expect(records).toEqual(['created', 'submitted']);
    const other = await u('clerk_housing').post(
      '/v1/change-requests',
      { ...body, title: '别的' },
      { 'idempotency-key': key },
    );
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_MISMATCH']);
    // The same key from another user is that user's own.
    const elsewhere = await u('clerk_health').post(
      '/v1/change-requests',
      { ...body, unitId: c.units.health, payload: { unitId: c.units.health, newName: '县卫生局' } },
      { 'idempotency-key': key },
    );
    expect(elsewhere.status).toBe(201);
  });

  it('returns the first answer to a repeated action, errors included, and records it once', async () => {
    const id = (
      await u('clerk_housing').post('/v1/change-requests', {
        type: 'RENAME_UNIT',
        unitId: c.units.housing,
        title: 't',
        justification: 'j',
        payload: { unitId: c.units.housing, newName: '县建管局' },
        submit: true,
      })
    ).body.id;
    const a = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'return', comment: '补充材料' },
      { 'idempotency-key': 'r1' },
    );
    const b = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'return', comment: '补充材料' },
      { 'idempotency-key': 'r1' },
    );
    expect(b).toMatchObject({ status: a.status, body: a.body });
    const wrong1 = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'forward' },
      { 'idempotency-key': 'r2' },
    );
    const wrong2 = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'forward' },
      { 'idempotency-key': 'r2' },
    );
    expect([wrong1.status, wrong2.status, wrong2.body.code]).toEqual([409, 409, 'WRONG_STAGE']);
    const actions = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.map(
      (r: { action: string }) => r.action,
    );
    expect(actions.filter((x: string) => x === 'returned')).toHaveLength(1);
  });

  it('answers a retry whose first answer was lost as the first call did, though the stage has moved on', async () => {
    const id = (
      await u('clerk_housing').post('/v1/change-requests', {
        type: 'RENAME_UNIT',
        unitId: c.units.housing,
        title: 't',
        justification: 'j',
        payload: { unitId: c.units.housing, newName: '县建管局' },
        submit: true,
      })
    ).body.id;
    const first = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'return', comment: '补充材料' },
      { 'idempotency-key': 'lost-1' },
    );
    expect([first.status, first.body.status]).toEqual([200, 'returned']);
    // The answer lost on the way (a 503 after the workflow took the Update): the key's stored answer is gone, as then.
    await stack.db.query(`DELETE FROM idempotency_keys WHERE key = 'lost-1'`);
    const retry = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'return', comment: '补充材料' },
      { 'idempotency-key': 'lost-1' },
    );
    expect([retry.status, retry.body.status]).toEqual([200, 'returned']);
    // Another key is another call: refused at this stage, as before.
    const another = await u('reviewer').post(
      `/v1/change-requests/${id}/review`,
      { decision: 'return', comment: '补充材料' },
      { 'idempotency-key': 'lost-2' },
    );
    expect([another.status, another.body.code]).toEqual([409, 'WRONG_STAGE']);
    const actions = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.map(
      (r: { action: string }) => r.action,
    );
    expect(actions.filter((x: string) => x === 'returned')).toHaveLength(1);
  });
});
