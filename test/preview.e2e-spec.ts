import { County, seedCounty } from './support/county';
import { startStack, Stack } from './support/stack';

// A change request's preview for the console's form: the diff, the rules broken (returned, not thrown), who
// decides and why it would go up; nothing is created or recorded.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const clerk = () => c.users.clerk_housing.api;
const counts = async () =>
  (
    await stack.db.query(
      `SELECT (SELECT count(*) FROM change_requests)::int AS requests,
              (SELECT count(*) FROM audit_records)::int AS audit`,
    )
  )[0];

describe('POST /v1/change-requests/preview', () => {
  it('answers the diff a valid change would make, with no violation, and creates nothing', async () => {
    const before = await counts();
    const res = await clerk().post('/v1/change-requests/preview', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      payload: {
        lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 4 }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ violations: [], decidedBy: 'COMMITTEE', referralReasons: [] });
    expect(res.body.diff).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ unitId: c.units.housing, field: 'quotas.PUBLIC_INSTITUTION', before: 10, after: 6 }),
        expect.objectContaining({ unitId: c.units.cdc, field: 'quotas.PUBLIC_INSTITUTION', before: 30, after: 34 }),
      ]),
    );
    expect(await counts()).toEqual(before);
  });

  it('returns the rules a change would break instead of refusing it (422 is for creation)', async () => {
    const body = {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      payload: {
        lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 5 }],
      },
    };
    const res = await clerk().post('/v1/change-requests/preview', body);
    expect(res.status).toBe(200);
    expect(res.body.violations.map((v: { rule: string }) => v.rule)).toContain('QUOTA_INSUFFICIENT');
    expect(res.body.violations[0]).toEqual(expect.objectContaining({ message: expect.any(String) }));
    const created = await clerk().post('/v1/change-requests', {
      ...body,
      title: 't',
      justification: 'j',
      submit: true,
    });
    expect([created.status, created.body.code]).toEqual([422, 'RULE_VIOLATION']);
    expect(created.body.details.map((v: { rule: string }) => v.rule)).toEqual(
      res.body.violations.map((v: { rule: string }) => v.rule),
    );
  });

  it('names why a change would go to the higher office (referralReasons)', async () => {
    const res = await clerk().post('/v1/change-requests/preview', {
      type: 'CHANGE_GRADE',
      unitId: c.units.housing,
      payload: { unitId: c.units.housing, grade: 'DEPUTY_COUNTY' },
    });
    expect(res.status).toBe(200);
    expect(res.body.referralReasons).toEqual([
      'changes a grade at or to 副处 or above',
      'regrades a 党政群机关 (party, government or mass body)',
    ]);
    expect(res.body.diff).toEqual([
      expect.objectContaining({ unitId: c.units.housing, field: 'grade', before: 'SECTION', after: 'DEPUTY_COUNTY' }),
    ]);
  });

  it('names the office as decider of a use of quota within the unit’s vacancy, the committee beyond it', async () => {
    // 县住建局: PUBLIC_INSTITUTION approved 10, occupied 6, none pending: 4 vacant.
    const use = (count: number) =>
      clerk().post('/v1/change-requests/preview', {
        type: 'USE_QUOTA',
        unitId: c.units.housing,
        payload: { unitId: c.units.housing, category: 'PUBLIC_INSTITUTION', count },
      });
    const within = await use(4);
    expect(within.body).toMatchObject({ violations: [], decidedBy: 'OFFICE' });
    const beyond = await use(5);
    expect(beyond.body.decidedBy).toBe('COMMITTEE');
  });

  it('validates the payload as creation does (400 naming the field), and the unit (403)', async () => {
    const bad = await clerk().post('/v1/change-requests/preview', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'NOPE', count: -1 }] },
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['payload.lines[0].category', 'payload.lines[0].count']));
    const sameAtCreation = await clerk().post('/v1/change-requests', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      title: 't',
      justification: 'j',
      payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'NOPE', count: -1 }] },
    });
    expect(sameAtCreation.body.details).toEqual(bad.body.details);
    const noType = await clerk().post('/v1/change-requests/preview', { unitId: c.units.housing, payload: {} });
    expect([noType.status, noType.body.details[0].field]).toEqual([400, 'type']);
    const other = await clerk().post('/v1/change-requests/preview', {
      type: 'RENAME_UNIT',
      unitId: c.units.health,
      payload: { unitId: c.units.health, newName: 'x' },
    });
    expect([other.status, other.body.code]).toEqual([403, 'NOT_YOUR_UNIT']);
    const reviewer = await c.users.reviewer.api.post('/v1/change-requests/preview', {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      payload: { unitId: c.units.housing, newName: 'x' },
    });
    expect([reviewer.status, reviewer.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('is routed to the preview, not to a request id, and described in the OpenAPI document', async () => {
    // GET on the same path is the `:id` route, which refuses a non-UUID: the preview is POST only.
    expect((await clerk().get('/v1/change-requests/preview')).status).toBe(400);
    const doc = (await stack.api.get('/docs-json')).body;
    const op = doc.paths['/v1/change-requests/preview'].post;
    expect(op.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/PreviewResponse');
    expect(Object.keys(doc.components.schemas.PreviewResponse.properties).sort()).toEqual([
      'decidedBy',
      'diff',
      'referralReasons',
      'violations',
    ]);
  });
});
