import { stepAt, totpCode } from '../apps/api/src/auth/totp';
import { idNumberCheckCharacter } from '@bianzhi/domain';
import type { OpenAPIObject } from '@nestjs/swagger';
import { addUser, County, PASSWORD, seedCounty, until } from './support/county';
import { answerErrors, operationFor } from './support/openapi-conformance';
import { forge } from './support/forgery';
import { refuseImplementations } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Every answer the API gives over whole procedures, success and error alike, checked against its own
// /docs-json: the document typed clients are generated from must describe what the server really sends.
// Schemathesis (the `tools` test) fuzzes the document but rarely reaches a request deep in its procedure;
// this walks requests through every stage. The check wraps fetch, so every call below is checked.

let stack: Stack;
let c: County;
let doc: OpenAPIObject;
const problems = new Set<string>();
const answered = new Set<string>();
const realFetch = globalThis.fetch;

beforeAll(async () => {
  stack = await startStack();
  doc = (await (await realFetch(`${stack.api.baseUrl}/docs-json`)).json()) as OpenAPIObject;
  const origin = new URL(stack.api.baseUrl).origin;
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin) return res;
    const method = (init?.method ?? 'GET').toUpperCase();
    const text = await res.clone().text();
    const body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || null;
    const media = res.headers.get('content-type') ?? undefined;
    for (const p of answerErrors(doc, method, url.pathname, res.status, body, media)) problems.add(p);
    const template = operationFor(doc, method, url.pathname);
    if (template && res.status < 300) answered.add(`${method} ${template}`);
    return res;
  };
  c = await seedCounty(stack);
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await stack?.stop();
});

const u = (name: string) => c.users[name].api;
const MISSING = '00000000-0000-4000-8000-000000000000';

async function toCommittee(clerk: string, body: object): Promise<string> {
  const created = await u(clerk).post('/v1/change-requests', { ...body, submit: true });
  expect(created.status).toBe(201);
  const forwarded = await u('reviewer').post(`/v1/change-requests/${created.body.id}/review`, {
    decision: 'forward',
    comment: '提请编委会审议',
  });
  expect(forwarded.status).toBe(200);
  return created.body.id;
}

const status = (id: string, wanted: string) =>
  until(
    wanted,
    () => u('auditor').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === wanted,
    60_000,
  );

it('answers as the document says, through every stage of the procedure', async () => {
  // 论证 with a consultation, a return and a revision; a vote with a recusal and open ballots; implemented.
  const draft = await u('clerk_health').post('/v1/change-requests', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.health,
    title: '核增行政编制2名',
    justification: '职能增加',
    payload: { unitId: c.units.health, category: 'ADMIN', delta: 2 },
  });
  expect(draft.status).toBe(201);
  const id: string = draft.body.id;
  expect((await u('clerk_health').post(`/v1/change-requests/${id}/submit`)).status).toBe(200);
  const dueAt = new Date(Date.now() + 3 * 86400_000).toISOString();
  const asked = await u('reviewer').post(`/v1/change-requests/${id}/consultations`, {
    unitIds: [c.units.finance, c.units.hr],
    dueAt,
  });
  expect(asked.status).toBe(200);
  const opinion = { position: 'conditional', comment: '原则同意' };
  expect((await u('consultee_finance').post(`/v1/change-requests/${id}/opinions`, opinion)).status).toBe(200);
  const returned = await u('reviewer').post(`/v1/change-requests/${id}/review`, {
    decision: 'return',
    comment: '请补充三定方案',
  });
  expect(returned.body.status).toBe('returned');
  const revised = await u('clerk_health').post(`/v1/change-requests/${id}/revise`, {
    comment: '已补充',
    justification: '职能增加，补充说明',
  });
  expect(revised.status).toBe(200);
  expect((await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' })).status).toBe(200);
  for (const m of ['member_org', 'member3', 'member4']) {
    const vote = await u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve', comment: '同意' });
    expect(vote.status).toBe(200);
  }
  const open = await u('member5').get(`/v1/change-requests/${id}`);
  expect(open.body.ballots.length).toBeGreaterThan(0);
  expect(open.body.deadlines.vote).not.toBeNull();
  expect((await u('member5').post(`/v1/change-requests/${id}/votes`, { vote: 'abstain' })).status).toBe(200);
  const done = await status(id, 'implemented');
  expect(done.body.recusedMembers).toHaveLength(1);
  // Its 批复 (公文), the PDF and the 审批表; a document not there is a 404 in the one error shape.
  const documents = await until(
    'the 批复',
    () => u('auditor').get(`/v1/change-requests/${id}/documents`),
    (r) => r.status === 200 && r.body.length === 1,
  );
  expect((await u('auditor').get(`/v1/documents/${documents.body[0].id}`)).status).toBe(200);
  expect((await u('auditor').get(`/v1/change-requests/${id}/approval-form`)).status).toBe(200);
  expect((await u('auditor').get(`/v1/documents/${MISSING}`)).status).toBe(404);
  expect((await u('auditor').get(`/v1/change-requests/${MISSING}/approval-form`)).status).toBe(404);

  // Withdrawn (撤回) by the requesting unit.
  const other = await u('clerk_housing').post('/v1/change-requests', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.housing,
    title: '核增行政编制1名',
    justification: '理由',
    payload: { unitId: c.units.housing, category: 'ADMIN', delta: 1 },
    submit: true,
  });
  expect(other.status).toBe(201);
  const withdrawn = await u('clerk_housing').post(`/v1/change-requests/${other.body.id}/withdraw`, {
    reason: '撤回',
  });
  expect(withdrawn.body.status).toBe('withdrawn');

  // Closed early by the chair, then decided by the higher office (上级编办).
  const pl = await toCommittee('clerk_police', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.police,
    title: '核增政法专项编制2名',
    justification: '执法任务加重',
    payload: { unitId: c.units.police, category: 'POLITICAL_LEGAL', delta: 2 },
  });
  for (const m of ['member3', 'member4', 'member5', 'member_org'])
    expect((await u(m).post(`/v1/change-requests/${pl}/votes`, { vote: 'approve' })).status).toBe(200);
  expect((await u('chair').post(`/v1/change-requests/${pl}/close-vote`)).status).toBe(200);
  await status(pl, 'awaiting_higher_approval');
  const decided = await u('liaison').post(`/v1/change-requests/${pl}/higher-decision`, {
    approved: true,
    documentNumber: '市编〔2026〕15号',
    comment: '同意',
  });
  expect(decided.status).toBe(200);
  await status(pl, 'implemented');

  // Rejected at the vote: no quorum is a rejection with its reason.
  const rejected = await toCommittee('clerk_housing', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.housing,
    title: '核增行政编制1名',
    justification: '理由',
    payload: { unitId: c.units.housing, category: 'ADMIN', delta: 1 },
  });
  expect((await u('member3').post(`/v1/change-requests/${rejected}/votes`, { vote: 'reject' })).status).toBe(200);
  expect((await u('chair').post(`/v1/change-requests/${rejected}/close-vote`)).status).toBe(200);

  // Every reading of a request, as the roles that may read it.
  const before = new Date(Date.now() - 1000).toISOString();
  for (const who of ['clerk_health', 'reviewer', 'member3', 'auditor', 'consultee_finance']) {
    expect((await u(who).get('/v1/change-requests?pageSize=50')).status).toBe(200);
    expect((await u(who).get(`/v1/change-requests/${id}`)).status).toBe(200);
  }
  expect((await u('auditor').get(`/v1/change-requests/${id}?asOf=${encodeURIComponent(before)}`)).status).toBe(200);
  expect((await u('auditor').get(`/v1/change-requests/${id}/audit`)).status).toBe(200);
  expect((await u('auditor').get(`/v1/change-requests/${id}/dossier`)).status).toBe(200);
  expect((await u('auditor').get(`/v1/change-requests/${pl}/replay`)).status).toBe(200);
  expect((await u('reviewer').get('/v1/statistics/requests?months=24')).status).toBe(200);
  expect((await u('reviewer').get('/v1/statistics/requests?months=99')).status).toBe(400);
}, 300_000);

it('answers the registry, users, committee, audit and health routes as the document says', async () => {
  const admin = c.admin;
  expect((await admin.get('/v1/users')).status).toBe(200);
  expect((await admin.get('/v1/users/me')).status).toBe(200);
  expect((await admin.patch(`/v1/users/${c.users.member5.id}`, { displayName: '委员五' })).status).toBe(200);
  expect((await u('reviewer').get('/v1/committee')).status).toBe(200);
  const imported = await admin.post('/v1/registry/import', {
    units: [
      { ref: 'a', name: '县档案馆', kind: 'PUBLIC_INSTITUTION', grade: 'DEPUTY_SECTION', funding: 'FULL' },
      { ref: 'b', parentRef: 'a', name: '县档案馆编研室', kind: 'PUBLIC_INSTITUTION', grade: 'STOCK' },
    ],
  });
  expect(imported.status).toBe(201);
  expect((await admin.get('/v1/units?pageSize=100')).status).toBe(200);
  const now = encodeURIComponent(new Date().toISOString());
  expect((await admin.get(`/v1/units/${c.units.health}`)).status).toBe(200);
  expect((await admin.get(`/v1/units/${c.units.health}?asOf=${now}`)).status).toBe(200);
  expect((await admin.get(`/v1/units/${c.units.health}/history`)).status).toBe(200);
  expect((await admin.get('/v1/establishment/summary')).status).toBe(200);
  expect((await admin.get(`/v1/establishment/summary?asOf=${now}`)).status).toBe(200);
  const totals = { year: 2026, totals: { ADMIN: 600, POLITICAL_LEGAL: 60, PUBLIC_INSTITUTION: 2000 } };
  expect((await admin.put('/v1/establishment/totals', totals)).status).toBe(200);

  const auditor = u('auditor');
  const records = await auditor.get('/v1/audit?limit=5000');
  expect(records.status).toBe(200);
  const size: number = records.body.length;
  expect((await auditor.get('/v1/audit/verify')).status).toBe(200);
  expect((await auditor.get('/v1/audit/checkpoint')).status).toBe(200);
  const checkpoints = await auditor.get('/v1/audit/checkpoints?after=0&limit=10');
  expect([checkpoints.status, checkpoints.body.length > 0]).toEqual([200, true]);
  expect((await auditor.get('/v1/audit/checkpoints?after=-1')).status).toBe(400);
  expect((await auditor.get('/v1/audit/public-key')).status).toBe(200);
  expect((await auditor.get(`/v1/audit/proofs/inclusion?seq=2&treeSize=${size}`)).status).toBe(200);
  expect((await auditor.get(`/v1/audit/proofs/consistency?from=3&to=${size}`)).status).toBe(200);
  expect((await stack.api.get('/health/live')).status).toBe(200);
  expect((await stack.api.get('/health/ready')).status).toBe(200);
});

it('answers the people routes (实名制) as the document says', async () => {
  const id = (n: number) => {
    const first17 = `33010219900101${String(n).padStart(3, '0')}`;
    return first17 + idNumberCheckCharacter(first17);
  };
  const imported = await c.admin.post('/v1/people/import', {
    people: [1, 2].map((n) => ({ name: `人员${n}`, idNumber: id(n), unitId: c.units.health, category: 'ADMIN' })),
  });
  expect(imported.status).toBe(201);
  const bad = await c.admin.post('/v1/people/import?dryRun=true', {
    people: [{ name: '坏', idNumber: id(1).slice(0, 17) + 'X', unitId: MISSING, category: 'ADMIN' }],
  });
  expect(bad.status).toBe(400);
  const list = await u('reviewer').get(`/v1/people?unitId=${c.units.health}`);
  expect(list.status).toBe(200);
  expect((await u('clerk_health').get(`/v1/people/${list.body.items[0].id}`)).status).toBe(200);
  expect((await u('clerk_health').get(`/v1/people/${MISSING}`)).status).toBe(404);
  const roster = `name,idNumber,unit\n人员1,${id(1)},县卫生健康局\n`;
  const csv = { 'content-type': 'text/csv' };
  expect((await u('auditor').post('/v1/people/reconcile', roster, csv)).status).toBe(201);
  expect((await u('auditor').post('/v1/people/reconcile?format=csv', roster, csv)).status).toBe(201);
  expect((await u('auditor').post('/v1/people/reconcile', { roster })).status).toBe(400);
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  expect((await u('reviewer').get(`/v1/statistics/monthly?month=${month}`)).status).toBe(200);
  expect((await u('reviewer').get(`/v1/statistics/monthly?month=${month}&format=csv`)).status).toBe(200);
  expect((await u('reviewer').get('/v1/statistics/monthly?month=26-1')).status).toBe(400);
  const enrol = await u('clerk_health').post('/v1/change-requests', {
    type: 'ENROL_PERSON',
    unitId: c.units.health,
    title: '人员3上编',
    justification: '理由',
    payload: {
      unitId: c.units.health,
      category: 'ADMIN',
      person: { name: '人员3', idNumber: id(3) },
      channel: 'OTHER',
    },
  });
  expect(enrol.status).toBe(201);
  const wrong = await u('clerk_health').post('/v1/change-requests/preview', {
    type: 'ENROL_PERSON',
    unitId: c.units.health,
    payload: {
      unitId: c.units.health,
      category: 'ADMIN',
      person: { name: '人员4', idNumber: id(4).slice(0, 17) + 'X' },
      channel: 'OTHER',
    },
  });
  expect(wrong.status).toBe(400);
});

it('answers errors in the one shape the document gives them', async () => {
  expect((await stack.api.get('/v1/change-requests')).status).toBe(401);
  expect((await u('clerk_health').get('/v1/users')).status).toBe(403);
  expect((await u('auditor').get(`/v1/change-requests/${MISSING}`)).status).toBe(404);
  expect((await u('auditor').get('/v1/change-requests/not-a-uuid')).status).toBe(400);
  expect((await u('auditor').get(`/v1/audit/proofs/inclusion?seq=1&treeSize=999999`)).status).toBe(400);
  const bad = await u('clerk_health').post('/v1/change-requests', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.health,
    title: 't',
    justification: 'j',
    payload: { unitId: c.units.health, category: 'ADMIN', delta: 100_000 },
    submit: true,
  });
  expect(bad.status).toBe(422);
  const done = (await u('clerk_health').get(`/v1/change-requests?status=implemented&unitId=${c.units.health}`)).body
    .items[0].id;
  expect((await u('clerk_health').post(`/v1/change-requests/${done}/submit`)).status).toBe(409);
  const taken = await c.admin.post('/v1/users', {
    username: 'auditor',
    password: 'Password-long1',
    displayName: 'x',
    roles: ['auditor'],
  });
  expect(taken.status).toBe(409);
});

it("answers the console's routes (work lists, preview, attachments) as the document says", async () => {
  const draft = {
    type: 'ADJUST_QUOTA',
    unitId: c.units.health,
    title: '附件与预览',
    justification: 'j',
    payload: { unitId: c.units.health, category: 'ADMIN', delta: 1 },
  };
  const preview = await u('clerk_health').post('/v1/change-requests/preview', {
    type: draft.type,
    unitId: draft.unitId,
    payload: draft.payload,
  });
  expect(preview.status).toBe(200);
  const created = await u('clerk_health').post('/v1/change-requests', draft);
  expect(created.status).toBe(201);
  expect((await u('clerk_health').get('/v1/work-items')).status).toBe(200);
  expect((await u('reviewer').get('/v1/work-items/done')).status).toBe(200);
  const token = (await stack.api.post('/v1/auth/login', { username: 'clerk_health', password: PASSWORD })).body
    .accessToken as string;
  const form = new FormData();
  form.append('file', new Blob([new TextEncoder().encode('%PDF-1.7\n%%EOF\n')]), '请示.pdf');
  const uploaded = await fetch(`${stack.api.baseUrl}/v1/change-requests/${created.body.id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(uploaded.status).toBe(201);
  const attachment = (await uploaded.json()) as { id: string };
  expect((await u('clerk_health').get(`/v1/change-requests/${created.body.id}/attachments`)).status).toBe(200);
  const file = await fetch(`${stack.api.baseUrl}/v1/attachments/${attachment.id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(file.status).toBe(200);
});

it('answers the account and security-log routes as documented', async () => {
  const spare = await addUser(stack, c.admin, { username: 'spare', roles: ['auditor'] });
  expect((await u('security_admin').post(`/v1/users/${spare.id}/unlock`)).status).toBe(204);
  const enrol = await spare.api.post('/v1/auth/totp');
  expect(enrol.status).toBe(200);
  const secret = new URL(enrol.body.otpauthUrl).searchParams.get('secret')!;
  const code = totpCode(secret, stepAt(new Date()));
  expect((await spare.api.post('/v1/auth/totp/confirm', { code })).status).toBe(204);
  expect((await spare.api.post('/v1/auth/logout')).status).toBe(204);
  const reset = await u('security_admin').post(`/v1/users/${spare.id}/reset-password`, { password: 'Reset-passw0rd' });
  expect(reset.status).toBe(204);
  expect((await u('audit_admin').get('/v1/security-events?type=password_reset')).body.length).toBe(1);
  expect((await u('audit_admin').get('/v1/security-events/verify')).body.ok).toBe(true);
});

it('answers the committee meetings routes as the document says', async () => {
  const id = await toCommittee('clerk_housing', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: '更名',
    justification: '理由',
    payload: { unitId: c.units.housing, newName: '县住房和城乡建设管理局' },
  });
  const created = await u('chair').post('/v1/meetings', {
    title: '县委编委会会议',
    heldAt: new Date().toISOString(),
    requestIds: [id],
  });
  expect(created.status).toBe(201);
  const again = await u('chair').post('/v1/meetings', {
    title: 't',
    heldAt: new Date().toISOString(),
    requestIds: [id],
  });
  expect(again.status).toBe(409);
  expect((await u('member3').post(`/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(200);
  expect((await u('reviewer').get('/v1/meetings')).status).toBe(200);
  expect((await u('auditor').get(`/v1/meetings/${created.body.id}`)).status).toBe(200);
  const closed = await u('chair').post(`/v1/meetings/${created.body.id}/close`);
  expect([closed.status, closed.body.status]).toEqual([200, 'closed']);
  expect((await u('chair').post(`/v1/meetings/${created.body.id}/close`)).status).toBe(409);
  expect((await u('auditor').get(`/v1/meetings/${MISSING}`)).status).toBe(404);
  const minutes = await u('auditor').get(`/v1/meetings/${created.body.id}/documents`);
  expect(minutes.body).toEqual([expect.objectContaining({ kind: 'MINUTES' })]);
  expect((await u('auditor').get(`/v1/documents/${minutes.body[0].id}`)).status).toBe(200);
  expect((await u('auditor').get(`/v1/meetings/${MISSING}/documents`)).status).toBe(404);
});

it("answers the office's decision and its retry of a stalled implementation as documented", async () => {
  // A 用编 within the actual vacancy: the office director decides it.
  const useQuota = await u('clerk_housing').post('/v1/change-requests', {
    type: 'USE_QUOTA',
    unitId: c.units.housing,
    title: '用编申请',
    justification: '补充工作人员',
    payload: { unitId: c.units.housing, category: 'ADMIN', count: 1 },
    submit: true,
  });
  expect(useQuota.status).toBe(201);
  const id: string = useQuota.body.id;
  const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
  expect(fwd.body.status).toBe('office_decision');
  expect((await u('director').post(`/v1/change-requests/${id}/decide`, { decision: 'reject' })).status).toBe(400);
  // The database refuses the implementation (a trigger): it stalls, the director retries once it is lifted.
  const refusal = await refuseImplementations(stack.ownerDb, 'frozen');
  try {
    expect((await u('director').post(`/v1/change-requests/${id}/decide`, { decision: 'approve' })).status).toBe(200);
    await until(
      'the stall',
      () => u('auditor').get(`/v1/change-requests/${id}`),
      (r) => !!r.body.stalled,
    );
  } finally {
    await refusal.lift();
  }
  const retried = await u('director').post(`/v1/change-requests/${id}/retry`, { comment: '已解除' });
  expect(retried.status).toBe(200);
  expect(retried.body.status).toBe('implemented');
  expect((await u('director').post(`/v1/change-requests/${id}/retry`, {})).status).toBe(409);
});

it("answers an audit administrator's acknowledgement of forged records as documented", async () => {
  const seq = await forge(stack.db, () => null);
  const refused = await u('auditor').get('/v1/audit/checkpoint');
  expect([refused.status, refused.body.details[0].unsigned.seqs]).toEqual([409, [seq]]);
  expect((await u('auditor').get('/v1/audit/verify')).body.unsignedRecords.seqs).toEqual([seq]);
  const acknowledge = (seqs: number[]) =>
    u('audit_admin').post('/v1/audit/forged-records/acknowledgements', {
      seqs,
      reason: '经核查，该记录系测试中直接写入数据库，予以确认。',
    });
  expect((await acknowledge([1])).status).toBe(422);
  expect((await acknowledge([seq])).status).toBe(201);
  expect((await acknowledge([seq])).status).toBe(409);
  expect((await u('audit_admin').post('/v1/audit/forged-records/acknowledgements', { seqs: [seq] })).status).toBe(400);
  expect((await u('auditor').get('/v1/audit/checkpoint')).status).toBe(200);
  expect((await u('auditor').get('/v1/audit/verify')).body.acknowledgedRecords).toHaveLength(1);
});

it('left no operation unanswered and no answer off the document', () => {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    ['get', 'put', 'post', 'patch', 'delete'].filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`),
  );
  expect([...problems].sort()).toEqual([]);
  expect(operations.filter((op) => !answered.has(op))).toEqual([]);
});
