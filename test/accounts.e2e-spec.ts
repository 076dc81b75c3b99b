import { stepAt, toBase32, totpCode } from '../apps/api/src/auth/totp';
import { Clock } from '../apps/api/src/common/clock';

/** The code an authenticator app shows at time `at` for an otpauth:// URL. */
const codeFor = (url: string, at: number) => totpCode(new URL(url).searchParams.get('secret')!, stepAt(new Date(at)));
import { ApiClient } from './support/api-client';
import { addUser, INITIAL_PASSWORD, PASSWORD } from './support/county';
import { ADMIN_PASSWORD, startStack, Stack } from './support/stack';

// Sign-in and accounts (docs/api.md, "Sign-in and accounts"): the lockout with the clock moved rather than
// slept, equal answers and times for a wrong username and a wrong password, the forced password change, the
// policy, logout, 三员分立's role rules, and a sign-in limit that no spelling of the route side-steps.

let stack: Stack;
let admin: ApiClient;
let clock: Clock;
let t = Date.parse('2026-12-01T00:00:00Z');
const users: Record<string, { id: string; api: ApiClient }> = {};

beforeAll(async () => {
  stack = await startStack({ env: { LOGIN_RATE_LIMIT: '200' } });
  admin = await stack.api.login('admin', ADMIN_PASSWORD);
  for (const [username, roles] of [
    ['clerkless', ['reviewer']],
    ['victim', ['auditor']],
    ['timed', ['auditor']],
    ['secadmin', ['security_admin']],
  ] as const)
    users[username] = await addUser(stack, admin, { username, roles: [...roles] });
  clock = stack.app.get(Clock);
  jest.spyOn(clock, 'now').mockImplementation(() => new Date(t));
});
afterAll(() => stack?.stop());

const login = (username: string, password: string, path = '/v1/auth/login') =>
  stack.api.post(path, { username, password });

describe('lockout', () => {
  it('locks after five failures in 15 minutes (423), refuses the right password until the lock ends', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await login('victim', 'Wrong-passw0rd');
      expect([r.status, r.body.code]).toEqual([401, 'UNAUTHORIZED']);
      if (i < 4) t += 60_000;
    }
    // Locked for 15 minutes from the fifth failure.
    const sixth = await login('victim', 'Wrong-passw0rd');
    expect([sixth.status, sixth.body.code]).toEqual([423, 'ACCOUNT_LOCKED']);
    expect(sixth.body).toMatchObject({ statusCode: 423, error: 'Locked' });
    expect((await login('victim', PASSWORD)).status).toBe(423);
    t += 14 * 60_000;
    expect((await login('victim', PASSWORD)).status).toBe(423);
    t += 2 * 60_000;
    expect((await login('victim', PASSWORD)).status).toBe(200);
  });

  it('forgets failures older than 15 minutes', async () => {
    for (let i = 0; i < 4; i++) expect((await login('victim', 'Wrong-passw0rd')).status).toBe(401);
    t += 16 * 60_000;
    for (let i = 0; i < 4; i++) expect((await login('victim', 'Wrong-passw0rd')).status).toBe(401);
    expect((await login('victim', PASSWORD)).status).toBe(200);
  });

  it('locks an unknown username the same way, and the security admin unlocks a known one', async () => {
    for (let i = 0; i < 5; i++) expect((await login('nobody-here', 'Wrong-passw0rd')).status).toBe(401);
    expect((await login('nobody-here', 'Wrong-passw0rd')).status).toBe(423);
    for (let i = 0; i < 5; i++) await login('victim', 'Wrong-passw0rd');
    expect((await login('victim', PASSWORD)).status).toBe(423);
    expect((await admin.post(`/v1/users/${users.victim.id}/unlock`)).status).toBe(403);
    expect((await users.secadmin.api.post(`/v1/users/${users.victim.id}/unlock`)).status).toBe(204);
    expect((await login('victim', PASSWORD)).status).toBe(200);
    t += 20 * 60_000;
  });
});

describe('a wrong username and a wrong password', () => {
  it('get the same answer in the same time (medians within 20 % over 50 tries)', async () => {
    const unknown: number[] = [];
    const wrong: number[] = [];
    let bodies: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      t += 20 * 60_000; // no lock builds up: both stay on the failure path
      for (const [username, into] of [
        [`ghost${i}`, unknown],
        ['timed', wrong],
      ] as const) {
        const start = process.hrtime.bigint();
        const r = await login(username, 'Wrong-passw0rd');
        into.push(Number(process.hrtime.bigint() - start) / 1e6);
        expect(r.status).toBe(401);
        bodies.push(r.body);
      }
      expect(bodies[0]).toEqual(bodies[1]);
      bodies = [];
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const [a, b] = [median(unknown), median(wrong)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.2);
  });
});

describe('passwords', () => {
  it('a password the admin set must be changed first: that token reaches only two routes', async () => {
    const created = await admin.post('/v1/users', {
      username: 'newcomer',
      password: INITIAL_PASSWORD,
      displayName: 'n',
      roles: ['auditor'],
    });
    expect(created.body.mustChangePassword).toBe(true);
    const first = await login('newcomer', INITIAL_PASSWORD);
    expect(first.body.mustChangePassword).toBe(true);
    const api = stack.api.as(first.body.accessToken);
    expect((await api.get('/v1/users/me')).status).toBe(200);
    const denied = await api.get('/v1/audit/verify');
    expect([denied.status, denied.body.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    expect((await api.get('/v1/units')).status).toBe(403);
    const weak = await api.post('/v1/auth/password', { currentPassword: INITIAL_PASSWORD, newPassword: 'short' });
    expect([weak.status, weak.body.code, weak.body.details[0].field]).toEqual([400, 'PASSWORD_POLICY', 'newPassword']);
    for (const bad of ['alllowercase1', 'Newcomer-2026x', INITIAL_PASSWORD])
      expect(
        (await api.post('/v1/auth/password', { currentPassword: INITIAL_PASSWORD, newPassword: bad })).body.code,
      ).toBe('PASSWORD_POLICY');
    const wrongCurrent = await api.post('/v1/auth/password', { currentPassword: 'nope', newPassword: PASSWORD });
    expect([wrongCurrent.status, wrongCurrent.body.details[0].field]).toEqual([400, 'currentPassword']);
    expect(
      (await api.post('/v1/auth/password', { currentPassword: INITIAL_PASSWORD, newPassword: PASSWORD })).status,
    ).toBe(204);
    expect((await api.get('/v1/audit/verify')).status).toBe(200);
    const again = await login('newcomer', PASSWORD);
    expect(again.body.mustChangePassword).toBeUndefined();
  });

  it("the admin's new account and the security admin's reset both follow the policy and force a change", async () => {
    const weak = await admin.post('/v1/users', { username: 'weak', password: 'weak', displayName: 'w', roles: [] });
    expect([weak.status, weak.body.code, weak.body.details[0].field]).toEqual([400, 'PASSWORD_POLICY', 'password']);
    const reset = await users.secadmin.api.post(`/v1/users/${users.timed.id}/reset-password`, {
      password: 'Reset-passw0rd',
    });
    expect(reset.status).toBe(204);
    const r = await login('timed', 'Reset-passw0rd');
    expect(r.body.mustChangePassword).toBe(true);
    expect(
      (await admin.post(`/v1/users/${users.timed.id}/reset-password`, { password: 'Reset-passw0rd' })).status,
    ).toBe(403);
  });
});

describe('logout', () => {
  it('revokes the token at once; a new sign-in works', async () => {
    const api = await stack.api.login('clerkless', PASSWORD);
    expect((await api.get('/v1/users/me')).status).toBe(200);
    expect((await api.post('/v1/auth/logout')).status).toBe(204);
    expect((await api.get('/v1/users/me')).status).toBe(401);
    expect((await (await stack.api.login('clerkless', PASSWORD)).get('/v1/users/me')).status).toBe(200);
  });
});

describe('三员分立', () => {
  it('admin, security admin, audit admin and auditor hold no other role; a reviewer is never a clerk', async () => {
    for (const roles of [
      ['admin', 'auditor'],
      ['security_admin', 'reviewer'],
      ['audit_admin', 'committee_member'],
      ['auditor', 'clerk'],
      ['reviewer', 'consultee'],
      ['office_director', 'clerk'],
    ]) {
      const r = await admin.post('/v1/users', { username: 'xx', password: INITIAL_PASSWORD, displayName: 'x', roles });
      expect([r.status, r.body.code, r.body.details[0].field]).toEqual([400, 'ROLE_CONFLICT', 'roles']);
    }
    const patch = await admin.patch(`/v1/users/${users.clerkless.id}`, { roles: ['reviewer', 'clerk'] });
    expect([patch.status, patch.body.code]).toEqual([400, 'ROLE_CONFLICT']);
  });

  it('nobody changes their own roles, and the admin reads no requests', async () => {
    const me = (await admin.get('/v1/users/me')).body.id;
    const own = await admin.patch(`/v1/users/${me}`, { roles: ['admin'] });
    expect(own.status).toBe(403);
    for (const path of ['/v1/change-requests', '/v1/work-items', '/v1/audit'])
      expect((await admin.get(path)).status).toBe(403);
  });
});

describe('the second factor (TOTP)', () => {
  it('computes the codes of RFC 6238 (SHA-1 test vectors, six digits)', () => {
    const secret = toBase32(Buffer.from('12345678901234567890'));
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totpCode(secret, stepAt(new Date(59_000)))).toBe('287082');
    expect(totpCode(secret, stepAt(new Date(1111111109_000)))).toBe('081804');
    expect(totpCode(secret, stepAt(new Date(2000000000_000)))).toBe('279037');
  });

  it('enrols, then signs in with a code; a replayed or wrong code is refused', async () => {
    const api = await stack.api.login('clerkless', PASSWORD);
    const enrol = await api.post('/v1/auth/totp');
    expect(enrol.status).toBe(200);
    const url = enrol.body.otpauthUrl;
    expect((await api.post('/v1/auth/totp/confirm', { code: '000000' })).status).toBe(400);
    t += 60_000;
    expect((await api.post('/v1/auth/totp/confirm', { code: codeFor(url, t) })).status).toBe(204);
    const without = await login('clerkless', PASSWORD);
    expect([without.status, without.body.code]).toEqual([401, 'TOTP_REQUIRED']);
    t += 60_000;
    const code = codeFor(url, t);
    const ok = await stack.api.post('/v1/auth/login', { username: 'clerkless', password: PASSWORD, totp: code });
    expect(ok.status).toBe(200);
    const replay = await stack.api.post('/v1/auth/login', { username: 'clerkless', password: PASSWORD, totp: code });
    expect([replay.status, replay.body.code]).toEqual([401, 'TOTP_INVALID']);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    t += 60_000;
    const bad = await stack.api.post('/v1/auth/login', { username: 'clerkless', password: PASSWORD, totp: wrong });
    expect(bad.status).toBe(401);
    expect((await stack.api.as(ok.body.accessToken).post('/v1/auth/totp')).status).toBe(409);
  });

  it('REQUIRE_TOTP=1: a privileged account without it gets a token good only for enrolling', async () => {
    process.env.REQUIRE_TOTP = '1';
    try {
      const r = await login('victim', PASSWORD);
      expect(r.body.totpEnrolmentRequired).toBe(true);
      const api = stack.api.as(r.body.accessToken);
      const denied = await api.get('/v1/audit/verify');
      expect([denied.status, denied.body.code]).toEqual([403, 'TOTP_ENROLMENT_REQUIRED']);
      expect((await api.get('/v1/users/me')).status).toBe(200);
      const url = (await api.post('/v1/auth/totp')).body.otpauthUrl;
      t += 60_000;
      expect((await api.post('/v1/auth/totp/confirm', { code: codeFor(url, t) })).status).toBe(204);
      expect((await api.get('/v1/audit/verify')).status).toBe(200);
    } finally {
      delete process.env.REQUIRE_TOTP;
    }
  });
});

describe('the sign-in limit', () => {
  // Only variants are sent: had they gone uncounted, 201 of them would never meet the limit of 200 a minute.
  it('counts every spelling of the route: case and trailing-slash variants reach 429', async () => {
    const variants = ['/V1/AUTH/LOGIN', '/v1/auth/login/', '/v1/Auth/Login', '/V1/auth/LOGIN/'];
    const statuses: number[] = [];
    // In batches, so that all 201 fall well within the limit's one-minute window.
    for (let i = 0; i < 201 && !statuses.includes(429); i += 25) {
      const batch = Array.from({ length: Math.min(25, 201 - i) }, (_, j) =>
        login(`limit-probe-${i + j}`, 'Wrong-passw0rd', variants[(i + j) % variants.length]),
      );
      statuses.push(...(await Promise.all(batch)).map((r) => r.status));
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 429 && s !== 401 && s !== 423)).toEqual([]);
  });
});
