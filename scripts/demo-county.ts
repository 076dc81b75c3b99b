import { randomBytes } from 'node:crypto';
// The demo county, 枫渚县: an invented name (no county of that name exists; 清河县, the earlier name, is a real
// county in 河北). Its units replay the cases of the seed reports and its numbers are as tight as the seeds
// describe (docs/domain.md): a few percent of each category free, units 90–100 % occupied, one unit over quota
// and the people's congress and CPPCC offices with more leadership posts than administrative quota (seed 001),
// which the summary shows for the office to correct. Loaded through the API on an empty database so that a
// newcomer can walk a request through at once. The other tests use their own county (test/support/county.ts);
// test/demo-county.e2e-spec.ts checks this one.

import { idNumberCheckCharacter } from '@bianzhi/domain';
import { requestJson } from './http';

type Category = 'ADMIN' | 'POLITICAL_LEGAL' | 'PUBLIC_INSTITUTION' | 'SCHOOL_STAFF' | 'CONTRACT';
type Counts = Partial<Record<Category, number>>;
export interface DemoUnit {
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

/** The demo county's short name (invented) and full name; the office's document prefix would be 枫. */
export const DEMO_SHORT_NAME = '枫渚';
export const DEMO_COUNTY = `${DEMO_SHORT_NAME}县`;
const C = DEMO_COUNTY;

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

// Fixed-use quota (专编专用, docs/domain.md "More rules"): bodies hold ADMIN (the police and justice bureaux
// POLITICAL_LEGAL), public institutions PUBLIC_INSTITUTION, SCHOOL_STAFF (schools) or CONTRACT; a body's 事业编制
// sits in an institution under it (the housing bureau's in 住房保障服务中心, a township's in its 综合服务中心).
// Parents come before the units under them. No post is graded above its unit.
export const DEMO_UNITS: DemoUnit[] = [
  // 党委机构
  {
    key: 'partyOffice',
    name: `中共${C}委办公室`,
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 18 },
    occupied: { ADMIN: 17 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'discipline',
    name: `中共${C}纪律检查委员会机关`,
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 30 },
    occupied: { ADMIN: 29 },
    posts: [['SECTION', 1, 4]],
    sections: SECTIONS_11,
  },
  {
    key: 'org',
    name: `中共${C}委组织部`,
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 20 },
    occupied: { ADMIN: 19 },
    posts: [['SECTION', 1, 3]],
  },
  {
    // The establishment office itself (编办), a working body of the county Party committee under the
    // organisation department: the reviewer, the office director and the committee's 编办主任 sit here.
    key: 'office',
    name: `中共${C}委机构编制委员会办公室`,
    kind: 'PARTY',
    grade: 'SECTION',
    parent: 'org',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 7 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'publicity',
    name: `中共${C}委宣传部`,
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 12 },
    occupied: { ADMIN: 12 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'united',
    name: `中共${C}委统战部`,
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'politicsLaw',
    name: `中共${C}委政法委员会`,
    kind: 'PARTY',
    grade: 'SECTION',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 8 },
    posts: [['SECTION', 1, 2]],
  },
  // 人大、政协: more leadership posts (主任、副主任、委室主任) than administrative quota, as seed 001's offices had
  // to correct; the rules flag only a change that makes such an old breach worse.
  {
    key: 'npc',
    name: `${C}人大常委会办公室`,
    kind: 'PEOPLES_CONGRESS',
    grade: 'SECTION',
    quotas: { ADMIN: 6 },
    occupied: { ADMIN: 6 },
    posts: [
      ['SECTION', 1, 3],
      ['DEPUTY_SECTION', 4, 0],
    ],
  },
  {
    key: 'cppcc',
    name: `政协${C}委员会办公室`,
    kind: 'CPPCC',
    grade: 'SECTION',
    quotas: { ADMIN: 5 },
    occupied: { ADMIN: 5 },
    posts: [
      ['SECTION', 1, 2],
      ['DEPUTY_SECTION', 4, 0],
    ],
  },
  // 政府机构
  {
    key: 'govOffice',
    name: `${C}人民政府办公室`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 16 },
    occupied: { ADMIN: 16 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'development',
    name: `${C}发展和改革局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 14 },
    occupied: { ADMIN: 13 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'finance',
    name: `${C}财政局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 20 },
    occupied: { ADMIN: 19 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'hr',
    name: `${C}人力资源和社会保障局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 14 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'housing',
    name: `${C}住房和城乡建设局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 12 },
    occupied: { ADMIN: 11 },
    posts: [['SECTION', 1, 3]],
  },
  {
    // The housing bureau's 事业编制, the giver of the CDC transfer (seed 002, 调剂5名事业编制): the one unit with
    // room to spare, which is why the office takes quota from it.
    key: 'housingCentre',
    name: `${C}住房保障服务中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'housing',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 16 },
    occupied: { PUBLIC_INSTITUTION: 11 },
    posts: [['STOCK', 1, 1]],
  },
  {
    key: 'natres',
    name: `${C}自然资源局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 14 },
    occupied: { ADMIN: 14 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'forestry',
    name: `${C}林业局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 8 },
    posts: [['SECTION', 1, 2]],
    sections: ['办公室', '资源管理股'],
  },
  {
    key: 'police',
    name: `${C}公安局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { POLITICAL_LEGAL: 120 },
    occupied: { POLITICAL_LEGAL: 118 },
    posts: [['SECTION', 1, 4]],
  },
  {
    key: 'justice',
    name: `${C}司法局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { POLITICAL_LEGAL: 25 },
    occupied: { POLITICAL_LEGAL: 24 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'health',
    name: `${C}卫生健康局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 14 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'cdc',
    name: `${C}疾病预防控制中心`,
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
    name: `${C}人民医院`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'health',
    funding: 'PARTIAL',
    quotas: { PUBLIC_INSTITUTION: 260, CONTRACT: 20 },
    occupied: { PUBLIC_INSTITUTION: 246, CONTRACT: 19 },
    pending: { PUBLIC_INSTITUTION: 6 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'education',
    name: `${C}教育局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 12 },
    occupied: { ADMIN: 12 },
    posts: [['SECTION', 1, 3]],
  },
  // The schools: school-staff quota is the largest block of institution quota, and still short (seed 004). The
  // 第四幼儿园 is not here: seed 002 sets it up (an ESTABLISH_UNIT for the education bureau's clerk).
  {
    key: 'school1',
    name: `${C}第一中学`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 180 },
    occupied: { SCHOOL_STAFF: 176 },
    pending: { SCHOOL_STAFF: 2 },
    posts: [['SECTION', 1, 3]],
  },
  {
    key: 'school2',
    name: `${C}第二中学`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 150 },
    occupied: { SCHOOL_STAFF: 147 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'vocational',
    name: `${C}职业中学`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 80 },
    occupied: { SCHOOL_STAFF: 77 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'primary1',
    name: `${C}实验小学`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 120 },
    occupied: { SCHOOL_STAFF: 118 },
    posts: [['DEPUTY_SECTION', 1, 2]],
  },
  {
    key: 'primary2',
    name: `${C}城关第一小学`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'education',
    funding: 'FULL',
    quotas: { SCHOOL_STAFF: 90 },
    occupied: { SCHOOL_STAFF: 89 },
    posts: [['STOCK', 1, 2]],
  },
  {
    key: 'culture',
    name: `${C}文化和旅游广电局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 9 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'library',
    name: `${C}图书馆`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'culture',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 8 },
    occupied: { PUBLIC_INSTITUTION: 7 },
  },
  {
    key: 'poverty',
    name: `${C}扶贫开发局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 8 },
    occupied: { ADMIN: 7 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'sme',
    name: `${C}中小企业服务中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 8 },
    occupied: { PUBLIC_INSTITUTION: 7 },
    posts: [['DEPUTY_SECTION', 1, 1]],
  },
  {
    key: 'media',
    name: `${C}融媒体中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'SECTION',
    parent: 'publicity',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 40, CONTRACT: 6 },
    occupied: { PUBLIC_INSTITUTION: 39, CONTRACT: 6 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'veteransBureau',
    name: `${C}退役军人事务局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 6 },
    occupied: { ADMIN: 6 },
    posts: [['SECTION', 1, 2]],
  },
  {
    key: 'veterans',
    name: `${C}退役军人服务中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    parent: 'veteransBureau',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 6 },
    occupied: { PUBLIC_INSTITUTION: 6 },
    posts: [['DEPUTY_SECTION', 1, 1]],
  },
  {
    key: 'assets',
    name: `${C}公产服务中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'finance',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 5 },
    occupied: { PUBLIC_INSTITUTION: 5 },
  },
  {
    key: 'emergency',
    name: `${C}应急管理局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 10 },
    occupied: { ADMIN: 10 },
    posts: [['SECTION', 1, 2]],
  },
  {
    // Over quota by 2 (历史遗留超编, seed 000): the market regulator absorbed three bureaux' staff in 2019.
    key: 'market',
    name: `${C}市场监督管理局`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 28 },
    occupied: { ADMIN: 30 },
    posts: [['SECTION', 1, 3]],
  },
  // 群团机关 on administrative quota (seed 002 converts it to 事业编制)
  {
    key: 'union',
    name: `${C}总工会`,
    kind: 'MASS_ORG',
    grade: 'SECTION',
    quotas: { ADMIN: 6 },
    occupied: { ADMIN: 5 },
    posts: [['SECTION', 1, 1]],
  },
  {
    key: 'women',
    name: `${C}妇女联合会`,
    kind: 'MASS_ORG',
    grade: 'SECTION',
    quotas: { ADMIN: 4 },
    occupied: { ADMIN: 4 },
    posts: [['SECTION', 1, 1]],
  },
  {
    key: 'youth',
    name: `共青团${C}委员会`,
    kind: 'MASS_ORG',
    grade: 'SECTION',
    quotas: { ADMIN: 4 },
    occupied: { ADMIN: 4 },
    posts: [['SECTION', 1, 1]],
  },
  // 乡镇: 党政班子 of 2 principals and 8–10 deputies; their 事业编制 in the township's service centre.
  {
    key: 'chengguan',
    name: `${C}城关镇`,
    kind: 'TOWNSHIP',
    grade: 'SECTION',
    quotas: { ADMIN: 35 },
    occupied: { ADMIN: 34 },
    posts: [['SECTION', 2, 10]],
  },
  {
    key: 'chengguanCentre',
    name: `${C}城关镇综合服务中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'chengguan',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 30 },
    occupied: { PUBLIC_INSTITUTION: 29 },
    posts: [['STOCK', 1, 2]],
  },
  {
    key: 'shuanghe',
    name: `${C}双河镇`,
    kind: 'TOWNSHIP',
    grade: 'SECTION',
    quotas: { ADMIN: 28 },
    occupied: { ADMIN: 27 },
    posts: [['SECTION', 2, 9]],
  },
  {
    key: 'shuangheCentre',
    name: `${C}双河镇综合服务中心`,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parent: 'shuanghe',
    funding: 'FULL',
    quotas: { PUBLIC_INSTITUTION: 24 },
    occupied: { PUBLIC_INSTITUTION: 23 },
    posts: [['STOCK', 1, 1]],
  },
  {
    key: 'qingshi',
    name: `${C}青石乡`,
    kind: 'TOWNSHIP',
    grade: 'SECTION',
    quotas: { ADMIN: 22 },
    occupied: { ADMIN: 21 },
    posts: [['SECTION', 2, 8]],
  },
  {
    key: 'devzone',
    name: `${DEMO_SHORT_NAME}经济技术开发区管理委员会`,
    kind: 'DISPATCHED',
    grade: 'DEPUTY_COUNTY',
    quotas: { ADMIN: 15 },
    occupied: { ADMIN: 14 },
    posts: [['DEPUTY_COUNTY', 2, 3]],
  },
];

/**
 * The county's free quota (机动编制) per category: the totals the city hands down are what the units hold plus
 * this small reserve, 2–5 % (seeds 000 and 004: 编制紧缺). SCHOOL_STAFF keeps room for seed 002's kindergarten,
 * ADMIN for the forestry bureau's 2 and PUBLIC_INSTITUTION for the 公产服务中心's 3.
 */
export const DEMO_FREE: Record<Category, number> = {
  ADMIN: 14,
  POLITICAL_LEGAL: 5,
  PUBLIC_INSTITUTION: 13,
  SCHOOL_STAFF: 25,
  CONTRACT: 1,
};

/** The turnover pool (周转池): teachers' places (seed 000, 004) and institutions' (seed 002); no ADMIN pool. */
export const DEMO_POOL: Counts = { SCHOOL_STAFF: 10, PUBLIC_INSTITUTION: 11 };

/**
 * Whether the totals carry `bodyLimit` (机构限额: active PARTY + GOVERNMENT units + 1). The API refuses unknown
 * fields (VALIDATION_OPTIONS, forbidNonWhitelisted), so it stays off until `PUT /v1/establishment/totals` takes
 * `bodyLimit` (issue 13); then set it to true.
 */
export const SEND_BODY_LIMIT = true;

/** The totals the loader records: held + DEMO_FREE per category, and the body limit. */
export function demoTotals(): { totals: Record<Category, number>; bodyLimit: number } {
  const totals = { ...DEMO_FREE };
  for (const u of DEMO_UNITS) for (const [c, n] of Object.entries(u.quotas) as [Category, number][]) totals[c] += n;
  const bodies = DEMO_UNITS.filter((u) => u.kind === 'PARTY' || u.kind === 'GOVERNMENT').length;
  return { totals, bodyLimit: bodies + 1 };
}

/** The demo users' password; it follows the password policy (docs/api.md, "Sign-in and accounts"). */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Bianzhi-demo-1';

// The reviewer, the office director and the committee's 编办主任 belong to the establishment office (they are
// never clerks or consultees); a committee member recuses on requests of, or altering, its own unit, and no
// member sits in a unit the demo walks touch (the housing, health, education, poverty and media requests).
const DEMO_USERS: [string, string, string[], string | null][] = [
  ['clerk_housing', '住建局经办人', ['clerk'], 'housing'],
  ['clerk_health', '卫健局经办人', ['clerk'], 'health'],
  ['clerk_united', '统战部经办人', ['clerk'], 'united'],
  ['clerk_sme', '中小企业服务中心经办人', ['clerk'], 'sme'],
  ['clerk_police', '公安局经办人', ['clerk'], 'police'],
  ['clerk_poverty', '扶贫开发局经办人', ['clerk'], 'poverty'],
  ['clerk_education', '教育局经办人', ['clerk'], 'education'],
  ['clerk_media', '融媒体中心经办人', ['clerk'], 'media'],
  ['reviewer', '编办审核人', ['reviewer'], 'office'],
  ['consultee_finance', '财政局（征求意见）', ['consultee'], 'finance'],
  ['consultee_hr', '人社局（征求意见）', ['consultee'], 'hr'],
  ['consultee_org', '组织部（征求意见）', ['consultee'], 'org'],
  ['chair', '编委会主任', ['committee_chair', 'committee_member'], null],
  ['member_org', '编委会成员（组织部部长）', ['committee_member'], 'org'],
  ['member_finance', '编委会成员（财政局局长）', ['committee_member'], 'finance'],
  ['member_hr', '编委会成员（人社局局长）', ['committee_member'], 'hr'],
  ['member_gov', '编委会成员（政府办主任）', ['committee_member'], 'govOffice'],
  ['member_office', '编委会成员（编办主任）', ['committee_member'], 'office'],
  ['liaison', '上级编办对接人', ['higher_liaison'], null],
  ['auditor', '审计巡察', ['auditor'], null],
  ['director', '编办主任', ['office_director'], 'office'],
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

/**
 * The units whose people are on record by name in the demo (实名制): the establishment office and the housing and
 * health bureaux with the units under them. The county's other units keep their counts as 未实名, as an office's do
 * until it has imported all its people (docs/domain.md, "People on the establishment").
 */
export const DEMO_NAMED_UNITS = ['office', 'housing', 'health'];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力波宁晶晨欣怡宇航浩然雪梅海燕志国';

/** The demo's people, one for each place occupied in the named units: invented names and valid ID numbers. */
export function demoPeople(
  ids: Record<string, string>,
): { name: string; idNumber: string; unitId: string; category: Category }[] {
  const named = DEMO_UNITS.filter((u) => DEMO_NAMED_UNITS.includes(u.key) || DEMO_NAMED_UNITS.includes(u.parent ?? ''));
  const out: { name: string; idNumber: string; unitId: string; category: Category }[] = [];
  let n = 0;
  for (const u of named)
    for (const [category, count] of Object.entries(u.occupied) as [Category, number][])
      for (let i = 0; i < count; i++, n++) {
        const name =
          SURNAMES[(n * 7) % SURNAMES.length] +
          GIVEN[(n * 13) % GIVEN.length] +
          (n % 3 ? GIVEN[(n * 5 + 3) % GIVEN.length] : '');
        // Region 330199 (no real county), born 1966–2001, the order from n: distinct and valid (GB 11643).
        const born = new Date(Date.UTC(1966, 0, 1) + ((n * 3571) % 12_800) * 86_400_000);
        const first17 = `330199${born.toISOString().slice(0, 10).replace(/-/g, '')}${String(n % 1000).padStart(3, '0')}`;
        out.push({ name, idNumber: first17 + idNumberCheckCharacter(first17), unitId: ids[u.key], category });
      }
  return out;
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
  // Totals before units: a unit loaded by the admin takes only free quota (TOTAL_EXCEEDED).
  const { totals, bodyLimit } = demoTotals();
  await call(base, accessToken, 'PUT', '/v1/establishment/totals', {
    year,
    totals,
    turnoverPool: DEMO_POOL,
    ...(SEND_BODY_LIMIT ? { bodyLimit } : {}),
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
  await call(base, accessToken, 'POST', '/v1/people/import', { people: demoPeople(ids) });
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
