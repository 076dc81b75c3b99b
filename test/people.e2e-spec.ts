import { idNumberCheckCharacter } from '@bianzhi/domain';
import { AnyJson } from './support/api-client';
import { addUser, County, seedCounty } from './support/county';
import { recordHistory } from './support/histories';
import { createSubmitted, forwardAndApprove, implement, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// People on the establishment (实名制, issue 16) end to end on the real servers: a USE_QUOTA of 3 decided by the
// office, three enrolments taking its promised places and a fourth refused QUOTA_FULL; a retirement freeing a place;
// a transfer between two departments' units, heard by the receiving one; an import of 5,000 people refused whole for
// two bad rows, then taken; a reconciliation finding exactly three planted differences; the month's report matching
// the moves; and the ID numbers nowhere in the clear but where the office reads them.

let stack: Stack;
let c: County;
let station: string; // 县建设工程质量监督站, under the housing bureau: 事业编制 10, 7 on
let school: string; // 县实验学校: 中小学教职工编制 5,000, 4,990 on (loaded as a count)

/** A valid ID number (GB 11643): region 330102, a birth date from `n`, the order, the check character. */
function idNumber(n: number): string {
  // Distinct for distinct n below 10,000,000: the day from n's last four digits, the order from the rest.
  const day = new Date(Date.UTC(1970, 0, 1) + (n % 10_000) * 86_400_000);
  const first17 = `330102${day.toISOString().slice(0, 10).replace(/-/g, '')}${String(Math.floor(n / 10_000)).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  const totals = await c.admin.put('/v1/establishment/totals', {
    year: 2026,
    totals: { ADMIN: 500, POLITICAL_LEGAL: 60, PUBLIC_INSTITUTION: 2000, SCHOOL_STAFF: 6000, CONTRACT: 50 },
    turnoverPool: { PUBLIC_INSTITUTION: 20 },
  });
  expect(totals.status).toBe(200);
  const unit = async (body: object) => {
    const res = await c.admin.post('/v1/units', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  station = await unit({
    name: '县建设工程质量监督站',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parentId: c.units.housing,
    quotas: { PUBLIC_INSTITUTION: 10 },
    occupied: { PUBLIC_INSTITUTION: 7 },
    leadershipPosts: [],
  });
  school = await unit({
    name: '县实验学校',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    quotas: { SCHOOL_STAFF: 5000 },
    occupied: { SCHOOL_STAFF: 4990 },
    leadershipPosts: [],
  });
  c.users.consultee_health = await addUser(stack, c.admin, {
    username: 'consultee_health',
    roles: ['consultee'],
    unitId: c.units.health,
  });
}, 180_000);
afterAll(() => stack?.stop());

const enrolment = (n: number, name: string) => ({
  type: 'ENROL_PERSON',
  unitId: c.units.housing,
  title: `${name}落编`,
  payload: {
    unitId: station,
    category: 'PUBLIC_INSTITUTION',
    person: { name, idNumber: idNumber(n) },
    channel: 'RECRUITED',
  },
});
const unitOf = async (id: string) => (await c.admin.get(`/v1/units/${id}`)).body;
const peopleOf = async (unitId: string, who = c.users.reviewer.api) =>
  (await who.get(`/v1/people?unitId=${unitId}&status=on&pageSize=200`)).body;

describe('people on the establishment (实名制)', () => {
  const enrolled: AnyJson[] = [];

  it('takes the three places a USE_QUOTA promised, then refuses a fourth (QUOTA_FULL)', async () => {
    const use = await implement(c, 'clerk_housing', {
      type: 'USE_QUOTA',
      unitId: c.units.housing,
      title: '质量监督站用编3名',
      payload: { unitId: station, category: 'PUBLIC_INSTITUTION', count: 3 },
    });
    expect(use.decidedBy).toBe('OFFICE');
    expect((await unitOf(station)).pending.PUBLIC_INSTITUTION).toBe(3);

    for (const [n, name] of [
      [1, '王一'],
      [2, '李二'],
      [3, '张三'],
    ] as const) {
      const done = await implement(c, 'clerk_housing', enrolment(n, name));
      expect(done.decidedBy).toBe('OFFICE');
      expect(done.documentNumber).toMatch(/^清编办〔\d{4}〕\d+号$/);
      // The request keeps the masked number and its keyed hash, never the number.
      expect(JSON.stringify(done.payload)).not.toContain(idNumber(n));
      expect(done.payload.person).toEqual({
        name,
        idNumberMasked: `${idNumber(n).slice(0, 4)}**********${idNumber(n).slice(14)}`,
        idHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(done.documents.map((d: AnyJson) => d.kind)).toEqual(['APPROVAL_REPLY']);
      enrolled.push(done);
    }
    const after = await unitOf(station);
    expect(after.occupied.PUBLIC_INSTITUTION).toBe(10);
    expect(after.pending.PUBLIC_INSTITUTION).toBe(0);

    const fourth = await c.users.clerk_housing.api.post('/v1/change-requests', {
      ...enrolment(4, '赵四'),
      justification: '理由',
      submit: true,
    });
    expect(fourth.status).toBe(422);
    expect(fourth.body.details).toEqual([
      expect.objectContaining({ rule: 'QUOTA_FULL', unitId: station, category: 'PUBLIC_INSTITUTION', fillable: 0 }),
    ]);

    // On record: three people, each with the enrolment's document number in their history.
    const list = await peopleOf(station);
    expect(list.total).toBe(3);
    for (const done of enrolled) {
      const p = list.items.find((x: AnyJson) => x.name === done.payload.person.name);
      const person = (await c.users.reviewer.api.get(`/v1/people/${p.id}`)).body;
      expect(person.history).toEqual([
        expect.objectContaining({
          action: 'ENROLLED',
          unitId: station,
          category: 'PUBLIC_INSTITUTION',
          channel: 'RECRUITED',
          requestId: done.id,
          documentNumber: done.documentNumber,
        }),
      ]);
    }
  });

  it('shows the ID number to the office only, finds a person by it, keeps it out of trail and requests', async () => {
    const asReviewer = await c.users.reviewer.api.get(`/v1/people?q=${idNumber(1)}`);
    expect(asReviewer.body.items).toEqual([
      expect.objectContaining({ name: '王一', idNumber: idNumber(1), idNumberMasked: expect.stringContaining('*') }),
    ]);
    const asClerk = await c.users.clerk_housing.api.get(`/v1/people?unitId=${station}`);
    expect(asClerk.body.total).toBe(3); // the station is under the clerk's bureau
    expect(asClerk.body.items[0].idNumber).toBeUndefined();
    const asAuditor = await c.users.auditor.api.get(`/v1/people/${asClerk.body.items[0].id}`);
    expect(asAuditor.body.idNumber).toBeUndefined();
    // Another department's clerk sees none of them.
    const other = await c.users.clerk_health.api.get(`/v1/people/${asClerk.body.items[0].id}`);
    expect(other.status).toBe(404);
    expect((await c.users.clerk_health.api.get(`/v1/people?unitId=${station}`)).body.total).toBe(0);

    for (const n of [1, 2, 3]) {
      const [{ n: inTrail }] = await stack.db.query(`SELECT count(*)::int AS n FROM audit_records WHERE body LIKE $1`, [
        `%${idNumber(n)}%`,
      ]);
      const [{ n: inRequests }] = await stack.db.query(
        `SELECT count(*)::int AS n FROM change_requests WHERE payload::text LIKE $1`,
        [`%${idNumber(n)}%`],
      );
      const [{ n: inTheClear }] = await stack.db.query(
        `SELECT count(*)::int AS n FROM person_identities WHERE id_number_sealed LIKE $1`,
        [`%${idNumber(n)}%`],
      );
      expect([inTrail, inRequests, inTheClear]).toEqual([0, 0, 0]);
    }
  });

  it('frees a place when a person retires', async () => {
    const wang = (await peopleOf(station)).items.find((p: AnyJson) => p.name === '王一');
    const retire = await implement(c, 'clerk_housing', {
      type: 'DISENROL_PERSON',
      unitId: c.units.housing,
      title: '王一退休',
      payload: { personId: wang.id, reason: 'RETIRED', date: '2026-11-30' },
    });
    expect(retire.payload.person).toEqual({
      name: '王一',
      idNumberMasked: wang.idNumberMasked,
      unitId: station,
      category: 'PUBLIC_INSTITUTION',
    });
    expect((await unitOf(station)).occupied.PUBLIC_INSTITUTION).toBe(9);
    const person = (await c.users.reviewer.api.get(`/v1/people/${wang.id}`)).body;
    expect(person.status).toBe('off');
    expect(person.history.map((h: AnyJson) => [h.action, h.reason, h.date, h.documentNumber])).toEqual([
      ['ENROLLED', null, null, enrolled[0].documentNumber],
      ['DISENROLLED', 'RETIRED', '2026-11-30', retire.documentNumber],
    ]);
    // A second retirement of the same person is refused; the freed place takes a newcomer.
    const again = await c.users.clerk_housing.api.post('/v1/change-requests', {
      type: 'DISENROL_PERSON',
      unitId: c.units.housing,
      title: '再次退休',
      justification: '理由',
      payload: { personId: wang.id, reason: 'RETIRED', date: '2026-11-30' },
      submit: true,
    });
    expect(again.status).toBe(422);
    expect(again.body.details.map((d: AnyJson) => d.rule)).toEqual(['PERSON_NOT_ON']);
    await implement(c, 'clerk_housing', enrolment(4, '赵四'));
    expect((await unitOf(station)).occupied.PUBLIC_INSTITUTION).toBe(10);
  });

  it('moves a person between two departments, both counts with them, after hearing the receiving unit', async () => {
    const li = (await peopleOf(station)).items.find((p: AnyJson) => p.name === '李二');
    const healthBefore = await unitOf(c.units.health);
    const id = await createSubmitted(c, 'clerk_housing', {
      type: 'TRANSFER_PERSON',
      unitId: c.units.housing,
      title: '李二调入县卫生健康局',
      payload: { personId: li.id, toUnitId: c.units.health, category: 'PUBLIC_INSTITUTION' },
    });
    // The receiving unit is consulted automatically; the forward waits for it.
    const early = await c.users.reviewer.api.post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect([early.status, early.body.code]).toEqual([409, 'CONSULTATION_PENDING']);
    const opinion = await c.users.consultee_health.api.post(`/v1/change-requests/${id}/opinions`, {
      position: 'agree',
      comment: '同意调入',
    });
    expect(opinion.status).toBe(200);
    await forwardAndApprove(c, id);
    const done = (await settled(c, id)).body;
    expect(done.status).toBe('implemented');
    await recordHistory(stack.temporalAddress, id, 'person-transferred-after-hearing');
    expect((await unitOf(station)).occupied.PUBLIC_INSTITUTION).toBe(9);
    expect((await unitOf(c.units.health)).occupied.PUBLIC_INSTITUTION).toBe(
      healthBefore.occupied.PUBLIC_INSTITUTION + 1,
    );
    const person = (await c.users.reviewer.api.get(`/v1/people/${li.id}`)).body;
    expect([person.status, person.unitId]).toEqual(['on', c.units.health]);
    expect(person.history.at(-1)).toEqual(
      expect.objectContaining({
        action: 'TRANSFERRED',
        fromUnitId: station,
        unitId: c.units.health,
        documentNumber: done.documentNumber,
      }),
    );
  });

  const people = Array.from({ length: 5000 }, (_, i) => ({
    name: `教师${i}`,
    idNumber: idNumber(10_000 + i),
    unitId: '',
    category: 'SCHOOL_STAFF',
  }));

  it('refuses an import of 5,000 people with two bad rows, naming both, writing nothing; then takes it', async () => {
    for (const p of people) p.unitId = school;
    const bad = people.map((p) => ({ ...p }));
    bad[1234].idNumber = wrongCheck(bad[1234].idNumber);
    bad[4321].idNumber = bad[17].idNumber;
    const csv = [
      'name,idNumber,unitId,category',
      ...bad.map((p) => `${p.name},${p.idNumber},${p.unitId},${p.category}`),
    ].join('\n');
    const refused = await c.admin.post('/v1/people/import', csv, { 'content-type': 'text/csv' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      expect.objectContaining({ field: 'people[1234].idNumber', rule: 'INVALID_ID_NUMBER', row: 1234 }),
      expect.objectContaining({ field: 'people[4321].idNumber', rule: 'DUPLICATE_PERSON', row: 4321 }),
    ]);
    expect(refused.body.details[0].problem).toMatch(/check character/);
    expect((await peopleOf(school)).total).toBe(0);
    expect((await unitOf(school)).occupied.SCHOOL_STAFF).toBe(4990);

    // Eleven more than the unit's room (4,990 unnamed + 10 vacant): each row beyond it named.
    const tooMany = [
      ...people,
      ...Array.from({ length: 11 }, (_, i) => ({ ...people[0], name: `多${i}`, idNumber: idNumber(20_000 + i) })),
    ];
    const over = await c.admin.post('/v1/people/import', { people: tooMany });
    expect(over.status).toBe(400);
    expect(over.body.details.map((d: AnyJson) => [d.rule, d.row])).toEqual(
      Array.from({ length: 11 }, (_, i) => ['QUOTA_FULL', 5000 + i]),
    );
    expect(over.body.message).toMatch(/and 1 more/);

    const dry = await c.admin.post('/v1/people/import?dryRun=true', { people });
    expect(dry.body).toEqual({ imported: 0, checked: 5000, dryRun: true });
    const taken = await c.admin.post('/v1/people/import', { people });
    expect(taken.status).toBe(201);
    expect(taken.body).toEqual({ imported: 5000, checked: 5000, dryRun: false });
    expect((await unitOf(school)).occupied.SCHOOL_STAFF).toBe(5000);
    expect((await c.admin.get(`/v1/people?unitId=${school}&pageSize=1`)).body.total).toBe(5000);
    // Once on, the same people cannot be imported again.
    const twice = await c.admin.post('/v1/people/import', { people: people.slice(0, 2) });
    expect(twice.body.details.map((d: AnyJson) => d.rule)).toEqual(['PERSON_ALREADY_ON', 'PERSON_ALREADY_ON']);
    const audit = (await c.users.auditor.api.get('/v1/audit?action=people_imported')).body;
    expect(audit).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ people: 5000, byUnit: { [school]: 5000 } }) }),
    ]);
  });

  it("counts an import's people in each of a unit's categories, beyond its unnamed places", async () => {
    // The housing bureau: 行政 12 approved, 10 on (none named); 事业 10 approved, 6 on. Twelve and seven people named:
    // 实有 grows by two and by one, each category on its own.
    const housing = c.units.housing;
    const named = (n: number, category: string, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `住建${category}${i}`,
        idNumber: idNumber(40_000 + from + i),
        unitId: housing,
        category,
      }));
    const res = await c.admin.post('/v1/people/import', {
      people: [...named(12, 'ADMIN', 0), ...named(7, 'PUBLIC_INSTITUTION', 100)],
    });
    expect(res.status).toBe(201);
    const unit = await unitOf(housing);
    expect([unit.occupied.ADMIN, unit.occupied.PUBLIC_INSTITUTION]).toEqual([12, 7]);
    const count = async (category: string) =>
      (await c.admin.get(`/v1/people?unitId=${housing}&category=${category}&pageSize=1`)).body.total;
    expect([await count('ADMIN'), await count('PUBLIC_INSTITUTION')]).toEqual([12, 7]);
  });

  it('finds exactly the three differences planted in a roster', async () => {
    const roster = people.map((p) => ({ name: p.name, idNumber: p.idNumber, unit: '县实验学校' }));
    roster.splice(100, 1); // 教师100 missing from the payroll: on establishment, not on the roster
    roster[200] = { ...roster[200], unit: '县卫生健康局' }; // 教师201 paid by another unit
    roster.push({ name: '编外人员', idNumber: idNumber(30_000), unit: '县实验学校' }); // paid, not on establishment
    const csv = ['name,idNumber,unit', ...roster.map((r) => `${r.name},${r.idNumber},${r.unit}`)].join('\n');
    const res = await c.users.reviewer.api.post(`/v1/people/reconcile?unitId=${school}`, csv, {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(201);
    expect(res.body.counts).toEqual({
      rosterRows: 5000,
      peopleOn: 5000,
      notOnEstablishment: 1,
      notOnRoster: 1,
      unitDiffers: 1,
      invalid: 0,
    });
    expect(res.body.notOnEstablishment).toEqual([expect.objectContaining({ name: '编外人员', row: 4999 })]);
    expect(res.body.notOnRoster).toEqual([expect.objectContaining({ name: '教师100', unitId: school })]);
    expect(res.body.unitDiffers).toEqual([
      expect.objectContaining({ name: '教师201', rosterUnit: '县卫生健康局', unitId: school, unitName: '县实验学校' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(idNumber(30_000));
    const asCsv = await c.users.reviewer.api.post(`/v1/people/reconcile?unitId=${school}&format=csv`, csv, {
      'content-type': 'text/csv',
    });
    expect(asCsv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(
      String(asCsv.body)
        .split('\r\n')
        .filter((l) => /^(notOn|unitDiffers)/.test(l)),
    ).toHaveLength(3);
    const audit = (await c.users.auditor.api.get('/v1/audit?action=people_reconciled')).body;
    expect(audit[0]).toEqual(
      expect.objectContaining({
        actor: 'reviewer',
        after: expect.objectContaining({ notOnEstablishment: 1, notOnRoster: 1, unitDiffers: 1, unitId: school }),
      }),
    );
    // Only the office and auditors reconcile.
    expect(
      (await c.users.clerk_housing.api.post('/v1/people/reconcile', csv, { 'content-type': 'text/csv' })).status,
    ).toBe(403);
  });

  it("reports the month's moves and the table as they are", async () => {
    const month = thisMonth();
    const report = (await c.users.director.api.get(`/v1/statistics/monthly?month=${month}`)).body;
    expect(report.month).toBe(month);
    // Four put on and one taken off at the station (a public institution), one moved to the health bureau.
    expect(report.enrolled).toEqual([{ category: 'PUBLIC_INSTITUTION', unitKind: 'PUBLIC_INSTITUTION', count: 4 }]);
    expect(report.disenrolled).toEqual([{ category: 'PUBLIC_INSTITUTION', unitKind: 'PUBLIC_INSTITUTION', count: 1 }]);
    expect(report.transferred).toEqual([{ category: 'PUBLIC_INSTITUTION', unitKind: 'GOVERNMENT', count: 1 }]);
    // The table is the registry's, summed by unit kind: checked against the units themselves.
    const units = (await c.admin.get('/v1/units?pageSize=200')).body.items as AnyJson[];
    const sum = (kind: string, cat: string, f: string) =>
      units.filter((u) => u.kind === kind && u.status === 'active').reduce((n, u) => n + u[f][cat], 0);
    const row = (kind: string, cat: string) =>
      report.table.find((r: AnyJson) => r.unitKind === kind && r.category === cat);
    for (const [kind, cat] of [
      ['PUBLIC_INSTITUTION', 'PUBLIC_INSTITUTION'],
      ['PUBLIC_INSTITUTION', 'SCHOOL_STAFF'],
      ['GOVERNMENT', 'PUBLIC_INSTITUTION'],
    ]) {
      const r = row(kind, cat);
      expect([r.approved, r.occupied, r.pending]).toEqual([
        sum(kind, cat, 'quotas'),
        sum(kind, cat, 'occupied'),
        sum(kind, cat, 'pending'),
      ]);
      expect(r.vacant).toBe(r.approved - r.occupied);
      expect(r.actualVacant).toBe(r.approved - r.occupied - r.pending);
    }
    // Named: the 5,000 teachers; at the station 赵四 and 张三 (王一 retired, 李二 moved to the health bureau); in the
    // bureaux 李二 and the housing bureau's seven 事业 and twelve 行政 imported.
    expect(row('PUBLIC_INSTITUTION', 'SCHOOL_STAFF').named).toBe(5000);
    expect(row('PUBLIC_INSTITUTION', 'PUBLIC_INSTITUTION').named).toBe(2);
    expect(row('GOVERNMENT', 'PUBLIC_INSTITUTION').named).toBe(8);
    expect(row('GOVERNMENT', 'ADMIN').named).toBe(12);

    const csv = await c.users.director.api.get(`/v1/statistics/monthly?month=${month}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body)).toContain(`${month},上编,事业单位,事业编制,4`);
    expect(String(csv.body)).toContain('单位类别,编制类别,核定,实有,空编,待入编,实际空编,实名,未实名');
    // The month before saw none of it.
    const [y, m] = month.split('-').map(Number);
    const previous = `${m === 1 ? y - 1 : y}-${String(m === 1 ? 12 : m - 1).padStart(2, '0')}`;
    const before = (await c.users.director.api.get(`/v1/statistics/monthly?month=${previous}`)).body;
    expect([before.enrolled, before.disenrolled, before.transferred, before.table]).toEqual([[], [], [], []]);
    expect((await c.users.director.api.get('/v1/statistics/monthly?month=2026-13')).status).toBe(400);
  });

  it('refuses a bad ID number at filing, naming the field, and creates nothing', async () => {
    const before = (await c.users.clerk_housing.api.get('/v1/change-requests?pageSize=1')).body.total;
    const res = await c.users.clerk_housing.api.post('/v1/change-requests', {
      ...enrolment(5, '钱五'),
      justification: '理由',
      payload: { ...enrolment(5, '钱五').payload, person: { name: '钱五', idNumber: wrongCheck(idNumber(5)) } },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({
        field: 'payload.person.idNumber',
        problem: expect.stringMatching(/INVALID_ID_NUMBER/),
      }),
    ]);
    expect((await c.users.clerk_housing.api.get('/v1/change-requests?pageSize=1')).body.total).toBe(before);
  });
});
