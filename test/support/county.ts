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

export const PASSWORD = 'password-for-tests';

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
  ];
  const users: County['users'] = {};
  for (const [username, roles, unitId] of people) {
    const res = await admin.post('/v1/users', {
      username,
      password: PASSWORD,
      displayName: username,
      roles,
      ...(unitId ? { unitId } : {}),
    });
    if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    users[username] = { id: res.body.id, api: await stack.api.login(username, PASSWORD) };
  }
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
