import { randomBytes } from 'node:crypto';
// The demo county, 清河县 (fictional), built from the cases the seed reports name, loaded through the API on an
// empty database so that a newcomer can walk a request through at once. Tests use their own data.

import { requestJson } from './http';

type Counts = Partial<Record<'ADMIN' | 'POLITICAL_LEGAL' | 'PUBLIC_INSTITUTION' | 'SCHOOL_STAFF' | 'CONTRACT', number>>;
interface DemoUnit {
  key: string;
  name: string;
  kind: string;
  grade: string;
  parent?: string;
  funding?: string;
  quotas: Counts;
  occupied: Counts;
  pending?: Counts;
  posts?: [string, number, number][];
  sections?: string[];
  namePlates?: string[];
}

const SECTIONS_11 = [
  '办公室',
  '组织部',
  '宣传部',
  '党风政风监督室',
  '信访室',
  '案件监督管理室',
  '第一监督检查室',
  '第二监督检查室',
  '第三监督检查室',
  '审查调查室',
  '案件审理室',
];

export const DEMO_UNITS: DemoUnit[] = [
  {
    key: 'partyOffice',
    name: '中共清河县委办公室',
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 18 },
    occupied: { ADMIN: 16 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'discipline',
    name: '中共清河县纪律检查委员会机关',
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 30 },
    occupied: { ADMIN: 27 },
    posts: [['SECTION', 1, 4]],
    sections: SECTIONS_11,
  },
  {
    key: 'org',
    name: '中共清河县委组织部',
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 20 },
    occupied: { ADMIN: 18 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'publicity',
    name: '中共清河县委宣传部',
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 12 },
    occupied: { ADMIN: 11 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'united',
    name: '中共清河县委统战部',
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'npc',
    name: '清河县人大常委会办公室',
    kind: 'PEOPLES_CONGRESS',
    grade: 'SECTION',
    quotas: { ADMIN: 12 },
    occupied: { ADMIN: 11 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'cppcc',
    name: '政协清河县委员会办公室',
    kind: 'CPPCC',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'govOffice',
    name: '清河县人民政府办公室',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 16 },
    occupied: { ADMIN: 15 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'finance',
    name: '清河县财政局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 20 },
    occupied: { ADMIN: 18 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'hr',
    name: '清河县人力资源和社会保障局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 14 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'housing',
    name: '清河县住房和城乡建设局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 12, PUBLIC_INSTITUTION: 16 },
    occupied: { ADMIN: 11, PUBLIC_INSTITUTION: 9 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'natres',
    name: '清河县自然资源局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 14 },
    occupied: { ADMIN: 13 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'forestry',
    name: '清河县林业局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 8 },
    posts: [['SECTION', 1, 2]],
    sections: ['办公室', '资源管理股'],
  },
  {
    key: 'police',
    name: '清河县公安局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { POLITICAL_LEGAL: 120 },
    occupied: { POLITICAL_LEGAL: 115 },
    posts: [['SECTION', 1, 4]],
  },
  {
    key: 'justice',
    name: '清河县司法局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { POLITICAL_LEGAL: 25 },
    occupied: { POLITICAL_LEGAL: 23 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'health',
    name: '清河县卫生健康局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 14 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'cdc',
    name: '清河县疾病预防控制中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    parent: 'health',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 30 },
    occupied: { PUBLIC_INSTITUTION: 30 },
    posts: [['DEPUTY_SECTION', 1, 2]],
  },
  {
    key: 'hospital',
    name: '清河县人民医院',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'health',
    funding: 'PARTIAL',
    quotas: { PUBLIC_INSTITUTION: 260 },
    occupied: { PUBLIC_INSTITUTION: 241 },
    pending: { PUBLIC_INSTITUTION: 6 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'education',
    name: '清河县教育局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 12 },
    occupied: { ADMIN: 12 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'school1',
    name: '清河县第一中学',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 180 },
    occupied: { SCHOOL_STAFF: 172 },
    pending: { SCHOOL_STAFF: 4 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'kinder4',
    name: '清河县第四幼儿园',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 24 },
    occupied: { SCHOOL_STAFF: 15 },
    posts: [['STOCK', 1, 1]],
  },
  {
    key: 'culture',
    name: '清河县文化和旅游广电局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'library',
    name: '清河县图书馆',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'culture',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 8 },
    occupied: { PUBLIC_INSTITUTION: 6 },
  },
  {
    key: 'poverty',
    name: '清河县扶贫开发局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 7 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'sme',
    name: '清河县中小企业服务中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 8 },
    occupied: { PUBLIC_INSTITUTION: 7 },
    posts: [['DEPUTY_SECTION', 1, 1]],
  },
  {
    key: 'media',
    name: '清河县融媒体中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'publicity',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 40 },
    occupied: { PUBLIC_INSTITUTION: 38 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'veterans',
    name: '清河县退役军人服务中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 6 },
    occupied: { PUBLIC_INSTITUTION: 5 },
    posts: [['DEPUTY_SECTION', 1, 1]],
  },
  {
    key: 'assets',
    name: '清河县公产服务中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'finance',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 5 },
    occupied: { PUBLIC_INSTITUTION: 5 },
  },
  {
    key: 'emergency',
    name: '清河县应急管理局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'union',
    name: '清河县总工会',
    kind: 'MASS_ORG',
    grade: 'SECTION',
    quotas: { ADMIN: 6 },
    occupied: { ADMIN: 5 },
    posts: [['SECTION', 1, 1]],
  },
  {
    key: 'women',
    name: '清河县妇女联合会',
    kind: 'MASS_ORG',
    grade: 'SECTION',
    quotas: { ADMIN: 4 },
    occupied: { ADMIN: 4 },
    posts: [['SECTION', 1, 1]],
  },
  {
    key: 'youth',
    name: '共青团清河县委员会',
    kind: 'MASS_ORG',
    grade: 'SECTION',
    quotas: { ADMIN: 4 },
    occupied: { ADMIN: 3 },
    posts: [['SECTION', 1, 1]],
  },
  {
    key: 'chengguan',
    name: '清河县城关镇',
    kind: 'TOWNSHIP',
    grade: 'SECTION',
    quotas: { ADMIN: 35, PUBLIC_INSTITUTION: 30 },
    occupied: { ADMIN: 33, PUBLIC_INSTITUTION: 27 },
    posts: [['SECTION', 2, 6]],
  },
  {
    key: 'jianchi',
    name: '清河县涧池镇',
    kind: 'TOWNSHIP',
    grade: 'SECTION',
    quotas: { ADMIN: 28, PUBLIC_INSTITUTION: 24 },
    occupied: { ADMIN: 27, PUBLIC_INSTITUTION: 22 },
    posts: [['SECTION', 2, 5]],
  },
  {
    key: 'devzone',
    name: '清河经济技术开发区管理委员会',
    kind: 'DISPATCHED',
    grade: 'DEPUTY_COUNTY',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 12 },
    posts: [['DEPUTY_COUNTY', 2, 3]],
  },
];

/** The demo users' password; it follows the password policy (docs/api.md, "Sign-in and accounts"). */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Bianzhi-demo-1';

const DEMO_USERS: [string, string, string[], string | null][] = [
  ['clerk_housing', '住建局经办人', ['clerk'], 'housing'],
  ['clerk_health', '卫健局经办人', ['clerk'], 'health'],
  ['clerk_united', '统战部经办人', ['clerk'], 'united'],
  ['clerk_sme', '中小企业服务中心经办人', ['clerk'], 'sme'],
  ['clerk_police', '公安局经办人', ['clerk'], 'police'],
  ['reviewer', '编办审核人', ['reviewer'], null],
  ['consultee_finance', '财政局（征求意见）', ['consultee'], 'finance'],
  ['consultee_hr', '人社局（征求意见）', ['consultee'], 'hr'],
  ['consultee_org', '组织部（征求意见）', ['consultee'], 'org'],
  ['chair', '编委会主任', ['committee_chair', 'committee_member'], null],
  ['member_org', '编委会成员（组织部部长）', ['committee_member'], 'org'],
  ['member_finance', '编委会成员（财政局局长）', ['committee_member'], 'finance'],
  ['member_hr', '编委会成员（人社局局长）', ['committee_member'], 'hr'],
  ['member_gov', '编委会成员（政府办主任）', ['committee_member'], 'govOffice'],
  ['member_office', '编委会成员（编办主任）', ['committee_member'], null],
  ['liaison', '上级编办对接人', ['higher_liaison'], null],
  ['auditor', '审计巡察', ['auditor'], null],
  ['director', '编办主任', ['office_director'], null],
  ['security_admin', '安全管理员', ['security_admin'], null],
  ['audit_admin', '安全审计员', ['audit_admin'], null],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(base: string, token: string | null, method: string, path: string, body?: unknown): Promise<any> {
  const res = await requestJson(base, token, method, path, body);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A sign-in that waits out the per-address sign-in limit (20 a minute by default) when the loader reaches it. */
async function signIn(base: string, username: string, password: string): Promise<{ accessToken: string }> {
  for (;;) {
    const res = await requestJson(base, null, 'POST', '/v1/auth/login', { username, password });
    if (res.status !== 429) {
      if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { accessToken: string };
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

/** Loads the demo county when the registry is empty; returns the demo users (empty when nothing was loaded). */
export async function loadDemoCounty(
  base: string,
  adminPassword: string,
): Promise<{ username: string; password: string; roles: string[] }[]> {
  const { accessToken } = await call(base, null, 'POST', '/v1/auth/login', {
    username: 'admin',
    password: adminPassword,
  });
  const existing = await call(base, accessToken, 'GET', '/v1/units?pageSize=1');
  if (existing.total > 0)
    return DEMO_USERS.map(([username, , roles]) => ({ username, password: DEMO_PASSWORD, roles }));
  const year = new Date().getFullYear();
  await call(base, accessToken, 'PUT', '/v1/establishment/totals', {
    year,
    totals: { ADMIN: 420, POLITICAL_LEGAL: 160, PUBLIC_INSTITUTION: 720, SCHOOL_STAFF: 260, CONTRACT: 20 },
    turnoverPool: { PUBLIC_INSTITUTION: 20, ADMIN: 10 },
  });
  const ids: Record<string, string> = {};
  for (const u of DEMO_UNITS) {
    const unit = await call(base, accessToken, 'POST', '/v1/units', {
      name: u.name,
      kind: u.kind,
      grade: u.grade,
      ...(u.parent ? { parentId: ids[u.parent] } : {}),
      ...(u.funding ? { funding: u.funding } : {}),
      quotas: u.quotas,
      occupied: u.occupied,
      ...(u.pending ? { pending: u.pending } : {}),
      leadershipPosts: (u.posts ?? []).map(([grade, principal, deputy]) => ({ grade, principal, deputy })),
      sections: u.sections ?? [],
      namePlates: u.namePlates ?? [],
    });
    ids[u.key] = unit.id;
  }
  // A password the admin sets must be changed at the first sign-in: each demo user is created with a one-off
  // password and then, as its user would, changes it to the demo password through the API.
  for (const [username, displayName, roles, unit] of DEMO_USERS) {
    const initial = `Init-${randomBytes(12).toString('base64url')}`;
    await call(base, accessToken, 'POST', '/v1/users', {
      username,
      password: initial,
      displayName,
      roles,
      ...(unit ? { unitId: ids[unit] } : {}),
    });
    const first = await signIn(base, username, initial);
    await call(base, first.accessToken, 'POST', '/v1/auth/password', {
      currentPassword: initial,
      newPassword: DEMO_PASSWORD,
    });
  }
  return DEMO_USERS.map(([username, , roles]) => ({ username, password: DEMO_PASSWORD, roles }));
}
