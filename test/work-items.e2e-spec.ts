import { AnyJson } from './support/api-client';
import { addUser, County, INITIAL_PASSWORD, PASSWORD, seedCounty, until } from './support/county';
import { createSubmitted, forwardAndApprove, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The console's work lists (待办 / 已办): what waits for each role now, derived from the read model, and what
// each user has acted on, from the audit trail.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;

async function waiting(name: string): Promise<AnyJson[]> {
  const res = await u(name).get('/v1/work-items');
  expect(res.status).toBe(200);
  expect(res.body.total).toBe(res.body.items.length);
  return res.body.items;
}

/** The caller's items for one request, as `action` strings. */
async function actionsOn(name: string, requestId: string): Promise<string[]> {
  return (await waiting(name)).filter((i) => i.requestId === requestId).map((i) => i.action);
}

const rename = (unit: string, newName: string) => ({
  type: 'RENAME_UNIT',
  unitId: c.units[unit],
  payload: { unitId: c.units[unit], newName },
});

describe('what waits (待办)', () => {
  let draftId: string;
  let id: string;

  it("gives a clerk its unit's drafts to submit, and nothing of another unit", async () => {
    const draft = await u('clerk_housing').post('/v1/change-requests', {
      ...rename('housing', '县住房和城乡建设管理局'),
      title: '更名',
      justification: '理由',
    });
    expect(draft.status).toBe(201);
    draftId = draft.body.id;
    const items = await waiting('clerk_housing');
    expect(items).toEqual([
      {
        requestId: draftId,
        title: '更名',
        type: 'RENAME_UNIT',
        status: 'draft',
        unitId: c.units.housing,
        unitName: '县住房和城乡建设局',
        action: 'submit',
        overdue: false,
        since: draft.body.createdAt,
      },
    ]);
    expect(await actionsOn('clerk_health', draftId)).toEqual([]);
    expect(await actionsOn('reviewer', draftId)).toEqual([]);
  });

  it('gives reviewers a submitted request to review, and consultees of asked units their opinion to give', async () => {
    id = await createSubmitted(c, 'clerk_housing', rename('housing', '县城乡建设局'));
    expect(await actionsOn('reviewer', id)).toEqual(['review']);
    expect(await actionsOn('reviewer2', id)).toEqual(['review']);
    expect(await actionsOn('clerk_housing', id)).toEqual([]);
    const dueAt = new Date(Date.now() + 3 * 86400_000).toISOString();
    const asked = await u('reviewer').post(`/v1/change-requests/${id}/consultations`, {
      unitIds: [c.units.finance],
      dueAt,
    });
    expect(asked.status).toBe(200);
    const [item] = (await waiting('consultee_finance')).filter((i) => i.requestId === id);
    expect(item).toMatchObject({ action: 'answer_consultation', dueAt, overdue: false, status: 'demonstration' });
    expect(item.since).toBe(asked.body.consultations[0].requestedAt);
    expect(await actionsOn('consultee_hr', id)).toEqual([]);
    const answered = await u('consultee_finance').post(`/v1/change-requests/${id}/opinions`, {
      position: 'agree',
      comment: '同意',
    });
    expect(answered.status).toBe(200);
    expect(await actionsOn('consultee_finance', id)).toEqual([]);
    expect(await actionsOn('reviewer', id)).toEqual(['review']);
  });

  it('marks a consultation past its due time as overdue (催办)', async () => {
    const other = await createSubmitted(c, 'clerk_health', rename('health', '县卫生健康委员会'));
    await u('reviewer').post(`/v1/change-requests/${other}/consultations`, {
      unitIds: [c.units.hr],
      dueAt: new Date(Date.now() + 86400_000).toISOString(),
    });
    // The read model as it stands between the due time and the workflow's record of the lapse.
    const past = new Date(Date.now() - 3600_000).toISOString();
    await stack.db.query(
      `UPDATE change_requests SET procedure = jsonb_set(procedure, '{consultations,0,dueAt}', to_jsonb($2::text))
       WHERE id = $1`,
      [other, past],
    );
    const [item] = (await waiting('consultee_hr')).filter((i) => i.requestId === other);
    expect(item).toMatchObject({ action: 'answer_consultation', dueAt: past, overdue: true });
  });

  it('gives the clerk a returned request to revise, and the reviewer nothing until it is revised', async () => {
    const returned = await u('reviewer').post(`/v1/change-requests/${id}/review`, {
      decision: 'return',
      comment: '请补充三定方案',
    });
    expect(returned.status).toBe(200);
    const [item] = (await waiting('clerk_housing')).filter((i) => i.requestId === id);
    expect(item).toMatchObject({ action: 'revise', status: 'returned', since: returned.body.returns[0].at });
    expect(await actionsOn('reviewer', id)).toEqual([]);
    const revised = await u('clerk_housing').post(`/v1/change-requests/${id}/revise`, { comment: '已补充' });
    expect(revised.status).toBe(200);
    expect(await actionsOn('clerk_housing', id)).toEqual([]);
    expect(await actionsOn('reviewer', id)).toEqual(['review']);
  });

  it('gives eligible members a vote until they have voted, and the chair the close', async () => {
    const forwarded = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(forwarded.status).toBe(200);
    const deadline = forwarded.body.deadlines.vote;
    const [item] = (await waiting('member3')).filter((i) => i.requestId === id);
    expect(item).toMatchObject({ action: 'vote', dueAt: new Date(deadline).toISOString(), overdue: false });
    expect(await actionsOn('member4', id)).toEqual(['vote']);
    expect(await actionsOn('chair', id)).toEqual(['close_vote']);
    expect(await actionsOn('reviewer', id)).toEqual([]);
    expect((await u('member3').post(`/v1/change-requests/${id}/votes`, { vote: 'approve' })).status).toBe(200);
    // The ballot's answer may come before its record: wait for the read model.
    await until(
      'the ballot in the read model',
      () => actionsOn('member3', id),
      (a) => a.length === 0,
    );
    expect(await actionsOn('member4', id)).toEqual(['vote']);
  });

  it("keeps a user's own request out of its review and vote lists (separation of duties)", async () => {
    // A reviewer is never also a clerk (三员分立 and separation of duties): a clerk who sits on the committee.
    const refused = await c.admin.post('/v1/users', {
      username: 'hats',
      password: INITIAL_PASSWORD,
      displayName: '身兼数职',
      roles: ['clerk', 'reviewer', 'committee_member'],
      unitId: c.units.natres,
    });
    expect([refused.status, refused.body.code]).toEqual([400, 'ROLE_CONFLICT']);
    const created = await addUser(stack, c.admin, {
      username: 'hats',
      displayName: '身兼数职',
      roles: ['clerk', 'committee_member'],
      unitId: c.units.natres,
    });
    const hats = created.api;
    const own = await hats.post('/v1/change-requests', {
      ...rename('natres', '县自然资源和规划局'),
      title: 't',
      justification: 'j',
      submit: true,
    });
    expect(own.status).toBe(201);
    const items = (await hats.get('/v1/work-items')).body.items;
    expect(items.filter((i: AnyJson) => i.requestId === own.body.id)).toEqual([]);
    // Off the committee again, so that the votes below need only the county's members.
    expect((await c.admin.patch(`/v1/users/${created.id}`, { disabled: true })).status).toBe(200);
  });

  it('gives the higher liaison what awaits the higher approval, and lists oldest first', async () => {
    const up = await createSubmitted(c, 'clerk_health', {
      type: 'CHANGE_GRADE',
      unitId: c.units.health,
      payload: { unitId: c.units.health, grade: 'DEPUTY_COUNTY' },
    });
    await forwardAndApprove(c, up);
    expect((await settled(c, up)).body.status).toBe('awaiting_higher_approval');
    expect(await actionsOn('liaison', up)).toEqual(['higher_decision']);
    for (const name of ['reviewer', 'member4', 'liaison', 'clerk_housing']) {
      const since = (await waiting(name)).map((i) => i.since);
      expect(since).toEqual([...since].sort());
    }
    expect(await waiting('auditor')).toEqual([]);
  });
});

describe('what was done (已办)', () => {
  it("lists the requests a user acted on, newest first, with its last action and the request's status", async () => {
    const mine = await u('clerk_police').post('/v1/change-requests', {
      ...rename('police', '县公安局交警大队'),
      title: 'a',
      justification: 'j',
    });
    const later = await createSubmitted(c, 'clerk_police', rename('police', '县公安分局'));
    const done = await u('clerk_police').get('/v1/work-items/done');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(done.body.items).toEqual([
      expect.objectContaining({ requestId: later, action: 'submitted', status: 'demonstration' }),
      expect.objectContaining({
        requestId: mine.body.id,
        action: 'created',
        status: 'draft',
        unitId: c.units.police,
        unitName: '县公安局',
      }),
    ]);
    const second = await u('clerk_police').get('/v1/work-items/done?page=2&pageSize=1');
    expect(second.body.items.map((i: AnyJson) => i.requestId)).toEqual([mine.body.id]);
    expect(second.body.total).toBe(2);
    // Another's action changes the status shown, not the caller's last action.
    await u('reviewer').post(`/v1/change-requests/${later}/review`, { decision: 'reject', comment: '不符合规定' });
    const after = (await u('clerk_police').get('/v1/work-items/done')).body.items[0];
    expect(after).toMatchObject({ requestId: later, action: 'submitted', status: 'rejected' });
    const reviewer = (await u('reviewer').get('/v1/work-items/done?pageSize=200')).body.items;
    expect(reviewer.find((i: AnyJson) => i.requestId === later)).toMatchObject({ action: 'rejected' });
    expect((await u('clerk_police').get('/v1/work-items/done?pageSize=0')).status).toBe(400);
    expect((await u('auditor').get('/v1/work-items/done')).body).toMatchObject({ items: [], total: 0 });
  });

  it("drops what a user may no longer see: a clerk moved to another unit keeps none of the old unit's", async () => {
    const id = await createSubmitted(c, 'clerk_poverty', rename('poverty', '县乡村振兴局'));
    const before = (await u('clerk_poverty').get('/v1/work-items/done?pageSize=200')).body;
    expect(before.items.map((i: AnyJson) => i.requestId)).toContain(id);
    const moved = await c.admin.patch(`/v1/users/${c.users.clerk_poverty.id}`, { unitId: c.units.police });
    expect(moved.status).toBe(200);
    const fresh = await stack.api.login('clerk_poverty', PASSWORD);
    const after = (await fresh.get('/v1/work-items/done?pageSize=200')).body;
    expect(after.items.map((i: AnyJson) => i.requestId)).not.toContain(id);
    expect(after.total).toBe(after.items.length);
    expect((await fresh.get(`/v1/change-requests/${id}`)).status).toBe(404);
  });
});

it('describes both lists in the OpenAPI document', async () => {
  const doc = (await stack.api.get('/docs-json')).body;
  const schemaOf = (p: string) => doc.paths[p].get.responses['200'].content['application/json'].schema.$ref;
  expect(schemaOf('/v1/work-items')).toBe('#/components/schemas/WorkItemsResponse');
  expect(schemaOf('/v1/work-items/done')).toBe('#/components/schemas/DoneItemsResponse');
  expect(doc.components.schemas.WorkItemResponse.properties.action.enum).toEqual([
    'submit',
    'revise',
    'review',
    'answer_consultation',
    'vote',
    'close_vote',
    'decide',
    'higher_decision',
    'retry',
  ]);
});
