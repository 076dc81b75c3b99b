import { addUser, County, seedCounty } from './support/county';
import { implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// A request's 来文号 (referenceNumber) and 抄送 (copyTo): stored as given, shown in the view, the list and the
// audit trail; malformed values refused naming the field, and a unit that does not exist or is closed refused
// by rule, naming its place in copyTo.

let stack: Stack;
let c: County;
let closed: string;

const rename = (extra: object) => ({
  type: 'RENAME_UNIT',
  unitId: c.units.housing,
  title: '关于县住房和城乡建设局更名的请示',
  justification: '理由',
  payload: { unitId: c.units.housing, newName: '县住房和城乡建设管理局' },
  ...extra,
});

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  // A unit abolished through the procedure: it exists, but is no longer active.
  closed = (
    await c.admin.post('/v1/units', {
      name: '县临时服务中心',
      kind: 'PUBLIC_INSTITUTION',
      grade: 'STOCK',
      funding: 'FULL',
      quotas: { PUBLIC_INSTITUTION: 2 },
      occupied: { PUBLIC_INSTITUTION: 0 },
    })
  ).body.id;
  c.users.clerk_closed = await addUser(stack, c.admin, { username: 'clerk_closed', roles: ['clerk'], unitId: closed });
  await implement(c, 'clerk_closed', { type: 'ABOLISH_UNIT', unitId: closed, payload: { unitId: closed } });
});
afterAll(() => stack?.stop());

it('stores 来文号 (trimmed) and 抄送 as given, and shows them in the view, the list and the audit trail', async () => {
  const clerk = c.users.clerk_housing.api;
  const created = await clerk.post(
    '/v1/change-requests',
    rename({ referenceNumber: '  清住建〔2026〕12号 ', copyTo: [c.units.finance, c.units.hr], submit: true }),
  );
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    status: 'demonstration',
    referenceNumber: '清住建〔2026〕12号',
    copyTo: [c.units.finance, c.units.hr],
  });
  const id = created.body.id;
  const read = (await clerk.get(`/v1/change-requests/${id}`)).body;
  expect([read.referenceNumber, read.copyTo]).toEqual(['清住建〔2026〕12号', [c.units.finance, c.units.hr]]);
  const listed = (await clerk.get('/v1/change-requests?pageSize=200')).body.items.find(
    (r: { id: string }) => r.id === id,
  );
  expect([listed.referenceNumber, listed.copyTo]).toEqual(['清住建〔2026〕12号', [c.units.finance, c.units.hr]]);
  // The trail shows what was asked: the registration's record holds both.
  const audit = (await c.users.auditor.api.get(`/v1/change-requests/${id}/audit`)).body;
  expect(audit[0]).toMatchObject({
    action: 'created',
    after: { referenceNumber: '清住建〔2026〕12号', copyTo: [c.units.finance, c.units.hr] },
  });
  // Rebuilt from the trail alone, the request still has them.
  const asOf = (await clerk.get(`/v1/change-requests/${id}?asOf=${encodeURIComponent(new Date().toISOString())}`)).body;
  expect([asOf.rebuiltFromAudit, asOf.referenceNumber, asOf.copyTo]).toEqual([
    true,
    '清住建〔2026〕12号',
    [c.units.finance, c.units.hr],
  ]);
  // The auditor's dossier carries the request's view, so both with it.
  const dossier = (await c.users.auditor.api.get(`/v1/change-requests/${id}/dossier`)).body;
  expect([dossier.request?.referenceNumber, dossier.request?.copyTo]).toEqual([
    '清住建〔2026〕12号',
    [c.units.finance, c.units.hr],
  ]);
});

it('shows none when none were given: null and an empty list', async () => {
  const created = await c.users.clerk_housing.api.post('/v1/change-requests', rename({}));
  expect(created.status).toBe(201);
  expect([created.body.referenceNumber, created.body.copyTo]).toEqual([null, []]);
  const audit = (await c.users.auditor.api.get(`/v1/change-requests/${created.body.id}/audit`)).body;
  expect(audit[0].after).not.toHaveProperty('referenceNumber');
  expect(audit[0].after).not.toHaveProperty('copyTo');
});

it('refuses a malformed 来文号 or 抄送 naming the field, and creates nothing', async () => {
  const clerk = c.users.clerk_housing.api;
  const before = (await clerk.get('/v1/change-requests?pageSize=1')).body.total;
  const cases: [object, string][] = [
    [{ referenceNumber: '   ' }, 'referenceNumber'],
    [{ referenceNumber: '字'.repeat(101) }, 'referenceNumber'],
    [{ referenceNumber: '清住建\n〔2026〕12号' }, 'referenceNumber'],
    [{ referenceNumber: 12 }, 'referenceNumber'],
    [{ copyTo: c.units.finance }, 'copyTo'],
    [{ copyTo: [c.units.finance, c.units.finance] }, 'copyTo'],
    [{ copyTo: Array.from({ length: 51 }, () => crypto.randomUUID()) }, 'copyTo'],
    [{ copyTo: [c.units.finance, 'not-a-unit'] }, 'copyTo[1]'],
  ];
  for (const [extra, field] of cases) {
    const res = await clerk.post('/v1/change-requests', rename(extra));
    expect([res.status, res.body.code, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([
      400,
      'VALIDATION_FAILED',
      expect.arrayContaining([field]),
    ]);
  }
  expect((await clerk.get('/v1/change-requests?pageSize=1')).body.total).toBe(before);
});

it('refuses 抄送 to a unit that does not exist or is no longer active, naming its place, draft or not', async () => {
  const clerk = c.users.clerk_housing.api;
  const unknown = crypto.randomUUID();
  for (const submit of [false, true]) {
    const res = await clerk.post('/v1/change-requests', rename({ copyTo: [c.units.finance, unknown, closed], submit }));
    expect([res.status, res.body.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(res.body.details).toEqual([
      expect.objectContaining({ rule: 'UNIT_NOT_FOUND', unitId: unknown, field: 'copyTo[1]' }),
      expect.objectContaining({ rule: 'UNIT_NOT_ACTIVE', unitId: closed, field: 'copyTo[2]', status: 'abolished' }),
    ]);
  }
});
