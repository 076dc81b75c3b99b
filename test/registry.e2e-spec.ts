import { ApiClient } from './support/api-client';
import { County, PASSWORD, seedCounty } from './support/county';
import { createSubmitted, forwardAndApprove, implement, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The registry's change types on cases from seed 002, each checked in the registry afterwards, and the
// registry as it stood at any moment (asOf).

let stack: Stack;
let c: County;
const extra: Record<string, string> = {};
let clerkOf: Record<string, ApiClient>;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  const more = {
    sme: { name: '县中小企业服务中心', kind: 'PUBLIC_INSTITUTION', grade: 'DEPUTY_SECTION', funding: 'FULL', quotas: { PUBLIC_INSTITUTION: 8 }, occupied: { PUBLIC_INSTITUTION: 7 }, leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 1 }] },
    discipline: { name: '县纪委监委机关', kind: 'PARTY', grade: 'SECTION', quotas: { ADMIN: 30 }, occupied: { ADMIN: 27 }, sections: ['办公室', '组织部', '宣传部', '党风政风监督室', '信访室', '案件监督管理室', '第一监督检查室', '第二监督检查室', '第三监督检查室', '审查调查室', '案件审理室'] },
    union: { name: '县总工会', kind: 'MASS_ORG', grade: 'SECTION', quotas: { ADMIN: 6 }, occupied: { ADMIN: 5 }, leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 1 }] },
    women: { name: '县妇联', kind: 'MASS_ORG', grade: 'SECTION', quotas: { ADMIN: 4 }, occupied: { ADMIN: 3 }, leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 1 }] },
    youth: { name: '团县委', kind: 'MASS_ORG', grade: 'SECTION', quotas: { ADMIN: 4 }, occupied: { ADMIN: 2 }, leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 0 }] },
  } as Record<string, object>;
  for (let i = 1; i <= 7; i++) more[`pi${i}`] = { name: `县事业单位${i}`, kind: 'PUBLIC_INSTITUTION', grade: 'STOCK', funding: 'FULL', quotas: { PUBLIC_INSTITUTION: 10 }, occupied: { PUBLIC_INSTITUTION: 10 } };
  clerkOf = {};
  for (const [key, body] of Object.entries(more)) {
    extra[key] = (await c.admin.post('/v1/units', body)).body.id;
    await c.admin.post('/v1/users', { username: `clerk_${key}`, password: PASSWORD, displayName: key, roles: ['clerk'], unitId: extra[key] });
    c.users[`clerk_${key}`] = { id: '', api: await stack.api.login(`clerk_${key}`, PASSWORD) };
  }
});
afterAll(() => stack?.stop());

const unit = async (id: string, asOf?: string) => (await c.admin.get(`/v1/units/${id}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`)).body;

it('transfers 5 public-institution quota to the county CDC', async () => {
  const [health, cdc] = [await unit(c.units.health), await unit(c.units.cdc)];
  const done = await implement(c, 'clerk_health', { type: 'TRANSFER_QUOTA', unitId: c.units.health, payload: { lines: [{ fromUnitId: c.units.health, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 5 }] } });
  expect((await unit(c.units.health)).quotas.PUBLIC_INSTITUTION).toBe(health.quotas.PUBLIC_INSTITUTION - 5);
  const cdcAfter = await unit(c.units.cdc);
  expect(cdcAfter.quotas.PUBLIC_INSTITUTION).toBe(cdc.quotas.PUBLIC_INSTITUTION + 5);
  expect(cdcAfter).toMatchObject({ vacant: expect.objectContaining({ PUBLIC_INSTITUTION: 5 }), actualVacant: expect.objectContaining({ PUBLIC_INSTITUTION: 5 }) });
  expect(done.diff).toEqual(expect.arrayContaining([expect.objectContaining({ unitId: c.units.cdc, field: 'quotas.PUBLIC_INSTITUTION', before: 30, after: 35 })]));
});

it('sets up a 副科 fully funded institution under the United Front department with 4 quota and 1 post', async () => {
  const free = (await c.admin.get('/v1/establishment/summary')).body.categories.PUBLIC_INSTITUTION.free;
  await implement(c, 'clerk_united', {
    type: 'ESTABLISH_UNIT',
    unitId: c.units.united,
    payload: { name: '县统战服务中心', kind: 'PUBLIC_INSTITUTION', grade: 'DEPUTY_SECTION', parentId: c.units.united, funding: 'FULL', quotas: { PUBLIC_INSTITUTION: 4 }, leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 0, deputy: 1 }] },
  });
  const [created] = (await c.admin.get(`/v1/units?q=${encodeURIComponent('统战服务中心')}`)).body.items;
  expect(created).toMatchObject({ grade: 'DEPUTY_SECTION', funding: 'FULL', parentId: c.units.united, status: 'active', leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 0, deputy: 1 }] });
  expect(created.quotas.PUBLIC_INSTITUTION).toBe(4);
  expect((await c.admin.get('/v1/establishment/summary')).body.categories.PUBLIC_INSTITUTION.free).toBe(free - 4);
});

it('adds a name plate to the SME service centre, grades it 正科 with 1 principal and 2 deputy posts', async () => {
  await implement(c, 'clerk_sme', { type: 'ADD_NAME_PLATE', unitId: extra.sme, payload: { unitId: extra.sme, namePlate: '县电子商务服务中心' } });
  await implement(c, 'clerk_sme', { type: 'CHANGE_GRADE', unitId: extra.sme, payload: { unitId: extra.sme, grade: 'SECTION' } });
  await implement(c, 'clerk_sme', { type: 'ADJUST_LEADERSHIP', unitId: extra.sme, payload: { unitId: extra.sme, posts: [{ grade: 'SECTION', principal: 1, deputy: 2 }] } });
  expect(await unit(extra.sme)).toMatchObject({ namePlates: ['县电子商务服务中心'], grade: 'SECTION', leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }] });
});

it('lends 11 turnover-pool places to 7 institutions', async () => {
  const loans = [2, 2, 2, 2, 1, 1, 1].map((count, i) => ({ unitId: extra[`pi${i + 1}`], category: 'PUBLIC_INSTITUTION', count }));
  const dueDate = new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
  const done = await implement(c, 'clerk_pi1', { type: 'LEND_POOL_QUOTA', unitId: extra.pi1, payload: { loans, dueDate } });
  const summary = (await c.admin.get('/v1/establishment/summary')).body;
  expect(summary.turnoverPool.PUBLIC_INSTITUTION).toEqual({ size: 20, lent: 11, available: 9 });
  expect(summary.loans).toHaveLength(7);
  expect(summary.loans).toEqual(expect.arrayContaining([{ requestId: done.id, unitId: extra.pi1, category: 'PUBLIC_INSTITUTION', count: 2, dueDate }]));
  const pi1 = await unit(extra.pi1);
  expect(pi1.quotas.PUBLIC_INSTITUTION).toBe(10); // kept apart from approved quota
  expect(pi1.loaned.PUBLIC_INSTITUTION).toBe(2);
  // Asking for more than is left is refused at once.
  const tooMuch = await c.users.clerk_pi2.api.post('/v1/change-requests', { type: 'LEND_POOL_QUOTA', unitId: extra.pi2, title: 't', justification: 'j', payload: { loans: [{ unitId: extra.pi2, category: 'PUBLIC_INSTITUTION', count: 10 }], dueDate }, submit: true });
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.body.details[0]).toMatchObject({ rule: 'POOL_INSUFFICIENT', available: 9, requested: 10 });
});

it('cuts the discipline commission\'s sections from 11 to 9', async () => {
  await implement(c, 'clerk_discipline', { type: 'ADJUST_SECTIONS', unitId: extra.discipline, payload: { unitId: extra.discipline, add: ['监督检查室'], remove: ['第一监督检查室', '第二监督检查室', '第三监督检查室'] } });
  const sections = (await unit(extra.discipline)).sections;
  expect(sections).toHaveLength(9);
  expect(sections).toContain('监督检查室');
});

it('converts three mass organisations\' administrative quota to public-institution quota', async () => {
  const summaryBefore = (await c.admin.get('/v1/establishment/summary')).body.categories;
  for (const [key, count] of [['union', 4], ['women', 2], ['youth', 2]] as const) {
    await implement(c, `clerk_${key}`, { type: 'CONVERT_QUOTA', unitId: extra[key], payload: { unitId: extra[key], fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count } });
  }
  expect(await unit(extra.union)).toMatchObject({ quotas: expect.objectContaining({ ADMIN: 2, PUBLIC_INSTITUTION: 4 }), occupied: expect.objectContaining({ ADMIN: 2, PUBLIC_INSTITUTION: 3 }) });
  const after = (await c.admin.get('/v1/establishment/summary')).body.categories;
  expect(after.ADMIN.allocated).toBe(summaryBefore.ADMIN.allocated - 8);
  expect(after.PUBLIC_INSTITUTION.allocated).toBe(summaryBefore.PUBLIC_INSTITUTION.allocated + 8);
});

it('refuses a use-quota request for a full unit with QUOTA_FULL', async () => {
  const res = await c.users.clerk_pi3.api.post('/v1/change-requests', { type: 'USE_QUOTA', unitId: extra.pi3, title: '用编申请', justification: '招聘', payload: { unitId: extra.pi3, category: 'PUBLIC_INSTITUTION', count: 3 }, submit: true });
  // pi3 is full in approved quota but holds 2 loaned places: it may fill 2, not 3.
  expect(res.status).toBe(422);
  expect(res.body.details[0]).toMatchObject({ rule: 'QUOTA_FULL', unitId: extra.pi3, fillable: 2, requested: 3 });
  const full = await c.users.clerk_pi7.api.post('/v1/change-requests', { type: 'USE_QUOTA', unitId: extra.pi7, title: '用编申请', justification: '招聘', payload: { unitId: extra.pi7, category: 'SCHOOL_STAFF', count: 1 }, submit: true });
  expect(full.body.details[0]).toMatchObject({ rule: 'QUOTA_FULL', fillable: 0 });
  const ok = await implement(c, 'clerk_pi3', { type: 'USE_QUOTA', unitId: extra.pi3, payload: { unitId: extra.pi3, category: 'PUBLIC_INSTITUTION', count: 2 } });
  expect(ok.followUps.join()).toContain('编制使用通知');
  expect((await unit(extra.pi3)).pending.PUBLIC_INSTITUTION).toBe(2);
});

it('rejects at implementation, with the rule named and no number used, when the registry moved on', async () => {
  const vacant = (await unit(c.units.natres)).vacant.ADMIN; // 1
  const body = { type: 'TRANSFER_QUOTA', unitId: c.units.natres, payload: { lines: [{ fromUnitId: c.units.natres, toUnitId: c.units.finance, category: 'ADMIN', count: vacant }] } };
  await c.admin.post('/v1/users', { username: 'clerk_natres', password: PASSWORD, displayName: 'n', roles: ['clerk'], unitId: c.units.natres });
  c.users.clerk_natres = { id: '', api: await stack.api.login('clerk_natres', PASSWORD) };
  const first = await createSubmitted(c, 'clerk_natres', body);
  const second = await createSubmitted(c, 'clerk_natres', body); // valid too, at submission
  await forwardAndApprove(c, first);
  expect((await settled(c, first)).body.status).toBe('implemented');
  const counter = (await stack.db.query('SELECT max(number)::int AS n FROM implementations'))[0].n;
  await forwardAndApprove(c, second);
  const refused = await settled(c, second);
  expect(refused.body).toMatchObject({ status: 'rejected', documentNumber: null, rejection: { stage: 'implementing', rules: [expect.objectContaining({ rule: 'QUOTA_INSUFFICIENT', unitId: c.units.natres })] } });
  expect((await stack.db.query('SELECT max(number)::int AS n FROM implementations'))[0].n).toBe(counter);
  const audit = (await c.users.auditor.api.get(`/v1/change-requests/${second}/audit`)).body;
  expect(audit[audit.length - 1]).toMatchObject({ action: 'rejected_at_implementation', comment: 'QUOTA_INSUFFICIENT' });
});

it('answers units and the summary as they stood at a moment', async () => {
  const t0 = new Date().toISOString();
  const before = await unit(c.units.hr);
  await new Promise((r) => setTimeout(r, 20));
  await implement(c, 'clerk_housing', { type: 'TRANSFER_QUOTA', unitId: c.units.housing, payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.hr, category: 'ADMIN', count: 1 }] } });
  const t1 = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  const second = await implement(c, 'clerk_housing', { type: 'TRANSFER_QUOTA', unitId: c.units.housing, payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.hr, category: 'ADMIN', count: 1 }] } });
  expect(second.documentNumber).toBeTruthy();
  const now = await unit(c.units.hr);
  expect(now.quotas.ADMIN).toBe(before.quotas.ADMIN + 2);
  expect((await unit(c.units.hr, t0)).quotas.ADMIN).toBe(before.quotas.ADMIN);
  expect((await unit(c.units.hr, t1)).quotas.ADMIN).toBe(before.quotas.ADMIN + 1);
  const s0 = (await c.admin.get(`/v1/establishment/summary?asOf=${encodeURIComponent(t0)}`)).body;
  const s1 = (await c.admin.get(`/v1/establishment/summary?asOf=${encodeURIComponent(t1)}`)).body;
  expect(s0.asOf).toBe(t0);
  expect(s0.categories.ADMIN.total).toBe(s1.categories.ADMIN.total);
  expect(s0.categories.ADMIN.allocated).toBe(s1.categories.ADMIN.allocated); // a transfer moves quota, never creates it
  const beforeLoad = (await c.admin.get(`/v1/units/${c.units.hr}?asOf=2000-01-01T00:00:00Z`));
  expect(beforeLoad.status).toBe(404);
});
