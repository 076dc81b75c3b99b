import { Client as PgClient } from 'pg';
import { Clock } from '../apps/api/src/common/clock';
import { SecurityLogService } from '../apps/api/src/auth/security-log.service';
import { ApiClient } from './support/api-client';
import { addUser, INITIAL_PASSWORD, PASSWORD } from './support/county';
import { ADMIN_PASSWORD, startStack, Stack } from './support/stack';

// The security log (docs/architecture.md, "Accounts and the security log"): every event type written and
// read by the audit admin, its hash chain verified and a tampered record found, and the retention job that
// deletes only what is older than 180 days (time injected).

const DAY = 86_400_000;
let stack: Stack;
let admin: ApiClient;
let auditAdmin: ApiClient;
let t = Date.parse('2026-01-01T00:00:00Z');
const users: Record<string, { id: string; api: ApiClient }> = {};

beforeAll(async () => {
  stack = await startStack();
  jest.spyOn(stack.app.get(Clock), 'now').mockImplementation(() => new Date(t));
  admin = await stack.api.login('admin', ADMIN_PASSWORD);
  users.audit_admin = await addUser(stack, admin, { username: 'audit_admin', roles: ['audit_admin'] });
  users.security_admin = await addUser(stack, admin, { username: 'security_admin', roles: ['security_admin'] });
  users.auditor = await addUser(stack, admin, { username: 'auditor', roles: ['auditor'] });
  users.someone = await addUser(stack, admin, { username: 'someone', roles: ['reviewer'] });
  auditAdmin = users.audit_admin.api;
});
afterAll(() => stack?.stop());

const events = async (query = '') => (await auditAdmin.get(`/v1/security-events?limit=5000${query}`)).body;

it('writes every kind of event and the audit admin reads them, filtered', async () => {
  for (let i = 0; i < 5; i++) await stack.api.post('/v1/auth/login', { username: 'someone', password: 'Wrong-1x' });
  await stack.api.post('/v1/auth/login', { username: 'someone', password: 'Wrong-1x' });
  await users.security_admin.api.post(`/v1/users/${users.someone.id}/unlock`);
  await users.someone.api.get('/v1/audit');
  await stack.api.get('/v1/users/me');
  await users.someone.api.post('/v1/auth/password', { currentPassword: 'wrong', newPassword: 'Another-passw0rd' });
  await users.someone.api.post('/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Another-passw0rd' });
  await users.security_admin.api.post(`/v1/users/${users.someone.id}/reset-password`, { password: INITIAL_PASSWORD });
  await admin.patch(`/v1/users/${users.someone.id}`, { roles: ['office_director'] });
  await admin.patch(`/v1/users/${users.someone.id}`, { displayName: 'Someone' });
  await (await stack.api.login('auditor', PASSWORD)).post('/v1/auth/logout');
  const types = new Set((await events()).map((e: { type: string }) => e.type));
  for (const type of [
    'sign_in',
    'sign_in_failed',
    'account_locked',
    'sign_in_locked',
    'account_unlocked',
    'access_denied',
    'password_change_failed',
    'password_changed',
    'password_reset',
    'user_created',
    'roles_changed',
    'user_updated',
    'logout',
  ])
    expect([type, types.has(type)]).toEqual([type, true]);
  const denied = await events('&type=access_denied&username=someone');
  expect(denied[0]).toMatchObject({ actor: 'someone', detail: { status: 403, path: '/v1/audit' } });
  expect((await events('&username=nobody')).length).toBe(0);
  expect((await events(`&from=${new Date(t + DAY).toISOString()}`)).length).toBe(0);
  expect((await (await stack.api.login('auditor', PASSWORD)).get('/v1/security-events')).status).toBe(200);
  for (const who of [admin, users.security_admin.api]) expect((await who.get('/v1/security-events')).status).toBe(403);
});

it('verifies its chain, and finds a record changed behind its back', async () => {
  const ok = (await auditAdmin.get('/v1/security-events/verify')).body;
  expect(ok).toMatchObject({ ok: true, brokenAt: null });
  expect(ok.records).toBeGreaterThan(10);
  const [victim] = await stack.db.query(`SELECT seq FROM security_events WHERE type = 'password_reset' LIMIT 1`);
  // The database refuses the change even to the owner; the tamperer is a superuser bypassing the trigger.
  const superuser = new PgClient({ connectionString: stack.ownerUrl });
  await superuser.connect();
  try {
    const change = `UPDATE security_events SET username = $2 WHERE seq = $1`;
    await expect(superuser.query(change, [victim.seq, 'someone-else'])).rejects.toThrow(/append-only/);
    await superuser.query('SET session_replication_role = replica');
    await superuser.query(change, [victim.seq, 'someone-else']);
    const broken = (await auditAdmin.get('/v1/security-events/verify')).body;
    expect(broken).toMatchObject({ ok: false, brokenAt: Number(victim.seq) });
    await superuser.query(change, [victim.seq, 'someone']);
  } finally {
    await superuser.end();
  }
  expect((await auditAdmin.get('/v1/security-events/verify')).body.ok).toBe(true);
});

it('retention deletes only records older than 180 days, and the rest still verifies', async () => {
  const start = t;
  t = start + 100 * DAY;
  await stack.api.post('/v1/auth/login', { username: 'someone', password: 'Wrong-1x' }); // day 100
  t = start + 181 * DAY;
  await stack.api.post('/v1/auth/login', { username: 'someone', password: 'Wrong-1x' }); // day 181
  const before = await events();
  const deleted = await stack.app.get(SecurityLogService).purge();
  const after = await events();
  const old = before.filter((e: { at: string }) => Date.parse(e.at) < t - 180 * DAY);
  expect(old.length).toBeGreaterThan(0);
  expect(deleted).toBe(old.length);
  expect(after.filter((e: { at: string }) => Date.parse(e.at) < t - 180 * DAY)).toEqual([]);
  // Every younger record is still there (plus the purge's own record).
  const kept = (xs: { seq: number }[]) => xs.map((e) => e.seq);
  expect(kept(after)).toEqual(expect.arrayContaining(kept(before.filter((e: { at: string }) => !old.includes(e)))));
  expect(after[0].type).toBe('security_log_purged');
  expect((await auditAdmin.get('/v1/security-events/verify')).body).toMatchObject({ ok: true });
  t = start + 181 * DAY + 1000;
  expect(await stack.app.get(SecurityLogService).purge()).toBe(0);
});
