import { AnyJson } from './support/api-client';
import { County, seedCounty, until } from './support/county';
import { recordHistory } from './support/histories';
import { createSubmitted, forwardAndApprove, refuseImplementations, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Deciding as a county decides (docs/domain.md, "Who decides"): the office director decides what the office
// may, with numbers from its own series; a request too few can vote on goes up; the forward checks the rules
// again and waits for the units the change takes from; implementation that fails for good stalls visibly
// and goes through when the office retries.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;
const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

async function get(id: string): Promise<AnyJson> {
  const res = await u('auditor').get(`/v1/change-requests/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function waiting(name: string, requestId: string): Promise<string[]> {
  const res = await u(name).get('/v1/work-items');
  expect(res.status).toBe(200);
  return (res.body.items as AnyJson[]).filter((i) => i.requestId === requestId).map((i) => i.action);
}

const useQuota = (count: number) => ({
  type: 'USE_QUOTA',
  unitId: c.units.housing,
  payload: { unitId: c.units.housing, category: 'ADMIN', count },
});

describe('the office decides (编办主任办公会议)', () => {
  it('takes a USE_QUOTA within the actual vacancy to the office director, numbered from the 编用 series', async () => {
    const id = await createSubmitted(c, 'clerk_housing', useQuota(1));
    expect((await get(id)).decidedBy).toBe('OFFICE');
    const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(fwd.status).toBe(200);
    expect(fwd.body).toMatchObject({ status: 'office_decision', decidedBy: 'OFFICE', eligibleMembers: [] });

    // No committee vote: the members have nothing to do, the director has it waiting.
    expect(await waiting('member3', id)).toEqual([]);
    expect(await waiting('director', id)).toEqual(['decide']);
    const vote = await u('member3').post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
    expect(vote.status).toBe(409);
    expect(vote.body.code).toBe('WRONG_STAGE');
    const reviewer = await u('reviewer').post(`/v1/change-requests/${id}/decide`, { decision: 'approve' });
    expect(reviewer.status).toBe(403);

    // A rejection says why; an approval need not.
    const noReason = await u('director').post(`/v1/change-requests/${id}/decide`, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([expect.objectContaining({ field: 'comment' })]);
    const decided = await u('director').post(`/v1/change-requests/${id}/decide`, {
      decision: 'approve',
      comment: '同意使用空编1名',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.officeDecision).toMatchObject({ approved: true, comment: '同意使用空编1名', by: 'director' });
    const done = await settled(c, id);
    expect(done.body).toMatchObject({ status: 'implemented', documentNumber: `清编用〔${year}〕1号` });
    const trail = await u('auditor').get(`/v1/change-requests/${id}/audit`);
    expect((trail.body as AnyJson[]).map((r) => r.action)).toEqual([
      'created',
      'submitted',
      'forwarded',
      'office_approved',
      'implemented',
      'document_issued', // the 编制使用通知
    ]);
    await recordHistory(stack.temporalAddress, id, 'office-decision-approved');
  });

  it('keeps each series gap-free: the committee series starts at 1 beside the office series', async () => {
    const committee = await createSubmitted(c, 'clerk_housing', {
      type: 'ADD_NAME_PLATE',
      unitId: c.units.housing,
      payload: { unitId: c.units.housing, namePlate: '县人民防空办公室' },
    });
    const second = await createSubmitted(c, 'clerk_housing', useQuota(1));
    await forwardAndApprove(c, committee);
    const fwd = await u('reviewer').post(`/v1/change-requests/${second}/review`, { decision: 'forward' });
    expect(fwd.body.status).toBe('office_decision');
    await u('director').post(`/v1/change-requests/${second}/decide`, { decision: 'approve' });
    const [a, b] = [await settled(c, committee), await settled(c, second)];
    expect(a.body).toMatchObject({ decidedBy: 'COMMITTEE', documentNumber: `清编〔${year}〕1号` });
    expect(b.body).toMatchObject({ decidedBy: 'OFFICE', documentNumber: `清编用〔${year}〕2号` });
  });

  it('ends a request the director rejects, with the reason, and no number', async () => {
    // The housing bureau's actual vacancy (2) is taken by the two above: the health bureau's (1) asks.
    const id = await createSubmitted(c, 'clerk_health', {
      type: 'USE_QUOTA',
      unitId: c.units.health,
      payload: { unitId: c.units.health, category: 'ADMIN', count: 1 },
    });
    await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    const rejected = await u('director').post(`/v1/change-requests/${id}/decide`, {
      decision: 'reject',
      comment: '年度用编计划已满',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      documentNumber: null,
      rejection: { stage: 'office_decision', reason: '年度用编计划已满' },
    });
  });
});

describe('the forward', () => {
  const transfer = (count: number) => ({
    type: 'TRANSFER_QUOTA',
    unitId: c.units.housing,
    payload: {
      lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count }],
    },
  });

  it('checks the rules again against the registry now: refused, rules named, left in demonstration', async () => {
    // Each alone fits the housing bureau's vacancy (4); the first implemented leaves too little for the second.
    const first = await createSubmitted(c, 'clerk_housing', transfer(3));
    const second = await createSubmitted(c, 'clerk_housing', transfer(3));
    await forwardAndApprove(c, first);
    expect((await settled(c, first)).body.status).toBe('implemented');
    const fwd = await u('reviewer').post(`/v1/change-requests/${second}/review`, { decision: 'forward' });
    expect(fwd.status).toBe(422);
    expect(fwd.body).toMatchObject({ code: 'RULE_VIOLATION' });
    expect(fwd.body.details).toEqual([
      expect.objectContaining({ rule: 'QUOTA_INSUFFICIENT', unitId: c.units.housing, category: 'PUBLIC_INSTITUTION' }),
    ]);
    expect((await get(second)).status).toBe('demonstration');
    // The reviewer returns it for revision instead.
    const ret = await u('reviewer').post(`/v1/change-requests/${second}/review`, {
      decision: 'return',
      comment: '空编不足，请调整数量',
    });
    expect(ret.body.status).toBe('returned');
  });

  it('waits for a unit the change takes from to be heard (CONSULTATION_PENDING), then goes', async () => {
    const id = await createSubmitted(c, 'clerk_health', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.health,
      payload: { lines: [{ fromUnitId: c.units.finance, toUnitId: c.units.health, category: 'ADMIN', count: 1 }] },
    });
    const submitted = await get(id);
    expect(submitted.consultations).toEqual([
      expect.objectContaining({ unitId: c.units.finance, round: 1, automatic: true }),
    ]);
    // The giving unit is told, and may now see the request.
    expect(await waiting('consultee_finance', id)).toEqual(['answer_consultation']);
    const early = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CONSULTATION_PENDING');
    const answer = await u('consultee_finance').post(`/v1/change-requests/${id}/opinions`, {
      position: 'agree',
      comment: '同意划出1名',
    });
    expect(answer.status).toBe(200);
    const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(fwd.status).toBe(200);
    expect(fwd.body.status).toBe('committee');
    for (const m of fwd.body.eligibleMembers as { username: string }[])
      await u(m.username).post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
    expect((await settled(c, id)).body.status).toBe('implemented');
    await recordHistory(stack.temporalAddress, id, 'giving-unit-heard-then-forwarded');
  });
});

describe('too few to vote', () => {
  it('refers a request when fewer than three members would be eligible: no vote opens', async () => {
    // Two members leave the committee: of the three left, the health bureau's head recuses on its request.
    for (const name of ['member4', 'member5'])
      expect((await c.admin.patch(`/v1/users/${c.users[name].id}`, { disabled: true })).status).toBe(200);
    try {
      const id = await createSubmitted(c, 'clerk_health', {
        type: 'ADD_NAME_PLATE',
        unitId: c.units.health,
        payload: { unitId: c.units.health, namePlate: '县爱国卫生运动委员会办公室' },
      });
      const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
      expect(fwd.status).toBe(200);
      expect(fwd.body).toMatchObject({ status: 'awaiting_higher_approval', eligibleMembers: [] });
      expect(fwd.body.referralReasons).toEqual(expect.arrayContaining([expect.stringMatching(/^TOO_FEW_ELIGIBLE/)]));
      expect(await waiting('liaison', id)).toEqual(['higher_decision']);
      const decided = await u('liaison').post(`/v1/change-requests/${id}/higher-decision`, {
        approved: true,
        documentNumber: '市编办〔2026〕12号',
        comment: '同意',
      });
      expect(decided.status).toBe(200);
      expect((await settled(c, id)).body.status).toBe('implemented');
      const trail = await u('auditor').get(`/v1/change-requests/${id}/audit`);
      expect((trail.body as AnyJson[]).map((r) => r.action)).toContain('referred');
      await recordHistory(stack.temporalAddress, id, 'referred-too-few-eligible');
    } finally {
      for (const name of ['member4', 'member5'])
        await c.admin.patch(`/v1/users/${c.users[name].id}`, { disabled: false });
    }
  });
});

describe('a stalled implementation', () => {
  it('stalls visibly when the database refuses the change, and goes through once when the office retries', async () => {
    // The database refuses every implementation while this trigger stands (a constraint an operator added,
    // say): a failure retrying cannot cure.
    const refusal = await refuseImplementations(stack.ownerDb, 'implementations are frozen for the audit');
    try {
      const id = await createSubmitted(c, 'clerk_housing', {
        type: 'ADD_NAME_PLATE',
        unitId: c.units.housing,
        payload: { unitId: c.units.housing, namePlate: '县城市管理综合执法大队' },
      });
      await forwardAndApprove(c, id);
      const stalled = await until(
        'the stall',
        () => get(id),
        (r) => !!r.stalled,
      );
      expect(stalled).toMatchObject({ status: 'implementing', documentNumber: null });
      expect(stalled.stalled).toMatchObject({ step: 'implementation' });
      expect(stalled.stalled.reason).toMatch(/SQLSTATE 23514.*frozen for the audit/);
      expect(await waiting('director', id)).toEqual(['retry']);
      const unit = await u('auditor').get(`/v1/units/${c.units.housing}`);
      expect(unit.body.namePlates).not.toContain('县城市管理综合执法大队');

      // Retried before the cause is put right: it stalls again, and says so.
      const again = await u('director').post(`/v1/change-requests/${id}/retry`, { comment: '重试' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'implementing', stalled: { step: 'implementation' } });

      await refusal.lift();
      const retried = await u('director').post(`/v1/change-requests/${id}/retry`, { comment: '冻结已解除' });
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ status: 'implemented', stalled: null });
      expect(retried.body.documentNumber).toMatch(/^清编〔\d{4}〕\d+号$/);
      const nothing = await u('director').post(`/v1/change-requests/${id}/retry`, {});
      expect(nothing.status).toBe(409);
      // Then its 批复, issued by the workflow after the answer.
      const audit = await until(
        'the 批复',
        () => u('auditor').get(`/v1/change-requests/${id}/audit`),
        (r) => (r.body as AnyJson[]).some((x) => x.action === 'document_issued'),
      );
      expect((audit.body as AnyJson[]).map((r) => r.action).slice(-6)).toEqual([
        'implementation_stalled',
        'implementation_retried',
        'implementation_stalled',
        'implementation_retried',
        'implemented',
        'document_issued',
      ]);
      const verify = await u('auditor').get('/v1/audit/verify');
      expect(verify.body.valid).toBe(true);
      await recordHistory(stack.temporalAddress, id, 'implementation-stalled-then-retried');
    } finally {
      await refusal.lift();
    }
  });
});
