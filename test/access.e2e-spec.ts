import * as jwt from 'jsonwebtoken';
import { ROLES } from '@bianzhi/domain';
import { ACCESS, PUBLIC_ROUTES, RouteKey } from '../apps/api/src/auth/access';
import { ApiClient } from './support/api-client';
import { addUser, County, PASSWORD, seedCounty } from './support/county';
import { createSubmitted, forwardAndApprove, settled } from './support/procedure';
import { ADMIN_PASSWORD, startStack, Stack } from './support/stack';

// Every route against every role, from the one access table of the code (apps/api/src/auth/access.ts): 401
// without a valid token, 403 for a role the route does not allow, and neither for a role it allows. Then the
// rules about whose request it is: another unit, an unasked consultee, separation of duties.

let stack: Stack;
let c: County;
let draftId: string;
let demoId: string;
const byRole: Record<string, ApiClient> = {};
const usernameOf: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  draftId = (
    await c.users.clerk_housing.api.post('/v1/change-requests', {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      title: 't',
      justification: 'j',
      payload: { unitId: c.units.housing, newName: '县建设局' },
    })
  ).body.id;
  demoId = await createSubmitted(c, 'clerk_housing', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    payload: { unitId: c.units.housing, newName: '县城乡建设局' },
  });
  await c.users.reviewer.api.post(`/v1/change-requests/${demoId}/consultations`, {
    unitIds: [c.units.finance],
    dueAt: new Date(Date.now() + 86400_000).toISOString(),
  });
  const who: Record<string, string> = {
    clerk: 'clerk_housing',
    reviewer: 'reviewer',
    consultee: 'consultee_finance',
    committee_member: 'member3',
    committee_chair: 'chair',
    higher_liaison: 'liaison',
    auditor: 'auditor',
    office_director: 'director',
    security_admin: 'security_admin',
    audit_admin: 'audit_admin',
  };
  for (const role of ROLES) byRole[role] = role === 'admin' ? c.admin : c.users[who[role]].api;
  for (const role of ROLES) usernameOf[role] = role === 'admin' ? 'admin' : who[role];
});
afterAll(() => stack?.stop());

/** A request for each route that, for an allowed role, is refused by the stage or the body, never by access. */
function call(api: ApiClient, route: RouteKey) {
  const [method, template] = route.split(' ');
  const url = template
    .replace(
      ':id',
      route.includes('/v1/users/:id')
        ? '00000000-0000-4000-8000-000000000000'
        : route.includes('change-requests/:id')
          ? draftId
          : c.units.housing,
    )
    .replace('/v1/audit/proofs/inclusion', '/v1/audit/proofs/inclusion?seq=1&treeSize=1')
    .replace('/v1/audit/proofs/consistency', '/v1/audit/proofs/consistency?from=1&to=1');
  // Draft requests refuse every action but submit and withdraw with 409; empty bodies are 400: no side effects.
  const body = route.endsWith('/submit') ? undefined : {};
  return api.request(method, url, method === 'GET' ? undefined : (body ?? {}));
}

describe('the access matrix', () => {
  const routes = Object.keys(ACCESS) as RouteKey[];

  it.each(routes)('%s: 401 without a token or with a forged or expired one', async (route) => {
    const anonymous = stack.api;
    expect((await call(anonymous, route)).status).toBe(401);
    const forged = jwt.sign({ sub: c.users.auditor.id, username: 'auditor' }, 'not-the-secret', { expiresIn: 60 });
    expect((await call(stack.api.as(forged), route)).status).toBe(401);
    const expired = jwt.sign(
      { sub: c.users.auditor.id, username: 'auditor', exp: Math.floor(Date.now() / 1000) - 10 },
      process.env.JWT_SECRET!,
    );
    expect((await call(stack.api.as(expired), route)).status).toBe(401);
  });

  it.each(routes.flatMap((route) => ROLES.map((role) => [route, role] as const)))('%s as %s', async (route, role) => {
    const allowed = ACCESS[route].length === 0 || (ACCESS[route] as string[]).includes(role);
    // Signing out revokes the token: a session of its own, not the one the other routes use.
    const api =
      route === 'POST /v1/auth/logout'
        ? await stack.api.login(usernameOf[role], role === 'admin' ? ADMIN_PASSWORD : PASSWORD)
        : byRole[role];
    const res = await call(api, route);
    if (allowed) expect([401, 403]).not.toContain(res.status);
    else expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('covers every route the API serves', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const router: any = stack.app.getHttpAdapter().getInstance().router;
    const served = router.stack
      .filter((layer: { route?: unknown }) => layer.route)
      .flatMap((layer: { route: { path: string; methods: Record<string, boolean> } }) =>
        Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route.path}`),
      )
      .filter((r: string) => r.includes('/v1/') || r.includes('/health/'));
    const known = new Set([...Object.keys(ACCESS), ...PUBLIC_ROUTES]);
    expect(served.filter((r: string) => !known.has(r))).toEqual([]);
    expect([...known].filter((r) => !served.includes(r))).toEqual([]);
  });
});

describe('whose request it is', () => {
  it("hides a unit's requests from another unit's clerk (404) and shows them to its own", async () => {
    const other = c.users.clerk_health.api;
    expect((await other.get(`/v1/change-requests/${demoId}`)).status).toBe(404);
    expect((await other.get(`/v1/change-requests/${demoId}/audit`)).status).toBe(404);
    expect((await other.post(`/v1/change-requests/${draftId}/submit`)).status).toBe(404);
    expect((await other.post(`/v1/change-requests/${draftId}/withdraw`, { reason: 'x' })).status).toBe(404);
    expect(
      (await other.get('/v1/change-requests?pageSize=200')).body.items.map((r: { id: string }) => r.id),
    ).not.toContain(demoId);
    expect((await c.users.clerk_housing.api.get(`/v1/change-requests/${demoId}`)).status).toBe(200);
    const forOther = await other.post('/v1/change-requests', {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      title: 't',
      justification: 'j',
      payload: { unitId: c.units.housing, newName: 'x' },
    });
    expect([forOther.status, forOther.body.code]).toEqual([403, 'NOT_YOUR_UNIT']);
  });

  it('lets a consultee see and answer only where its unit was asked', async () => {
    expect((await c.users.consultee_hr.api.get(`/v1/change-requests/${demoId}`)).status).toBe(404);
    expect(
      (
        await c.users.consultee_hr.api.post(`/v1/change-requests/${demoId}/opinions`, {
          position: 'agree',
          comment: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await c.users.consultee_finance.api.get(`/v1/change-requests/${demoId}`)).status).toBe(200);
    expect(
      (await c.users.consultee_finance.api.get('/v1/change-requests')).body.items.map((r: { id: string }) => r.id),
    ).toEqual([demoId]);
    expect(
      (
        await c.users.consultee_finance.api.post(`/v1/change-requests/${demoId}/opinions`, {
          position: 'agree',
          comment: '同意',
        })
      ).status,
    ).toBe(200);
    const twice = await c.users.consultee_finance.api.post(`/v1/change-requests/${demoId}/opinions`, {
      position: 'disagree',
      comment: '改主意',
    });
    expect(twice.status).toBe(409);
  });

  it('keeps a requester from reviewing or voting on its own request, and a member from voting twice', async () => {
    c.users.two_hats = await addUser(stack, c.admin, {
      username: 'two_hats',
      displayName: '身兼数职',
      roles: ['clerk', 'committee_member'],
      unitId: c.units.natres,
    });
    const twoHats = c.users.two_hats.api;
    const id = (
      await twoHats.post('/v1/change-requests', {
        type: 'RENAME_UNIT',
        unitId: c.units.natres,
        title: 't',
        justification: 'j',
        payload: { unitId: c.units.natres, newName: '县自然资源和规划局' },
        submit: true,
      })
    ).body.id;
    await c.users.reviewer.api.post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    const vote = await twoHats.post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
    expect([vote.status, vote.body.code]).toEqual([403, 'SEPARATION_OF_DUTIES']);
    expect((await c.users.member3.api.post(`/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(200);
    const again = await c.users.member3.api.post(`/v1/change-requests/${id}/votes`, { vote: 'reject' });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_VOTED']);
  });

  it("stops a disabled user's token at once, and audits the admin's action", async () => {
    const token = c.users.clerk_poverty.api;
    expect((await token.get('/v1/users/me')).status).toBe(200);
    expect((await c.admin.patch(`/v1/users/${c.users.clerk_poverty.id}`, { disabled: true })).status).toBe(200);
    expect((await token.get('/v1/users/me')).status).toBe(401);
    const login = await stack.api.post('/v1/auth/login', { username: 'clerk_poverty', password: PASSWORD });
    expect(login.status).toBe(401);
    const audit = (await c.users.auditor.api.get('/v1/audit?actor=admin&limit=5000')).body.map(
      (r: { action: string }) => r.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['user_created', 'user_updated', 'unit_loaded', 'totals_recorded']));
  });

  it('takes the actor from the token, never from the body', async () => {
    const res = await c.users.clerk_housing.api.post(`/v1/change-requests/${draftId}/withdraw`, {
      reason: 'x',
      actor: { userId: c.users.auditor.id, role: 'auditor' },
    });
    expect([res.status, res.body.details?.[0]?.field]).toEqual([400, 'actor']);
  });

  it('keeps the requesting unit out of its own consultation and decision, enforced by the workflow too', async () => {
    const consulted = await c.users.reviewer.api.post(`/v1/change-requests/${demoId}/consultations`, {
      unitIds: [c.units.housing],
      dueAt: new Date(Date.now() + 86400_000).toISOString(),
    });
    expect([consulted.status, consulted.body.code]).toEqual([403, 'SEPARATION_OF_DUTIES']);
    const up = await createSubmitted(c, 'clerk_health', {
      type: 'CHANGE_GRADE',
      unitId: c.units.health,
      payload: { unitId: c.units.health, grade: 'DEPUTY_COUNTY' },
    });
    await forwardAndApprove(c, up);
    expect((await settled(c, up)).body.status).toBe('awaiting_higher_approval');
    const inside = await addUser(stack, c.admin, {
      username: 'liaison_health',
      roles: ['higher_liaison'],
      unitId: c.units.health,
    });
    const decision = { approved: true, documentNumber: '市编办〔2026〕1号', comment: 'ok' };
    const refused = await inside.api.post(`/v1/change-requests/${up}/higher-decision`, decision);
    expect([refused.status, refused.body.code]).toEqual([403, 'SEPARATION_OF_DUTIES']);

    // Ballots: names and choices for the committee and auditors, the tally only for the requesting clerk.
    const ballotsIn = (records: { action: string; actor: string; after: { vote?: { ballots?: unknown[] } } }[]) =>
      records.filter((r) => r.action === 'voted').map((r) => [r.actor, r.after?.vote?.ballots?.length ?? 0]);
    const forClerk = ballotsIn((await c.users.clerk_health.api.get(`/v1/change-requests/${up}/audit`)).body);
    const forAuditor = ballotsIn((await c.users.auditor.api.get(`/v1/change-requests/${up}/audit`)).body);
    expect(forClerk.length).toBeGreaterThan(0);
    expect(forClerk.every(([actor, n]) => actor === 'committee member' && n === 0)).toBe(true);
    expect(forAuditor.every(([actor, n]) => actor !== 'committee member' && Number(n) > 0)).toBe(true);
    expect(JSON.stringify((await c.users.clerk_health.api.get(`/v1/change-requests/${up}/audit`)).body)).not.toMatch(
      /"ballots":\[\{/,
    );
  });
});
