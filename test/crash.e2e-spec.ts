import { County, seedCounty, until } from './support/county';
import { startStack, Stack } from './support/stack';
import { implementationInFlight, killHard, spawnWorker, stopProcess } from './support/worker-process';

// A worker killed with SIGKILL in the middle of implementation: the transaction that allocates the
// document number and applies the effect dies with it, and the retried activity applies it exactly once.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack({ noWorker: true, timing: { default: { activityTimeoutSeconds: 4 } } });
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;

it('applies the effect once and uses one document number after a crash inside implementation', async () => {
  let worker = spawnWorker(stack, { BIANZHI_FAULT_IMPLEMENT_DELAY_MS: '60000' });
  try {
    const before = (await c.admin.get(`/v1/units/${c.units.cdc}`)).body.quotas.PUBLIC_INSTITUTION;
    const created = await u('clerk_housing').post('/v1/change-requests', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      title: '调剂事业编制',
      justification: 'j',
      payload: {
        lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 3 }],
      },
      submit: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    for (const m of ['member_health', 'member_org', 'member3', 'member4', 'member5'])
      expect((await u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(200);
    // Wait until implementation's transaction has written the effect and holds it open, then kill the worker.
    await until(
      'implementation in flight',
      () => implementationInFlight(stack.db),
      (held) => held,
    );
    await killHard(worker);
    expect((await stack.db.query('SELECT count(*)::int AS n FROM implementations'))[0].n).toBe(0);
    expect((await u('auditor').get(`/v1/change-requests/${id}`)).body.status).toBe('implementing');

    worker = spawnWorker(stack);
    const done = await until(
      'implemented after restart',
      () => u('auditor').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
      90_000,
    );
    expect(done.body.documentNumber).toMatch(/^清编〔\d{4}〕1号$/);
    expect((await c.admin.get(`/v1/units/${c.units.cdc}`)).body.quotas.PUBLIC_INSTITUTION).toBe(before + 3);
    expect((await stack.db.query('SELECT count(*)::int AS n FROM implementations'))[0].n).toBe(1);
    expect((await stack.db.query('SELECT last_number FROM document_number_counters'))[0].last_number).toBe(1);
    const audit = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body;
    expect(audit.filter((r: { action: string }) => r.action === 'implemented')).toHaveLength(1);
    expect((await u('auditor').get('/v1/audit/verify')).body).toMatchObject({ valid: true });
  } finally {
    await stopProcess(worker);
  }
});
