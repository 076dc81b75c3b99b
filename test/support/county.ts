import { ApiClient } from './api-client';
import { ADMIN_PASSWORD, Stack } from './stack';

// A small county for the tests, built through the API as an office would load it.

export interface County {
  admin: ApiClient;
  units: Record<string, string>;
  users: Record<string, { id: string; api: ApiClient }>;
}

const UNITS: Record<string, object> = {
  housing: {
    name: '县住房和城乡建设局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 12, PUBLIC_INSTITUTION: 10 },
    occupied: { ADMIN: 10, PUBLIC_INSTITUTION: 6 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
  },
  natres: {
    name: '县自然资源局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
  },
  cdc: {
    name: '县疾病预防控制中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 30 },
    occupied: { PUBLIC_INSTITUTION: 30 },
    leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 1 }],
  },
  health: {
    name: '县卫生健康局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 15, PUBLIC_INSTITUTION: 40 },
    occupied: { ADMIN: 14, PUBLIC_INSTITUTION: 35 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
  },
  finance: { name: '县财政局', kind: 'GOVERNMENT', grade: 'SECTION', quotas: { ADMIN: 20 }, occupied: { ADMIN: 18 } },
  hr: {
    name: '县人力资源和社会保障局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 14 },
  },
  org: { name: '县委组织部', kind: 'PARTY', grade: 'SECTION', quotas: { ADMIN: 20 }, occupied: { ADMIN: 18 } },
  poverty: {
    name: '县扶贫开发局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 7 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
  },
  united: { name: '县委统战部', kind: 'PARTY', grade: 'SECTION', quotas: { ADMIN: 10 }, occupied: { ADMIN: 9 } },
  police: {
    name: '县公安局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { POLITICAL_LEGAL: 50 },
    occupied: { POLITICAL_LEGAL: 48 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
  },
};

/** Every county user's password once seeded: each changed the administrator's initial one at first sign-in. */
export const PASSWORD = 'Tests-passw0rd';
/** The password the administrator gives a new account (it must be changed at the first sign-in). */
export const INITIAL_PASSWORD = 'Initial-passw0rd';

/** A user created by the admin, signed in once, its password changed to PASSWORD as the API demands. */
export async function addUser(
  stack: Stack,
  admin: ApiClient,
  user: { username: string; roles: string[]; unitId?: string | null; displayName?: string },
): Promise<{ id: string; api: ApiClient }> {
  const res = await admin.post('/v1/users', {
    username: user.username,
    password: INITIAL_PASSWORD,
    displayName: user.displayName ?? user.username,
    roles: user.roles,
    ...(user.unitId ? { unitId: user.unitId } : {}),
  });
  if (res.status !== 201) throw new Error(`user ${user.username}: ${res.status} ${JSON.stringify(res.body)}`);
  const first = await stack.api.login(user.username, INITIAL_PASSWORD);
  const changed = await first.post('/v1/auth/password', { currentPassword: INITIAL_PASSWORD, newPassword: PASSWORD });
  if (changed.status !== 204) throw new Error(`password of ${user.username}: ${JSON.stringify(changed.body)}`);
  // Once changed, the first token is good for everything (the API reads the flag from the user, not the token).
  return { id: res.body.id, api: first };
}

export async function seedCounty(stack: Stack): Promise<County> {
  const admin = await stack.api.login('admin', ADMIN_PASSWORD);
  const totals = await admin.put('/v1/establishment/totals', {
    year: 2026,
    totals: { ADMIN: 500, POLITICAL_LEGAL: 60, PUBLIC_INSTITUTION: 2000, SCHOOL_STAFF: 3000, CONTRACT: 50 },
    turnoverPool: { PUBLIC_INSTITUTION: 20 },
  });
  if (totals.status !== 200) throw new Error(`totals: ${JSON.stringify(totals.body)}`);
  const units: Record<string, string> = {};
  for (const [key, body] of Object.entries(UNITS)) {
    const res = await admin.post('/v1/units', body);
    if (res.status !== 201) throw new Error(`unit ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    units[key] = res.body.id;
  }
  const people: [string, string[], string | null][] = [
    ['clerk_housing', ['clerk'], units.housing],
    ['clerk_health', ['clerk'], units.health],
    ['clerk_poverty', ['clerk'], units.poverty],
    ['clerk_united', ['clerk'], units.united],
    ['clerk_police', ['clerk'], units.police],
    ['reviewer', ['reviewer'], null],
    ['reviewer2', ['reviewer'], null],
    ['consultee_finance', ['consultee'], units.finance],
    ['consultee_hr', ['consultee'], units.hr],
    ['member_health', ['committee_member'], units.health],
    ['member_org', ['committee_member'], units.org],
    ['member3', ['committee_member'], null],
    ['member4', ['committee_member'], null],
    ['member5', ['committee_member'], null],
    ['chair', ['committee_chair'], null],
    ['liaison', ['higher_liaison'], null],
    ['auditor', ['auditor'], null],
    ['director', ['office_director'], null],
    ['security_admin', ['security_admin'], null],
    ['audit_admin', ['audit_admin'], null],
  ];
  const users: County['users'] = {};
  for (const [username, roles, unitId] of people)
    users[username] = await addUser(stack, admin, { username, roles, unitId });
  return { admin, units, users };
}

export async function until<T>(
  what: string,
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
