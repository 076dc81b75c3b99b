import * as fs from 'node:fs';
import { Connection, type TLSConfig } from '@temporalio/client';
import { temporalTlsFromEnv } from '@bianzhi/workflows/connection';
import { freeConsecutivePorts, tmpDir } from '@bianzhi/dev-services';
import { RunningStack, startAll } from '../scripts/start';
import { ApiClient } from './support/api-client';
import { County, seedCounty, until } from './support/county';
import { ADMIN_PASSWORD, createMigratedDatabase, Stack } from './support/stack';

// The topology of docker/compose.yaml on one machine (`npm run start:cluster`'s own code, scripts/start.ts): the
// Temporal server itself on PostgreSQL with mTLS, two APIs and two workers. A request walks through every stage
// while one API and one worker are killed with SIGKILL; then requests under load from several clients while an
// API and a worker are killed and the Temporal server is killed and started again. Every request finishes once,
// with one number each, the trail verifies, and the registry ends where an undisturbed run would.
// Needs the server binary (scripts/temporal-server.js builds it with Go; `.ci/run` does so before `npm test`).

const { ensureTemporalServer } = require('../scripts/temporal-server.js');

const layout = process.env.SKIP_CLUSTER_TEST ? null : ensureTemporalServer();
const why = process.env.SKIP_CLUSTER_TEST ? 'SKIP_CLUSTER_TEST is set' : ensureTemporalServer.why;
if (!layout) console.warn(`test/cluster.e2e-spec.ts skipped: ${why ?? 'no Temporal server binary'}`);
const maybe = layout ? describe : describe.skip;

jest.setTimeout(15 * 60_000);

maybe('the cluster topology: the Temporal server on PostgreSQL, two APIs, two workers', () => {
  let running: RunningStack;
  let c: County;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // The suite's PostgreSQL (a database of this file's own, as its owner and the app's role, and Temporal's two
    // databases beside it), but not its Temporal dev server: start:cluster's code starts the server and processes.
    for (const k of ['DATABASE_URL', 'DATABASE_OWNER_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_SEARCH_ATTRIBUTES']) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    const { ownerUrl, appUrl } = await createMigratedDatabase();
    process.env.DATABASE_OWNER_URL = ownerUrl;
    process.env.DATABASE_URL = appUrl;
    saved.ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
    process.env.ADMIN_PASSWORD = ADMIN_PASSWORD;
    // The county's twenty users sign in within a minute.
    saved.LOGIN_RATE_LIMIT = process.env.LOGIN_RATE_LIMIT;
    process.env.LOGIN_RATE_LIMIT = '100000';
    running = await startAll({
      dataDir: tmpDir('bianzhi-cluster-'),
      port: await freeConsecutivePorts(2),
      demo: false,
      fixedTemporalPorts: false,
      topology: 'cluster',
      temporalDatabase: `temporal_${new URL(ownerUrl).pathname.slice(1)}`,
    });
    c = await seedCounty({ api: new ApiClient(running.apiUrls[0]) } as Stack);
  });

  afterAll(async () => {
    await running?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const apis = () => running.processes.filter((p) => p.url);
  const workers = () => running.processes.filter((p) => !p.url);

  let keys = 0;
  /**
   * A client behind a load balancer: the call goes to one API; when that API is gone (connection refused or cut)
   * or answers 503 (Temporal away), the same call with the same Idempotency-Key goes to the next one, until one
   * answers.
   */
  async function call(who: string, method: 'GET' | 'POST', path: string, body?: object, prefer = 0) {
    const key = `cluster-${++keys}`;
    const deadline = Date.now() + 5 * 60_000;
    for (let attempt = prefer; ; attempt++) {
      const url = running.apiUrls[attempt % running.apiUrls.length];
      try {
        const res = await c.users[who].api
          .at(url)
          .request(method, path, body, method === 'POST' ? { 'Idempotency-Key': key } : {});
        if (res.status !== 503 && res.status !== 502) return res;
      } catch {
        /* that API is down: the next one */
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no API answered`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Create, submit, forward and every eligible member's vote; the votes alternate between the APIs. */
  async function walk(clerk: string, unitId: string, title: string, between?: () => Promise<void>) {
    const created = await call(clerk, 'POST', '/v1/change-requests', {
      type: 'ADJUST_QUOTA',
      unitId,
      title,
      justification: '职能增加',
      payload: { unitId, category: 'ADMIN', delta: 1 },
      submit: true,
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const consulted = await call('reviewer', 'POST', `/v1/change-requests/${id}/consultations`, {
      unitIds: [c.units.finance],
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(consulted.status).toBe(200);
    const opinion = await call('consultee_finance', 'POST', `/v1/change-requests/${id}/opinions`, {
      position: 'agree',
      comment: '同意',
    });
    expect(opinion.status).toBe(200);
    await between?.();
    const fwd = await call('reviewer', 'POST', `/v1/change-requests/${id}/review`, { decision: 'forward' }, 1);
    expect(fwd.status).toBe(200);
    const members = fwd.body.eligibleMembers as { username: string }[];
    expect(members.length).toBeGreaterThan(0);
    for (const [i, m] of members.entries()) {
      const vote = await call(m.username, 'POST', `/v1/change-requests/${id}/votes`, { vote: 'approve' }, i);
      expect(vote.status).toBe(200);
    }
    return id;
  }

  const settledAt = (id: string) =>
    until(
      'implemented with its document',
      () => call('auditor', 'GET', `/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented' && r.body.documents?.length > 0,
      5 * 60_000,
    );

  const quota = async (unitId: string): Promise<number> =>
    (await call('auditor', 'GET', `/v1/units/${unitId}`)).body.quotas.ADMIN;

  it('serves from both APIs and runs on both workers behind mTLS', async () => {
    expect(running.apiUrls).toHaveLength(2);
    expect(workers()).toHaveLength(2);
    expect(running.temporalEnv).toMatchObject({ TEMPORAL_TLS_CA_FILE: expect.any(String) });
    for (const url of running.apiUrls) expect((await new ApiClient(url).get('/health/ready')).status).toBe(200);
    // Reaching the port is not enough: a client without a certificate of the deployment's CA is refused.
    const address = running.temporalEnv.TEMPORAL_ADDRESS;
    const reach = async (tls?: TLSConfig) => {
      const connection = await Connection.connect({ address, tls, connectTimeout: '3 seconds' });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
    };
    await expect(reach()).rejects.toThrow();
    const ca = fs.readFileSync(running.temporalEnv.TEMPORAL_TLS_CA_FILE);
    await expect(reach({ serverRootCACertificate: ca, serverNameOverride: 'temporal' })).rejects.toThrow();
    await expect(reach(temporalTlsFromEnv(running.temporalEnv))).resolves.toBeUndefined();
  });

  it('walks a request through every stage with one API and one worker killed mid-way', async () => {
    const before = await quota(c.units.housing);
    const id = await walk('clerk_housing', c.units.housing, '核增行政编制1名', async () => {
      // After 动议 and 论证, before 审议决定: the first API and the first worker die without warning.
      await apis()[0].kill('SIGKILL');
      await workers()[0].kill('SIGKILL');
    });
    const done = await settledAt(id);
    expect(done.body.documentNumber).toMatch(/^清编〔\d{4}〕1号$/);
    expect(await quota(c.units.housing)).toBe(before + 1);
    const trail = (await call('auditor', 'GET', `/v1/change-requests/${id}/audit`)).body as { action: string }[];
    expect(trail.filter((r) => r.action === 'implemented')).toHaveLength(1);
    const replay = await call('auditor', 'GET', `/v1/change-requests/${id}/replay`);
    expect(replay.body).toMatchObject({ deterministic: true });
    expect((await call('auditor', 'GET', '/v1/audit/verify')).body).toMatchObject({ valid: true });
    // Both come back and take their share again.
    await apis()[0].start();
    await workers()[0].start();
  });

  it('under load, an API and a worker killed, Temporal restarted: each request once, one number each', async () => {
    const clerks: [string, string][] = [
      ['clerk_housing', c.units.housing],
      ['clerk_health', c.units.health],
      ['clerk_poverty', c.units.poverty],
      ['clerk_united', c.units.united],
    ];
    const PER_CLIENT = 3;
    const before = Object.fromEntries(await Promise.all(clerks.map(async ([, u]) => [u, await quota(u)] as const)));
    const ids: string[] = [];
    const load = Promise.all(
      clerks.map(async ([clerk, unitId]) => {
        for (let n = 0; n < PER_CLIENT; n++) ids.push(await walk(clerk, unitId, `${clerk} 第${n + 1}件`));
      }),
    );
    const faults = (async () => {
      await until(
        'some requests filed',
        async () => ids.length,
        (n) => n >= 2,
        5 * 60_000,
      );
      await apis()[1].kill('SIGKILL');
      await workers()[1].kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 2000));
      await running.temporalServer!.restart();
      await apis()[1].start();
      await workers()[1].start();
    })();
    await Promise.all([load, faults]);
    const done = await Promise.all(ids.map(settledAt));
    const numbers = done.map((d) => d.body.documentNumber as string);
    expect(new Set(numbers).size).toBe(ids.length);
    // Numbers 2 to 13: the first test's request took 1; none skipped, none twice.
    const ordinals = numbers.map((n) => Number(/〕(\d+)号$/.exec(n)![1])).sort((a, b) => a - b);
    expect(ordinals).toEqual(Array.from({ length: ids.length }, (_, i) => i + 2));
    for (const [, unitId] of clerks) expect(await quota(unitId)).toBe(before[unitId] + PER_CLIENT);
    for (const id of ids) {
      const trail = (await call('auditor', 'GET', `/v1/change-requests/${id}/audit`)).body as { action: string }[];
      expect(trail.filter((r) => r.action === 'implemented')).toHaveLength(1);
    }
    expect((await call('auditor', 'GET', '/v1/audit/verify')).body).toMatchObject({ valid: true });
  });
});
