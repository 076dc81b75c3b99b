import { createHash } from 'node:crypto';
import { canonicalJson } from '@bianzhi/audit';
import { IdempotencyRepository } from '@bianzhi/persistence';
import { addUser, County, seedCounty, until } from './support/county';
import { createSubmitted, forwardAndApprove, implement, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The registry's change types on cases from seed 002, each checked in the registry afterwards, and the
// registry as it stood at any moment (asOf).

let stack: Stack;
let c: County;
const extra: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  const more = {
    sme: {
      name: '县中小企业服务中心',
      kind: 'PUBLIC_INSTITUTION',
      grade: 'DEPUTY_SECTION',
      funding: 'FULL',
      quotas: { PUBLIC_INSTITUTION: 8 },
      occupied: { PUBLIC_INSTITUTION: 7 },
      leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 1 }],
    },
    discipline: {
      name: '县纪委监委机关',
      kind: 'PARTY',
      grade: 'SECTION',
      quotas: { ADMIN: 30 },
      occupied: { ADMIN: 27 },
      sections: [
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
      ],
    },
    union: {
      name: '县总工会',
      kind: 'MASS_ORG',
      grade: 'SECTION',
      quotas: { ADMIN: 6 },
      occupied: { ADMIN: 5 },
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 1 }],
    },
    women: {
      name: '县妇联',
      kind: 'MASS_ORG',
      grade: 'SECTION',
      quotas: { ADMIN: 4 },
      occupied: { ADMIN: 3 },
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 1 }],
    },
    youth: {
      name: '团县委',
      kind: 'MASS_ORG',
      grade: 'SECTION',
      quotas: { ADMIN: 4 },
      occupied: { ADMIN: 2 },
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 0 }],
    },
  } as Record<string, object>;
  for (let i = 1; i <= 7; i++)
    more[`pi${i}`] = {
      name: `县事业单位${i}`,
      kind: 'PUBLIC_INSTITUTION',
      grade: 'STOCK',
      funding: 'FULL',
      quotas: { PUBLIC_INSTITUTION: 10 },
      occupied: { PUBLIC_INSTITUTION: 10 },
    };
  for (const [key, body] of Object.entries(more)) {
    extra[key] = (await c.admin.post('/v1/units', body)).body.id;
    c.users[`clerk_${key}`] = await addUser(stack, c.admin, {
      username: `clerk_${key}`,
      displayName: key,
      roles: ['clerk'],
      unitId: extra[key],
    });
  }
});
afterAll(() => stack?.stop());

const unit = async (id: string, asOf?: string) =>
  (await c.admin.get(`/v1/units/${id}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`)).body;

it('transfers 5 public-institution quota to the county CDC', async () => {
  const [health, cdc] = [await unit(c.units.health), await unit(c.units.cdc)];
  const done = await implement(c, 'clerk_health', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.health,
    payload: {
      lines: [{ fromUnitId: c.units.health, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 5 }],
    },
  });
  expect((await unit(c.units.health)).quotas.PUBLIC_INSTITUTION).toBe(health.quotas.PUBLIC_INSTITUTION - 5);
  const cdcAfter = await unit(c.units.cdc);
  expect(cdcAfter.quotas.PUBLIC_INSTITUTION).toBe(cdc.quotas.PUBLIC_INSTITUTION + 5);
  expect(cdcAfter).toMatchObject({
    vacant: expect.objectContaining({ PUBLIC_INSTITUTION: 5 }),
    actualVacant: expect.objectContaining({ PUBLIC_INSTITUTION: 5 }),
  });
  expect(done.diff).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ unitId: c.units.cdc, field: 'quotas.PUBLIC_INSTITUTION', before: 30, after: 35 }),
    ]),
  );
});

it('sets up a 副科 fully funded institution under the United Front department with 4 quota and 1 post', async () => {
  const free = (await c.admin.get('/v1/establishment/summary')).body.categories.PUBLIC_INSTITUTION.free;
  await implement(c, 'clerk_united', {
    type: 'ESTABLISH_UNIT',
    unitId: c.units.united,
    payload: {
      name: '县统战服务中心',
      kind: 'PUBLIC_INSTITUTION',
      grade: 'DEPUTY_SECTION',
      parentId: c.units.united,
      funding: 'FULL',
      quotas: { PUBLIC_INSTITUTION: 4 },
      leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 0, deputy: 1 }],
    },
  });
  const [created] = (await c.admin.get(`/v1/units?q=${encodeURIComponent('统战服务中心')}`)).body.items;
  expect(created).toMatchObject({
    grade: 'DEPUTY_SECTION',
    funding: 'FULL',
    parentId: c.units.united,
    status: 'active',
    leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 0, deputy: 1 }],
  });
  expect(created.quotas.PUBLIC_INSTITUTION).toBe(4);
  expect((await c.admin.get('/v1/establishment/summary')).body.categories.PUBLIC_INSTITUTION.free).toBe(free - 4);
});

it('adds a name plate to the SME service centre, grades it 正科 with 1 principal and 2 deputy posts', async () => {
  await implement(c, 'clerk_sme', {
    type: 'ADD_NAME_PLATE',
    unitId: extra.sme,
    payload: { unitId: extra.sme, namePlate: '县电子商务服务中心' },
  });
  await implement(c, 'clerk_sme', {
    type: 'CHANGE_GRADE',
    unitId: extra.sme,
    payload: { unitId: extra.sme, grade: 'SECTION' },
  });
  await implement(c, 'clerk_sme', {
    type: 'ADJUST_LEADERSHIP',
    unitId: extra.sme,
    payload: { unitId: extra.sme, posts: [{ grade: 'SECTION', principal: 1, deputy: 2 }] },
  });
  expect(await unit(extra.sme)).toMatchObject({
    namePlates: ['县电子商务服务中心'],
    grade: 'SECTION',
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
  });
});

it('lends 11 turnover-pool places to 7 institutions', async () => {
  const loans = [2, 2, 2, 2, 1, 1, 1].map((count, i) => ({
    unitId: extra[`pi${i + 1}`],
    category: 'PUBLIC_INSTITUTION',
    count,
  }));
  const dueDate = new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
  const done = await implement(c, 'clerk_pi1', {
    type: 'LEND_POOL_QUOTA',
    unitId: extra.pi1,
    payload: { loans, dueDate },
  });
  const summary = (await c.admin.get('/v1/establishment/summary')).body;
  expect(summary.turnoverPool.PUBLIC_INSTITUTION).toEqual({ size: 20, lent: 11, available: 9 });
  expect(summary.loans).toHaveLength(7);
  expect(summary.loans).toEqual(
    expect.arrayContaining([
      { requestId: done.id, unitId: extra.pi1, category: 'PUBLIC_INSTITUTION', count: 2, dueDate },
    ]),
  );
  const pi1 = await unit(extra.pi1);
  expect(pi1.quotas.PUBLIC_INSTITUTION).toBe(10); // kept apart from approved quota
  expect(pi1.loaned.PUBLIC_INSTITUTION).toBe(2);
  // Asking for more than is left is refused at once.
  const tooMuch = await c.users.clerk_pi2.api.post('/v1/change-requests', {
    type: 'LEND_POOL_QUOTA',
    unitId: extra.pi2,
    title: 't',
    justification: 'j',
    payload: { loans: [{ unitId: extra.pi2, category: 'PUBLIC_INSTITUTION', count: 10 }], dueDate },
    submit: true,
  });
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.body.details[0]).toMatchObject({ rule: 'POOL_INSUFFICIENT', available: 9, requested: 10 });
});

it("cuts the discipline commission's sections from 11 to 9, after the higher authority's approval", async () => {
  const id = await createSubmitted(c, 'clerk_discipline', {
    type: 'ADJUST_SECTIONS',
    unitId: extra.discipline,
    payload: {
      unitId: extra.discipline,
      add: ['监督检查室'],
      remove: ['第一监督检查室', '第二监督检查室', '第三监督检查室'],
    },
  });
  await forwardAndApprove(c, id);
  // A party body's internal sections go up (报批; seed 002's case went to the city office).
  const waiting = await settled(c, id);
  expect(waiting.body).toMatchObject({
    status: 'awaiting_higher_approval',
    higherApprovalReasons: ['changes the internal sections of a 党政群机关 (party, government or mass body)'],
  });
  expect((await unit(extra.discipline)).sections).toHaveLength(11);
  const decided = await c.users.liaison.api.post(`/v1/change-requests/${id}/higher-decision`, {
    approved: true,
    documentNumber: '市编〔2026〕9号',
    comment: '同意',
  });
  expect(decided.status).toBe(200);
  await until(
    'implemented',
    () => c.users.auditor.api.get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'implemented',
  );
  const sections = (await unit(extra.discipline)).sections;
  expect(sections).toHaveLength(9);
  expect(sections).toContain('监督检查室');
});

it("converts three mass organisations' administrative quota to public-institution quota", async () => {
  const summaryBefore = (await c.admin.get('/v1/establishment/summary')).body.categories;
  for (const [key, count] of [
    ['union', 4],
    ['women', 2],
    ['youth', 2],
  ] as const) {
    await implement(c, `clerk_${key}`, {
      type: 'CONVERT_QUOTA',
      unitId: extra[key],
      payload: { unitId: extra[key], fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count },
    });
  }
  expect(await unit(extra.union)).toMatchObject({
    quotas: expect.objectContaining({ ADMIN: 2, PUBLIC_INSTITUTION: 4 }),
    occupied: expect.objectContaining({ ADMIN: 2, PUBLIC_INSTITUTION: 3 }),
  });
  const after = (await c.admin.get('/v1/establishment/summary')).body.categories;
  expect(after.ADMIN.allocated).toBe(summaryBefore.ADMIN.allocated - 8);
  expect(after.PUBLIC_INSTITUTION.allocated).toBe(summaryBefore.PUBLIC_INSTITUTION.allocated + 8);
});

it('refuses a use-quota request for a full unit with QUOTA_FULL', async () => {
  const res = await c.users.clerk_pi3.api.post('/v1/change-requests', {
    type: 'USE_QUOTA',
    unitId: extra.pi3,
    title: '用编申请',
    justification: '招聘',
    payload: { unitId: extra.pi3, category: 'PUBLIC_INSTITUTION', count: 3 },
    submit: true,
  });
  // pi3 is full in approved quota but holds 2 loaned places: it may fill 2, not 3.
  expect(res.status).toBe(422);
  expect(res.body.details[0]).toMatchObject({ rule: 'QUOTA_FULL', unitId: extra.pi3, fillable: 2, requested: 3 });
  const full = await c.users.clerk_pi7.api.post('/v1/change-requests', {
    type: 'USE_QUOTA',
    unitId: extra.pi7,
    title: '用编申请',
    justification: '招聘',
    payload: { unitId: extra.pi7, category: 'SCHOOL_STAFF', count: 1 },
    submit: true,
  });
  expect(full.body.details[0]).toMatchObject({ rule: 'QUOTA_FULL', fillable: 0 });
  const ok = await implement(c, 'clerk_pi3', {
    type: 'USE_QUOTA',
    unitId: extra.pi3,
    payload: { unitId: extra.pi3, category: 'PUBLIC_INSTITUTION', count: 2 },
  });
  expect(ok.followUps.join()).toContain('编制使用通知');
  expect((await unit(extra.pi3)).pending.PUBLIC_INSTITUTION).toBe(2);
});

it('rejects at implementation, with the rule named and no number used, when the registry moved on', async () => {
  const vacant = (await unit(c.units.natres)).vacant.ADMIN; // 1
  const body = {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.natres,
    payload: { lines: [{ fromUnitId: c.units.natres, toUnitId: c.units.finance, category: 'ADMIN', count: vacant }] },
  };
  c.users.clerk_natres = await addUser(stack, c.admin, {
    username: 'clerk_natres',
    displayName: 'n',
    roles: ['clerk'],
    unitId: c.units.natres,
  });
  const first = await createSubmitted(c, 'clerk_natres', body);
  const second = await createSubmitted(c, 'clerk_natres', body); // valid too, at submission
  // Both forwarded while valid (the forward checks the rules again), then decided one after the other.
  const forward = async (id: string) => {
    const fwd = await c.users.reviewer.api.post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(fwd.status).toBe(200);
    return fwd.body.eligibleMembers as { username: string }[];
  };
  const approve = async (id: string, members: { username: string }[]) => {
    for (const m of members)
      expect((await c.users[m.username].api.post(`/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(
        200,
      );
  };
  const [firstMembers, secondMembers] = [await forward(first), await forward(second)];
  await approve(first, firstMembers);
  expect((await settled(c, first)).body.status).toBe('implemented');
  const counter = (await stack.db.query('SELECT max(number)::int AS n FROM implementations'))[0].n;
  await approve(second, secondMembers);
  const refused = await settled(c, second);
  expect(refused.body).toMatchObject({
    status: 'rejected',
    documentNumber: null,
    rejection: {
      stage: 'implementing',
      rules: [expect.objectContaining({ rule: 'QUOTA_INSUFFICIENT', unitId: c.units.natres })],
    },
  });
  expect((await stack.db.query('SELECT max(number)::int AS n FROM implementations'))[0].n).toBe(counter);
  const audit = (await c.users.auditor.api.get(`/v1/change-requests/${second}/audit`)).body;
  expect(audit.at(-2)).toMatchObject({ action: 'rejected_at_implementation', comment: 'QUOTA_INSUFFICIENT' });
  // The refusal's notice then takes a number of its own, in its series, not the implementation's.
  expect(audit.at(-1)).toMatchObject({ action: 'document_issued', after: { document: { kind: 'REJECTION_NOTICE' } } });
});

it('answers units and the summary as they stood at a moment', async () => {
  const t0 = new Date().toISOString();
  const before = await unit(c.units.hr);
  await new Promise((r) => setTimeout(r, 20));
  await implement(c, 'clerk_housing', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.housing,
    payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.hr, category: 'ADMIN', count: 1 }] },
  });
  const t1 = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  const second = await implement(c, 'clerk_housing', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.housing,
    payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.hr, category: 'ADMIN', count: 1 }] },
  });
  expect(second.documentNumber).toBeTruthy();
  const now = await unit(c.units.hr);
  expect(now.quotas.ADMIN).toBe(before.quotas.ADMIN + 2);
  expect((await unit(c.units.hr, t0)).quotas.ADMIN).toBe(before.quotas.ADMIN);
  expect((await unit(c.units.hr, t1)).quotas.ADMIN).toBe(before.quotas.ADMIN + 1);
  // The list as it stood (台账 as of a moment), filtered and paged as today's list is.
  const listed = async (asOf: string) =>
    (await c.admin.get(`/v1/units?q=${encodeURIComponent('人力资源')}&asOf=${encodeURIComponent(asOf)}`)).body;
  expect((await listed(t0)).items.map((u: { id: string }) => u.id)).toEqual([c.units.hr]);
  expect((await listed(t0)).items[0].quotas.ADMIN).toBe(before.quotas.ADMIN);
  expect((await listed(t1)).items[0].quotas.ADMIN).toBe(before.quotas.ADMIN + 1);
  expect((await c.admin.get('/v1/units?asOf=2000-01-01T00:00:00Z')).body).toMatchObject({ items: [], total: 0 });
  expect((await c.admin.get('/v1/units?asOf=yesterday')).body.details).toEqual([
    expect.objectContaining({ field: 'asOf' }),
  ]);
  const s0 = (await c.admin.get(`/v1/establishment/summary?asOf=${encodeURIComponent(t0)}`)).body;
  const s1 = (await c.admin.get(`/v1/establishment/summary?asOf=${encodeURIComponent(t1)}`)).body;
  expect(s0.asOf).toBe(t0);
  expect(s0.categories.ADMIN.total).toBe(s1.categories.ADMIN.total);
  expect(s0.categories.ADMIN.allocated).toBe(s1.categories.ADMIN.allocated); // a transfer moves quota, never creates it
  const history = (await c.admin.get(`/v1/units/${c.units.hr}/history`)).body;
  expect(history[0]).toMatchObject({ cause: 'import', documentNumber: null });
  expect(
    history
      .slice(-2)
      .map((v: { cause: string; documentNumber: string; unit: { quotas: { ADMIN: number } } }) => [
        v.cause,
        v.unit.quotas.ADMIN,
      ]),
  ).toEqual([
    ['request', before.quotas.ADMIN + 1],
    ['request', before.quotas.ADMIN + 2],
  ]);
  expect(history[history.length - 1].documentNumber).toBe(second.documentNumber);
  expect((await unit(c.units.hr, t1)).version).toMatchObject({
    cause: 'request',
    documentNumber: expect.stringMatching(/^清编/),
  });
  const beforeLoad = await c.admin.get(`/v1/units/${c.units.hr}?asOf=2000-01-01T00:00:00Z`);
  expect(beforeLoad.status).toBe(404);
});

describe('import of an existing registry', () => {
  it("reports every row's problem and writes nothing, then imports a valid file as one audited action", async () => {
    const unitsBefore = (await c.admin.get('/v1/units?pageSize=1')).body.total;
    const auditBefore = (await c.users.auditor.api.get('/v1/audit?limit=5000')).body.length;
    const bad = await c.admin.post('/v1/registry/import', {
      units: [
        {
          ref: 'a',
          name: '县乡村振兴服务中心',
          kind: 'PUBLIC_INSTITUTION',
          grade: 'STOCK',
          quotas: { PUBLIC_INSTITUTION: 5 },
        },
        { ref: 'b', name: '县档案馆', kind: 'ARCHIVE', grade: 'STOCK' },
        {
          ref: 'c',
          name: '县档案馆二',
          kind: 'PUBLIC_INSTITUTION',
          grade: 'STOCK',
          parentRef: 'zz',
          creditCode: '91350100M000100Y44',
        },
        { ref: 'a', name: '县财政局', kind: 'GOVERNMENT', grade: 'SECTION' },
      ],
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'units[1].kind',
        'units[2].parentRef',
        'units[2].creditCode',
        'units[3].ref',
        'units[3].name',
      ]),
    );
    expect((await c.admin.get('/v1/units?pageSize=1')).body.total).toBe(unitsBefore);
    expect((await c.users.auditor.api.get('/v1/audit?limit=5000')).body.length).toBe(auditBefore);

    const csv = [
      'ref,name,kind,grade,parentRef,funding,creditCode,PUBLIC_INSTITUTION,SCHOOL_STAFF,' +
        'occupied_PUBLIC_INSTITUTION,occupied_SCHOOL_STAFF,pending_SCHOOL_STAFF,leadershipPosts,sections,namePlates',
      'edu,县教育体育局,GOVERNMENT,SECTION,,,,,,,,,SECTION:1:2,办公室;基础教育股,县体育局',
      'k4,县第四幼儿园,PUBLIC_INSTITUTION,STOCK,edu,FULL,91350100M000100Y43,,20,,12,3,STOCK:1:1,,',
    ].join('\n');
    const ok = await c.admin.request('POST', '/v1/registry/import', csv, { 'content-type': 'text/csv' });
    expect(ok.status).toBe(201);
    expect(ok.body.imported).toBe(2);
    const k4 = await unit(ok.body.units.k4);
    expect(k4).toMatchObject({
      name: '县第四幼儿园',
      parentId: ok.body.units.edu,
      creditCode: '91350100M000100Y43',
      quotas: expect.objectContaining({ SCHOOL_STAFF: 20 }),
      occupied: expect.objectContaining({ SCHOOL_STAFF: 12 }),
      actualVacant: expect.objectContaining({ SCHOOL_STAFF: 5 }),
    });
    expect((await unit(ok.body.units.edu)).namePlates).toEqual(['县体育局']);
    const audit = (await c.users.auditor.api.get('/v1/audit?limit=5000')).body;
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit[audit.length - 1]).toMatchObject({ action: 'registry_imported', actor: 'admin' });
  });
});

describe('closing units', () => {
  it('merges two institutions into a third, summing quotas, people and loans', async () => {
    const [p4, p5, p6] = [await unit(extra.pi4), await unit(extra.pi5), await unit(extra.pi6)];
    const id = await createSubmitted(c, 'clerk_pi4', {
      type: 'MERGE_UNITS',
      unitId: extra.pi4,
      payload: { sourceIds: [extra.pi5, extra.pi6], targetId: extra.pi4 },
    });
    // The units merged away, not under the requesting one, are heard before the forward (docs/domain.md).
    const asked = await until(
      'the merged units consulted',
      () => c.users.auditor.api.get(`/v1/change-requests/${id}`),
      (r) => r.body.consultations.length === 2,
    );
    expect(asked.body.consultations.map((x: { unitId: string }) => x.unitId)).toEqual([extra.pi5, extra.pi6]);
    for (const key of ['pi5', 'pi6']) {
      const consultee = await addUser(stack, c.admin, {
        username: `consultee_${key}`,
        roles: ['consultee'],
        unitId: extra[key],
      });
      const opinion = await consultee.api.post(`/v1/change-requests/${id}/opinions`, {
        position: 'agree',
        comment: '同意合并',
      });
      expect(opinion.status).toBe(200);
    }
    await forwardAndApprove(c, id);
    expect((await settled(c, id)).body.status).toBe('implemented');
    const merged = await unit(extra.pi4);
    expect(merged.quotas.PUBLIC_INSTITUTION).toBe(
      p4.quotas.PUBLIC_INSTITUTION + p5.quotas.PUBLIC_INSTITUTION + p6.quotas.PUBLIC_INSTITUTION,
    );
    expect(merged.occupied.PUBLIC_INSTITUTION).toBe(
      p4.occupied.PUBLIC_INSTITUTION + p5.occupied.PUBLIC_INSTITUTION + p6.occupied.PUBLIC_INSTITUTION,
    );
    expect(merged.loaned.PUBLIC_INSTITUTION).toBe(
      p4.loaned.PUBLIC_INSTITUTION + p5.loaned.PUBLIC_INSTITUTION + p6.loaned.PUBLIC_INSTITUTION,
    );
    expect(await unit(extra.pi5)).toMatchObject({
      status: 'merged',
      mergedInto: extra.pi4,
      quotas: expect.objectContaining({ PUBLIC_INSTITUTION: 0 }),
      occupied: expect.objectContaining({ PUBLIC_INSTITUTION: 0 }),
    });
    const loans = (await c.admin.get('/v1/establishment/summary')).body.loans;
    expect(loans.filter((l: { unitId: string }) => l.unitId === extra.pi5 || l.unitId === extra.pi6)).toEqual([]);
    // A merged unit takes part in nothing more.
    const late = await c.users.clerk_pi5.api.post('/v1/change-requests', {
      type: 'RENAME_UNIT',
      unitId: extra.pi5,
      title: 't',
      justification: 'j',
      payload: { unitId: extra.pi5, newName: 'x' },
      submit: true,
    });
    expect(late.status).toBe(422);
    expect(late.body.details[0]).toMatchObject({ rule: 'UNIT_NOT_ACTIVE', unitId: extra.pi5 });
  });

  it('abolishes a unit, its quota back to the county and its people to a named unit', async () => {
    const free = (await c.admin.get('/v1/establishment/summary')).body.categories.PUBLIC_INSTITUTION.free;
    const p7 = await unit(extra.pi7);
    const noPlace = await c.users.clerk_pi7.api.post('/v1/change-requests', {
      type: 'ABOLISH_UNIT',
      unitId: extra.pi7,
      title: 't',
      justification: 'j',
      payload: { unitId: extra.pi7 },
      submit: true,
    });
    expect(noPlace.body.details.map((d: { rule: string }) => d.rule)).toContain('PEOPLE_NOT_PLACED');
    const target = await unit(extra.pi4);
    await c.admin.post('/v1/units', {}); // a malformed admin call changes nothing either
    await implement(c, 'clerk_pi7', {
      type: 'ABOLISH_UNIT',
      unitId: extra.pi7,
      payload: { unitId: extra.pi7, quotaTo: extra.pi4, peopleTo: extra.pi4 },
    });
    expect(await unit(extra.pi7)).toMatchObject({
      status: 'abolished',
      quotas: expect.objectContaining({ PUBLIC_INSTITUTION: 0 }),
      occupied: expect.objectContaining({ PUBLIC_INSTITUTION: 0 }),
      loaned: expect.objectContaining({ PUBLIC_INSTITUTION: 0 }),
    });
    const after = await unit(extra.pi4);
    expect(after.quotas.PUBLIC_INSTITUTION).toBe(target.quotas.PUBLIC_INSTITUTION + p7.quotas.PUBLIC_INSTITUTION);
    expect(after.occupied.PUBLIC_INSTITUTION).toBe(target.occupied.PUBLIC_INSTITUTION + p7.occupied.PUBLIC_INSTITUTION);
    expect((await c.admin.get('/v1/establishment/summary')).body.categories.PUBLIC_INSTITUTION.free).toBe(free);
  });
});

describe('admin loads keep the county totals (DOMAIN "More rules")', () => {
  const summary = async () => (await c.admin.get('/v1/establishment/summary')).body;
  const auditSize = async () => (await c.users.auditor.api.get('/v1/audit?limit=5000')).body.length;
  const unitCount = async () => (await c.admin.get('/v1/units?pageSize=1')).body.total;
  /** The totals as recorded now, to send back with one thing changed. */
  const recorded = async () => {
    const s = await summary();
    const pick = (f: (c: string) => number) => Object.fromEntries(Object.keys(s.categories).map((k) => [k, f(k)]));
    return {
      year: s.year,
      totals: pick((k) => s.categories[k].total),
      turnoverPool: pick((k) => s.turnoverPool[k].size),
    };
  };
  const body = (name: string, kind: string, quotas: object = {}) => ({ name, kind, grade: 'STOCK', quotas });

  it('loads a unit with free quota only (TOTAL_EXCEEDED, with the numbers), writing nothing when refused', async () => {
    const { ADMIN, CONTRACT } = (await summary()).categories;
    const [units, audit] = [await unitCount(), await auditSize()];
    const over = await c.admin.post(
      '/v1/units',
      body('县超额中心', 'GOVERNMENT', { ADMIN: ADMIN.free + 1, CONTRACT: 1 }),
    );
    expect([over.status, over.body.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(over.body.details).toEqual([
      expect.objectContaining({
        rule: 'TOTAL_EXCEEDED',
        category: 'ADMIN',
        total: ADMIN.total,
        allocated: ADMIN.allocated,
        free: ADMIN.free,
        requested: ADMIN.free + 1,
      }),
    ]);
    expect([await unitCount(), await auditSize()]).toEqual([units, audit]);
    const fits = await c.admin.post(
      '/v1/units',
      body('县聘用服务中心', 'PUBLIC_INSTITUTION', { CONTRACT: CONTRACT.free }),
    );
    expect(fits.status).toBe(201);
    expect((await summary()).categories.CONTRACT).toMatchObject({ allocated: CONTRACT.total, free: 0 });
    const none = await c.admin.post('/v1/units', body('县聘用服务分中心', 'PUBLIC_INSTITUTION', { CONTRACT: 1 }));
    expect(none.body.details).toEqual([expect.objectContaining({ rule: 'TOTAL_EXCEEDED', free: 0, requested: 1 })]);
  });

  it('refuses totals below what units hold and a pool below what is lent, one entry per category', async () => {
    const s = await summary();
    const lent = s.turnoverPool.PUBLIC_INSTITUTION.lent;
    expect(lent).toBeGreaterThan(0);
    const now = await recorded();
    const audit = await auditSize();
    const low = await c.admin.put('/v1/establishment/totals', {
      ...now,
      totals: { ...now.totals, ADMIN: s.categories.ADMIN.allocated - 1, PUBLIC_INSTITUTION: 0 },
      turnoverPool: { PUBLIC_INSTITUTION: lent - 1 },
    });
    expect([low.status, low.body.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(low.body.details).toEqual([
      expect.objectContaining({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'totals',
        category: 'ADMIN',
        total: s.categories.ADMIN.allocated - 1,
        allocated: s.categories.ADMIN.allocated,
      }),
      expect.objectContaining({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'totals',
        category: 'PUBLIC_INSTITUTION',
        total: 0,
        allocated: s.categories.PUBLIC_INSTITUTION.allocated,
      }),
      expect.objectContaining({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'turnoverPool',
        category: 'PUBLIC_INSTITUTION',
        size: lent - 1,
        lent,
      }),
    ]);
    expect(await recorded()).toEqual(now);
    expect(await auditSize()).toBe(audit);
    // Exactly what is held and lent is allowed: the pool is kept apart from the total.
    const tight = {
      ...now,
      totals: { ...now.totals, ADMIN: s.categories.ADMIN.allocated },
      turnoverPool: { ...now.turnoverPool, PUBLIC_INSTITUTION: lent },
    };
    expect((await c.admin.put('/v1/establishment/totals', tight)).status).toBe(200);
    expect((await summary()).categories.ADMIN.free).toBe(0);
    expect((await c.admin.put('/v1/establishment/totals', now)).status).toBe(200);
  });

  it('records a body limit (机构限额) with the totals, shows it, and holds loads and totals to it', async () => {
    const t0 = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const { bodies, bodyLimit } = await summary();
    expect(bodyLimit).toBeNull();
    const now = await recorded();
    const below = await c.admin.put('/v1/establishment/totals', { ...now, bodyLimit: bodies - 1 });
    expect([below.status, below.body.details]).toEqual([
      422,
      [expect.objectContaining({ rule: 'BODY_LIMIT_EXCEEDED', bodyLimit: bodies - 1, bodies })],
    ]);
    const set = await c.admin.put('/v1/establishment/totals', { ...now, bodyLimit: bodies });
    expect(set.status).toBe(200);
    expect(set.body.bodyLimit).toBe(bodies);
    expect(await summary()).toMatchObject({ bodyLimit: bodies, bodies });
    expect((await c.admin.get(`/v1/establishment/summary?asOf=${encodeURIComponent(t0)}`)).body.bodyLimit).toBeNull();

    const units = await unitCount();
    const party = await c.admin.post('/v1/units', body('县委新设办公室', 'PARTY'));
    expect([party.status, party.body.details]).toEqual([
      422,
      [expect.objectContaining({ rule: 'BODY_LIMIT_EXCEEDED', bodyLimit: bodies, bodies, requested: 1 })],
    ]);
    const imported = await c.admin.post('/v1/registry/import', {
      units: [{ ref: 'g', ...body('县新设政府局', 'GOVERNMENT') }],
    });
    expect(imported.status).toBe(400);
    expect(imported.body.details).toEqual([
      expect.objectContaining({ field: 'totals.bodyLimit', problem: expect.stringContaining('BODY_LIMIT_EXCEEDED') }),
    ]);
    expect(await unitCount()).toBe(units);
    // Neither a mass organisation nor an institution counts against it.
    expect((await c.admin.post('/v1/units', body('县科协', 'MASS_ORG'))).status).toBe(201);

    // Left out, the limit stays; null lifts it.
    expect((await c.admin.put('/v1/establishment/totals', now)).body.bodyLimit).toBe(bodies);
    expect((await summary()).bodyLimit).toBe(bodies);
    expect((await c.admin.put('/v1/establishment/totals', { ...now, bodyLimit: null })).body.bodyLimit).toBeNull();
    expect((await c.admin.post('/v1/units', body('县委新设办公室', 'PARTY'))).status).toBe(201);
    expect((await summary()).bodies).toBe(bodies + 1);
  });
});

describe('Idempotency-Key left in progress by a crash', () => {
  it('expires: a retry with the same key and body takes the claim over and acts once', async () => {
    const load = body('县应急服务中心');
    const key = `crashed-${Date.now()}`;
    const admin = (await c.admin.get('/v1/users/me')).body.id as string;
    // The first call claimed the key and its API died before answering, three minutes ago.
    const hash = createHash('sha256')
      .update(`POST /v1/units\n${canonicalJson(load)}`)
      .digest('hex');
    expect(await new IdempotencyRepository(stack.db.manager).claim(admin, key, hash)).toBeTruthy();
    await stack.db.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '3 minutes' WHERE user_id = $1 AND key = $2",
      [admin, key],
    );
    const started = Date.now();
    const retry = await c.admin.post('/v1/units', load, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(10_000); // it ran, rather than waiting for the dead holder
    const again = await c.admin.post('/v1/units', load, { 'idempotency-key': key });
    expect([again.status, again.body.id]).toEqual([201, retry.body.id]);
    const found = (await c.admin.get(`/v1/units?q=${encodeURIComponent('县应急服务中心')}`)).body;
    expect(found.total).toBe(1);
  });

  function body(name: string) {
    return { name, kind: 'PUBLIC_INSTITUTION', grade: 'STOCK' };
  }
});
