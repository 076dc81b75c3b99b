import { County, seedCounty } from './support/county';
import { startStack, Stack } from './support/stack';

// Input at the edges: long Chinese text, full-width punctuation and 〔〕 kept exactly; limits refused with the
// field named; unknown fields and parameters refused; no stack trace or SQL in any error; sign-in rate limited;
// security headers; CORS closed by default.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack({ env: { LOGIN_RATE_LIMIT: '40' } });
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

it('keeps Chinese text of any length within the limits exactly, and refuses it past them', async () => {
  const clause =
    '根据《中国共产党机构编制工作条例》（以下简称《条例》）和清编〔2026〕3号文件精神，“满编、超编单位一律不得进人”；';
  const justification = clause.repeat(Math.floor(20000 / clause.length));
  const name = '县乡村振兴局〔筹〕（加挂县扶贫开发服务中心牌子）';
  const created = await c.users.clerk_poverty.api.post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.poverty,
    title: `关于${name}的请示`,
    justification,
    payload: { unitId: c.units.poverty, newName: name },
  });
  expect(created.status).toBe(201);
  const read = (await c.users.clerk_poverty.api.get(`/v1/change-requests/${created.body.id}`)).body;
  expect(read.justification).toBe(justification);
  expect(read.payload.newName).toBe(name);
  expect(read.diff[0]).toMatchObject({ field: 'name', after: name });
  const audit = (await c.users.auditor.api.get(`/v1/change-requests/${created.body.id}/audit`)).body;
  expect(audit[0].after.justification).toBe(justification);
  expect((await c.users.auditor.api.get('/v1/audit/verify')).body.valid).toBe(true);

  const tooLong = await c.users.clerk_poverty.api.post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.poverty,
    title: 't',
    justification: '字'.repeat(20001),
    payload: { unitId: c.units.poverty, newName: name },
  });
  expect([tooLong.status, tooLong.body.details[0].field]).toEqual([400, 'justification']);
  const manyLines = await c.users.clerk_housing.api.post('/v1/change-requests', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.housing,
    title: 't',
    justification: 'j',
    payload: {
      lines: Array.from({ length: 201 }, () => ({
        fromUnitId: c.units.housing,
        toUnitId: c.units.cdc,
        category: 'ADMIN',
        count: 1,
      })),
    },
  });
  expect([manyLines.status, manyLines.body.details[0].field]).toEqual([400, 'payload.lines']);
});

it('refuses unknown fields and parameters, and malformed JSON, without a stack trace or SQL', async () => {
  const unknown = await c.users.clerk_housing.api.get('/v1/change-requests?sort=evil');
  expect([unknown.status, unknown.body.details[0].field]).toEqual([400, 'sort']);
  const injected = await c.users.clerk_housing.api.get(`/v1/units?q=${encodeURIComponent("'; DROP TABLE units; --")}`);
  expect(injected.status).toBe(200);
  expect((await c.admin.get('/v1/units?pageSize=1')).body.total).toBeGreaterThan(0);
  const malformed = await c.users.clerk_housing.api.request('POST', '/v1/change-requests', '{"type": "RENAME_UNIT",', {
    'content-type': 'application/json',
  });
  expect(malformed.status).toBe(400);
  expect(malformed.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  const tooBig = await c.admin.request('POST', '/v1/units', JSON.stringify({ name: 'x'.repeat(6 * 1024 * 1024) }), {
    'content-type': 'application/json',
  });
  expect([tooBig.status, tooBig.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  for (const res of [unknown, malformed, tooBig])
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|\.ts:\d+|\.js:\d+|SELECT |INSERT |QueryFailed/);
  const nul = await c.users.clerk_housing.api.post(
    '/v1/change-requests',
    {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      title: '更名\u0000',
      justification: 'j',
      payload: { unitId: c.units.housing, newName: 'x' },
    },
    { 'idempotency-key': 'nul-1' },
  );
  expect([nul.status, nul.body.details[0].field]).toEqual([400, 'title']);
  const nulKey = await c.users.clerk_housing.api.post(
    '/v1/change-requests',
    { 'bad\u0000key': 1 },
    { 'idempotency-key': 'nul-2' },
  );
  expect([nulKey.status, nulKey.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  // Half a surrogate pair is no character: refused at the edge, never left to fail the trail's json columns.
  const lone = await c.users.clerk_housing.api.post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: '更名',
    justification: 'j',
    payload: { unitId: c.units.housing, newName: '新名\ud83d' },
  });
  expect([lone.status, lone.body.details[0].field]).toEqual([400, 'payload.newName']);
  const draft = await c.users.clerk_housing.api.post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: '更名',
    justification: 'j',
    payload: { unitId: c.units.housing, newName: '县住房保障中心' },
  });
  expect(draft.status).toBe(201);
  const loneReason = await c.users.clerk_housing.api.post(`/v1/change-requests/${draft.body.id}/withdraw`, {
    reason: '\udc00撤回',
  });
  expect([loneReason.status, loneReason.body.details[0].field]).toEqual([400, 'reason']);
  expect((await c.users.auditor.api.get('/v1/audit/verify')).body.valid).toBe(true);
  const oddKey = await c.users.clerk_housing.api.post(
    `/v1/change-requests`,
    {},
    { 'idempotency-key': 'key with spaces' },
  );
  expect([oddKey.status, oddKey.body.details?.[0]?.field]).toEqual([400, 'Idempotency-Key']);
  const badUuid = await c.users.clerk_housing.api.get('/v1/change-requests/not-a-uuid');
  expect(badUuid.status).toBe(400);
});

it('refuses a loan due date that is no calendar date (400 naming payload.dueDate), created or previewed', async () => {
  const lend = (dueDate: string) => ({
    type: 'LEND_POOL_QUOTA',
    unitId: c.units.housing,
    title: '使用周转池编制',
    justification: 'j',
    payload: { loans: [{ unitId: c.units.housing, category: 'PUBLIC_INSTITUTION', count: 1 }], dueDate },
  });
  for (const dueDate of ['2026-02-30', '2026-13-01', '2027-02-29']) {
    const created = await c.users.clerk_housing.api.post('/v1/change-requests', lend(dueDate));
    expect([created.status, created.body.code, created.body.details[0].field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'payload.dueDate',
    ]);
    const { title: _t, justification: _j, ...previewBody } = lend(dueDate);
    const preview = await c.users.clerk_housing.api.post('/v1/change-requests/preview', previewBody);
    expect([preview.status, preview.body.details[0].field]).toEqual([400, 'payload.dueDate']);
  }
  const leap = await c.users.clerk_housing.api.post('/v1/change-requests/preview', {
    type: 'LEND_POOL_QUOTA',
    unitId: c.units.housing,
    payload: { loans: [{ unitId: c.units.housing, category: 'PUBLIC_INSTITUTION', count: 1 }], dueDate: '2028-02-29' },
  });
  expect(leap.status).toBe(200);
  // A real date, but past, today (office time) or beyond three years: the rule INVALID_DUE_DATE (422).
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const tooFar = `${Number(today.slice(0, 4)) + 4}-01-01`;
  for (const dueDate of ['2020-01-01', today, tooFar]) {
    const refused = await c.users.clerk_housing.api.post('/v1/change-requests', { ...lend(dueDate), submit: true });
    expect([refused.status, refused.body.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(refused.body.details).toEqual([expect.objectContaining({ rule: 'INVALID_DUE_DATE', dueDate })]);
  }
});

it('limits sign-in attempts, sends security headers and keeps CORS closed', async () => {
  let last = 0;
  for (let i = 0; i < 45 && last !== 429; i++)
    last = (await stack.api.post('/v1/auth/login', { username: 'nobody', password: 'wrong-password' })).status;
  expect(last).toBe(429);
  const res = await fetch(`${stack.api.baseUrl}/health/live`, { headers: { origin: 'https://evil.example' } });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBeTruthy();
  expect(res.headers.get('x-powered-by')).toBeNull();
});
