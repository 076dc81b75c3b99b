import { County, seedCounty } from './support/county';
import { createSubmitted, implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// What the records console (issue 15) reads besides the registry: the requests by status and by month, and the
// registry import checked whole without writing (the report an admin confirms).

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

it('counts requests by status and by month, this month last', async () => {
  await implement(c, 'clerk_housing', {
    type: 'ADD_NAME_PLATE',
    unitId: c.units.housing,
    payload: { unitId: c.units.housing, namePlate: '县城市管理局' },
  });
  await createSubmitted(c, 'clerk_health', {
    type: 'RENAME_UNIT',
    unitId: c.units.health,
    payload: { unitId: c.units.health, newName: '县卫生和健康局' },
  });
  const res = await c.users.reviewer.api.get('/v1/statistics/requests?months=3');
  expect(res.status).toBe(200);
  expect(res.body.byStatus).toEqual(
    expect.arrayContaining([
      { status: 'implemented', count: 1 },
      { status: 'demonstration', count: 1 },
    ]),
  );
  expect(res.body.byMonth).toHaveLength(3);
  expect(res.body.byMonth[2]).toEqual({ month: thisMonth(), created: 2, implemented: 1, rejected: 0, withdrawn: 0 });
  expect(res.body.byMonth[0]).toMatchObject({ created: 0, implemented: 0 });
  expect((await c.users.reviewer.api.get('/v1/statistics/requests?months=0')).body).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [expect.objectContaining({ field: 'months' })],
  });
  expect((await c.users.clerk_housing.api.get('/v1/statistics/requests')).status).toBe(403);
});

it('checks a registry import whole on a dry run: every bad row named, nothing written either way', async () => {
  const before = (await c.admin.get('/v1/units?pageSize=200')).body.total;
  const header = 'ref,name,kind,grade,parentRef,PUBLIC_INSTITUTION,occupied_PUBLIC_INSTITUTION';
  const bad = [header, 'a,县档案馆,PUBLIC_INSTITUTION,STOCK,,10,3', 'b,县史志室,PUBLIC_INSTITUTION,STOCK,,x,2'].join(
    '\n',
  );
  const refused = await c.admin.request('POST', '/v1/registry/import?dryRun=true', bad, { 'content-type': 'text/csv' });
  expect(refused.status).toBe(400);
  expect(refused.body.details).toEqual([expect.objectContaining({ field: 'units[1].PUBLIC_INSTITUTION' })]);
  const good = bad.replace(',x,2', ',5,2');
  const checked = await c.admin.request('POST', '/v1/registry/import?dryRun=true', good, {
    'content-type': 'text/csv',
  });
  expect(checked.status).toBe(201);
  expect(checked.body).toMatchObject({ dryRun: true, checked: 2, imported: 0, units: {} });
  expect((await c.admin.get('/v1/units?pageSize=200')).body.total).toBe(before);
  const wrong = await c.admin.request('POST', '/v1/registry/import?dryRun=yes', good, { 'content-type': 'text/csv' });
  expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'dryRun' })]);
  const done = await c.admin.request('POST', '/v1/registry/import', good, { 'content-type': 'text/csv' });
  expect(done.body).toMatchObject({ dryRun: false, checked: 2, imported: 2 });
  expect((await c.admin.get('/v1/units?pageSize=200')).body.total).toBe(before + 2);
});
