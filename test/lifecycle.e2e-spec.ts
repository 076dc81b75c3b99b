import { County, seedCounty, until } from './support/county';
import { Client, Connection } from '@temporalio/client';
import { workflowIdFor } from '@bianzhi/workflows';
import { recordHistory } from './support/histories';
import { startStack, Stack } from './support/stack';

// The four-stage procedure end to end, through HTTP, on real Temporal and real PostgreSQL.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;

async function unit(id: string) {
  return (await c.admin.get(`/v1/units/${id}`)).body;
}

/** Drafts and submits, then forwards to the committee; returns the request id. */
async function toCommittee(clerk: string, body: object): Promise<string> {
  const created = await u(clerk).post('/v1/change-requests', { ...body, submit: true });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('demonstration');
  const forwarded = await u('reviewer').post(`/v1/change-requests/${created.body.id}/review`, {
    decision: 'forward',
    comment: '符合规定，提请编委会审议',
  });
  expect(forwarded.status).toBe(200);
  expect(forwarded.body.status).toBe('committee');
  return created.body.id;
}

/**
 * The higher authority approves a request the committee passed that goes up (报批: the renaming of a 党政群机关,
 * docs/domain.md "Who decides"); returns the request as it waited.
 */
async function higherApprove(id: string) {
  const waiting = await until(
    'awaiting higher approval',
    () => u('liaison').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'awaiting_higher_approval',
  );
  const decided = await u('liaison').post(`/v1/change-requests/${id}/higher-decision`, {
    approved: true,
    documentNumber: '市编〔2026〕21号',
    comment: '同意',
  });
  expect(decided.status).toBe(200);
  return waiting.body;
}

async function approveBy(id: string, members: string[]) {
  for (const m of members) {
    const res = await u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve', comment: '同意' });
    expect(res.status).toBe(200);
  }
}

describe('happy paths', () => {
  it('TRANSFER_QUOTA: consultations, forward, vote, implementation with a document number', async () => {
    const before = { housing: await unit(c.units.housing), cdc: await unit(c.units.cdc) };
    const created = await u('clerk_housing').post('/v1/change-requests', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      title: '调剂5名事业编制补充到县疾病预防控制中心',
      justification: '加强疫情防控及健康教育工作',
      payload: {
        lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 4 }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', type: 'TRANSFER_QUOTA' });
    const id = created.body.id;
    expect(created.body.diff).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ unitId: c.units.cdc, field: 'quotas.PUBLIC_INSTITUTION', before: 30, after: 34 }),
      ]),
    );

    const submitted = await u('clerk_housing').post(`/v1/change-requests/${id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('demonstration');

    const dueAt = new Date(Date.now() + 3 * 86400_000).toISOString();
    const asked = await u('reviewer').post(`/v1/change-requests/${id}/consultations`, {
      unitIds: [c.units.finance, c.units.hr],
      dueAt,
    });
    expect(asked.status).toBe(200);
    expect(asked.body.consultations).toHaveLength(2);
    expect(
      (
        await u('consultee_finance').post(`/v1/change-requests/${id}/opinions`, {
          position: 'agree',
          comment: '同意，经费已落实',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await u('consultee_hr').post(`/v1/change-requests/${id}/opinions`, {
          position: 'conditional',
          comment: '原则同意',
        })
      ).status,
    ).toBe(200);

    const forwarded = await u('reviewer').post(`/v1/change-requests/${id}/review`, {
      decision: 'forward',
      comment: '提请审议',
    });
    expect(forwarded.body.status).toBe('committee');
    expect(forwarded.body.tally).toMatchObject({ eligible: 5, approve: 0 });

    await approveBy(id, ['member_health', 'member_org', 'member3']);
    const last = await u('member4').post(`/v1/change-requests/${id}/votes`, { vote: 'reject' });
    expect(last.body.tally).toMatchObject({ eligible: 5, approve: 3, reject: 1 });
    await u('member5').post(`/v1/change-requests/${id}/votes`, { vote: 'abstain' });

    const done = await until(
      'implemented, its 批复 issued',
      () => u('clerk_housing').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented' && r.body.documents.length === 1,
    );
    expect(done.body.documentNumber).toMatch(/^清编〔\d{4}〕\d+号$/);
    const after = { housing: await unit(c.units.housing), cdc: await unit(c.units.cdc) };
    expect(after.housing.quotas.PUBLIC_INSTITUTION).toBe(before.housing.quotas.PUBLIC_INSTITUTION - 4);
    expect(after.cdc.quotas.PUBLIC_INSTITUTION).toBe(before.cdc.quotas.PUBLIC_INSTITUTION + 4);

    const audit = await u('auditor').get(`/v1/change-requests/${id}/audit`);
    expect(audit.body.map((r: { action: string }) => r.action)).toEqual([
      'created',
      'submitted',
      'consultations_requested',
      'opinion_given',
      'opinion_given',
      'forwarded',
      'voted',
      'voted',
      'voted',
      'voted',
      'voted',
      'vote_closed_approved',
      'implemented',
      'document_issued', // the 批复
    ]);
    expect((await u('auditor').get('/v1/audit/verify')).body).toMatchObject({ valid: true });
    await recordHistory(stack.temporalAddress, id, 'transfer-quota-with-consultations');

    // Operators find it in Temporal's own listing too, by the search attributes the workflow keeps.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const query =
        'BianzhiStatus = "implemented" AND BianzhiRequestType = "TRANSFER_QUOTA" ' +
        `AND BianzhiUnit = "${c.units.housing}"`;
      const found = await until(
        'visibility',
        async () => {
          const ids = [];
          for await (const w of new Client({ connection }).workflow.list({ query })) ids.push(w.workflowId);
          return ids;
        },
        (ids) => ids.includes(workflowIdFor(id)),
      );
      expect(found).toContain(workflowIdFor(id));
    } finally {
      await connection.close();
    }
  });
});

describe('happy paths of the other first types', () => {
  it("ADJUST_QUOTA raises a unit's quota from the county's free quota", async () => {
    const summaryBefore = (await c.admin.get('/v1/establishment/summary')).body;
    const id = await toCommittee('clerk_health', {
      type: 'ADJUST_QUOTA',
      unitId: c.units.health,
      title: '核增行政编制2名',
      justification: '职能增加',
      payload: { unitId: c.units.health, category: 'ADMIN', delta: 2 },
    });
    // member_health leads the requesting unit: recused, so four vote.
    await approveBy(id, ['member_org', 'member3', 'member4', 'member5']);
    const done = await until(
      'implemented',
      () => u('clerk_health').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
    );
    expect(done.body.tally).toMatchObject({ eligible: 4, approve: 4 });
    expect((await unit(c.units.health)).quotas.ADMIN).toBe(17);
    const summaryAfter = (await c.admin.get('/v1/establishment/summary')).body;
    expect(summaryAfter.categories.ADMIN.free).toBe(summaryBefore.categories.ADMIN.free - 2);
    expect(summaryAfter.categories.ADMIN.total).toBe(summaryBefore.categories.ADMIN.total);
  });

  it('ESTABLISH_UNIT sets up a unit under the United Front department', async () => {
    const id = await toCommittee('clerk_united', {
      type: 'ESTABLISH_UNIT',
      unitId: c.units.united,
      title: '设立县统战服务中心',
      justification: '巩固和发展爱国统一战线工作',
      payload: {
        name: '县统战服务中心',
        kind: 'PUBLIC_INSTITUTION',
        grade: 'DEPUTY_SECTION',
        parentId: c.units.united,
        funding: 'FULL',
        quotas: { PUBLIC_INSTITUTION: 4 },
        leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 0 }],
      },
    });
    await approveBy(id, ['member_health', 'member_org', 'member3', 'member4']);
    await u('chair').post(`/v1/change-requests/${id}/close-vote`);
    const done = await until(
      'implemented',
      () => u('clerk_united').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
      60_000,
    );
    const created = (await c.admin.get(`/v1/units?q=${encodeURIComponent('县统战服务中心')}`)).body.items;
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      kind: 'PUBLIC_INSTITUTION',
      grade: 'DEPUTY_SECTION',
      parentId: c.units.united,
      funding: 'FULL',
      quotas: expect.objectContaining({ PUBLIC_INSTITUTION: 4 }),
    });
    expect(done.body.followUps.join(' ')).toContain('事业单位设立登记');
  });

  it('RENAME_UNIT renames 扶贫开发局 to 乡村振兴局', async () => {
    const id = await toCommittee('clerk_poverty', {
      type: 'RENAME_UNIT',
      unitId: c.units.poverty,
      title: '县扶贫开发局重组为县乡村振兴局',
      justification: '巩固拓展脱贫攻坚成果同乡村振兴有效衔接',
      payload: { unitId: c.units.poverty, newName: '县乡村振兴局' },
    });
    await approveBy(id, ['member_health', 'member_org', 'member3', 'member4', 'member5']);
    // A government bureau's renaming goes up (报批) after the county committee.
    expect((await higherApprove(id)).higherApprovalReasons).toEqual([
      'renames a 党政群机关 (party, government or mass body)',
    ]);
    await until(
      'implemented',
      () => u('clerk_poverty').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
    );
    expect((await unit(c.units.poverty)).name).toBe('县乡村振兴局');
  });
});

describe('the other paths of the procedure', () => {
  const renameBody = (name: string) => ({
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: `更名为${name}`,
    justification: '机构改革',
    payload: { unitId: c.units.housing, newName: name },
  });

  it('returns twice for revision, then approves', async () => {
    const created = await u('clerk_housing').post('/v1/change-requests', {
      ...renameBody('县住房和城乡建设管理局'),
      submit: true,
    });
    const id = created.body.id;
    for (let round = 1; round <= 2; round++) {
      const returned = await u('reviewer').post(`/v1/change-requests/${id}/review`, {
        decision: 'return',
        comment: `第${round}次退回：请补充三定方案`,
      });
      expect(returned.body.status).toBe('returned');
      const revised = await u('clerk_housing').post(`/v1/change-requests/${id}/revise`, {
        justification: `补充说明${round}`,
        comment: '已补充',
        payload: { unitId: c.units.housing, newName: `县住房和城乡建设管理局${round}` },
      });
      expect(revised.status).toBe(200);
      expect(revised.body).toMatchObject({
        status: 'demonstration',
        round: round + 1,
        justification: `补充说明${round}`,
      });
    }
    const forwarded = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(forwarded.body.status).toBe('committee');
    await approveBy(id, ['member_health', 'member_org', 'member3']);
    await u('member4').post(`/v1/change-requests/${id}/votes`, { vote: 'abstain' });
    await u('member5').post(`/v1/change-requests/${id}/votes`, { vote: 'abstain' });
    await higherApprove(id); // the renaming of a government bureau goes up
    const done = await until(
      'implemented',
      () => u('clerk_housing').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
    );
    expect(done.body.returns).toHaveLength(2);
    expect((await unit(c.units.housing)).name).toBe('县住房和城乡建设管理局2');
    await recordHistory(stack.temporalAddress, id, 'return-revise-twice-then-approve');
    const actions = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.map(
      (r: { action: string }) => r.action,
    );
    expect(actions.filter((a: string) => a === 'returned')).toHaveLength(2);
    expect(actions.filter((a: string) => a === 'revised')).toHaveLength(2);
  });

  it('rejects at review, with the reason, and nothing changes', async () => {
    const created = await u('clerk_housing').post('/v1/change-requests', { ...renameBody('县城建局'), submit: true });
    const rejected = await u('reviewer').post(`/v1/change-requests/${created.body.id}/review`, {
      decision: 'reject',
      comment: '不符合机构限额规定',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'demonstration', reason: '不符合机构限额规定' },
    });
    expect((await unit(c.units.housing)).name).not.toBe('县城建局');
    await recordHistory(stack.temporalAddress, created.body.id, 'reject-at-review');
  });

  it('is withdrawn by the clerk during the vote', async () => {
    const id = await toCommittee('clerk_housing', renameBody('县建设局'));
    await approveBy(id, ['member3']);
    const withdrawn = await u('clerk_housing').post(`/v1/change-requests/${id}/withdraw`, {
      reason: '情况发生变化，申请撤回',
    });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawal: { reason: '情况发生变化，申请撤回' } });
    const late = await u('member4').post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('WRONG_STAGE');
    await recordHistory(stack.temporalAddress, id, 'withdraw-during-vote');
  });

  it('refuses a recused member with 403 RECUSED', async () => {
    const id = await toCommittee('clerk_health', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.health,
      title: '向县委组织部划转行政编制1名',
      justification: '职能调整',
      payload: { lines: [{ fromUnitId: c.units.health, toUnitId: c.units.org, category: 'ADMIN', count: 1 }] },
    });
    const view = (await u('auditor').get(`/v1/change-requests/${id}`)).body;
    expect(view.recusedMembers.map((m: { username: string }) => m.username).sort()).toEqual([
      'member_health',
      'member_org',
    ]);
    expect(view.tally.eligible).toBe(3);
    for (const m of ['member_health', 'member_org']) {
      const res = await u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('RECUSED');
    }
    await u('clerk_health').post(`/v1/change-requests/${id}/withdraw`, { reason: '撤回' });
  });

  it('rejects when approvals are not above half of the eligible (quorum reached)', async () => {
    const id = await toCommittee('clerk_housing', renameBody('县住建管理局'));
    await approveBy(id, ['member_health', 'member_org']);
    await u('member3').post(`/v1/change-requests/${id}/votes`, { vote: 'reject' });
    await u('member4').post(`/v1/change-requests/${id}/votes`, { vote: 'abstain' });
    const closed = await u('chair').post(`/v1/change-requests/${id}/close-vote`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'rejected',
      tally: { eligible: 5, approve: 2, reject: 1, abstain: 1, quorumReached: true, outcome: 'REJECTED' },
    });
    const closing = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.find(
      (r: { action: string }) => r.action === 'vote_closed_rejected',
    );
    expect(closing).toMatchObject({
      actor: 'chair',
      actorId: c.users.chair.id,
      role: 'committee_chair',
      comment: 'closed: chair',
    });
    await recordHistory(stack.temporalAddress, id, 'vote-rejected-by-rule');
  });

  it('goes back to demonstration when the chair closes a vote without quorum, and a later vote passes', async () => {
    const id = await toCommittee('clerk_housing', renameBody('县住房城乡建设局'));
    await approveBy(id, ['member3', 'member4']);
    const closed = await u('chair').post(`/v1/change-requests/${id}/close-vote`);
    expect(closed.body.status).toBe('demonstration');
    expect(closed.body.pastVotes[0]).toMatchObject({ outcome: 'NO_QUORUM' });
    const again = await u('reviewer').post(`/v1/change-requests/${id}/review`, {
      decision: 'forward',
      comment: '再次提请审议',
    });
    expect(again.body.status).toBe('committee');
    expect(again.body.tally).toMatchObject({ approve: 0, eligible: 5 });
    await approveBy(id, ['member3', 'member4', 'member5', 'member_org']);
    await u('chair').post(`/v1/change-requests/${id}/close-vote`);
    await higherApprove(id); // the renaming of a government bureau goes up
    await until(
      'implemented',
      () => u('clerk_housing').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
    );
    expect((await unit(c.units.housing)).name).toBe('县住房城乡建设局');
    await recordHistory(stack.temporalAddress, id, 'no-quorum-then-pass');
  });
});

describe('the higher authority', () => {
  const plBody = (count: number) => ({
    type: 'ADJUST_QUOTA',
    unitId: c.units.police,
    title: `核增政法专项编制${count}名`,
    justification: '执法任务加重',
    payload: { unitId: c.units.police, category: 'POLITICAL_LEGAL', delta: count },
  });

  it('approves a political-legal quota request after the county committee', async () => {
    const id = await toCommittee('clerk_police', plBody(2));
    await approveBy(id, ['member3', 'member4', 'member5', 'member_org']);
    await u('chair').post(`/v1/change-requests/${id}/close-vote`);
    const waiting = await until(
      'awaiting higher approval',
      () => u('liaison').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'awaiting_higher_approval',
    );
    expect(waiting.body.higherApprovalReasons.join()).toContain('政法专项编制');
    const decided = await u('liaison').post(`/v1/change-requests/${id}/higher-decision`, {
      approved: true,
      documentNumber: '市编〔2026〕15号',
      comment: '同意',
    });
    expect(decided.status).toBe(200);
    const done = await until(
      'implemented',
      () => u('liaison').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'implemented',
    );
    expect(done.body.higherDecision).toMatchObject({ approved: true, documentNumber: '市编〔2026〕15号' });
    expect(done.body.documentNumber).toMatch(/^清编/);
    expect((await unit(c.units.police)).quotas.POLITICAL_LEGAL).toBe(52);
    await recordHistory(stack.temporalAddress, id, 'higher-authority-approved');
  });

  it('rejects when the higher authority refuses', async () => {
    const id = await toCommittee('clerk_police', plBody(3));
    await approveBy(id, ['member3', 'member4', 'member5', 'member_org']);
    await u('chair').post(`/v1/change-requests/${id}/close-vote`);
    await until(
      'awaiting higher approval',
      () => u('liaison').get(`/v1/change-requests/${id}`),
      (r) => r.body.status === 'awaiting_higher_approval',
    );
    const refused = await u('liaison').post(`/v1/change-requests/${id}/higher-decision`, {
      approved: false,
      documentNumber: '市编函〔2026〕3号',
      comment: '总量控制，暂不核增',
    });
    expect(refused.body).toMatchObject({
      status: 'rejected',
      documentNumber: null,
      higherDecision: { approved: false },
    });
    await recordHistory(stack.temporalAddress, id, 'higher-authority-refused');
    expect((await unit(c.units.police)).quotas.POLITICAL_LEGAL).toBe(52);
  });
});

describe('refusals change nothing', () => {
  async function snapshotOf(id: string) {
    return {
      request: (await u('auditor').get(`/v1/change-requests/${id}`)).body,
      audit: (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.length,
    };
  }

  it('answers a wrong-stage action with 409 WRONG_STAGE', async () => {
    const created = await u('clerk_housing').post('/v1/change-requests', {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      title: 't',
      justification: 'j',
      payload: { unitId: c.units.housing, newName: '某局' },
    });
    const id = created.body.id;
    const before = await snapshotOf(id);
    for (const [who, path, body] of [
      ['member3', 'votes', { vote: 'approve' }],
      ['reviewer', 'review', { decision: 'forward' }],
      ['clerk_housing', 'revise', { comment: 'x' }],
      ['chair', 'close-vote', {}],
      ['liaison', 'higher-decision', { approved: true, documentNumber: 'x', comment: 'y' }],
    ] as const) {
      const res = await u(who).post(`/v1/change-requests/${id}/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 409, 'WRONG_STAGE']);
    }
    expect(await snapshotOf(id)).toEqual(before);
  });

  it('answers a malformed body with 400 naming the field', async () => {
    const res = await u('clerk_housing').post('/v1/change-requests', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      title: 't',
      justification: 'j',
      payload: {
        lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: -3 }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'payload.lines[0].count' })]);
    const unknown = await u('clerk_housing').post('/v1/change-requests', {
      type: 'NOPE',
      unitId: c.units.housing,
      title: 't',
      justification: 'j',
      payload: {},
      extra: 1,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'type']);
    const list = await u('auditor').get(`/v1/change-requests?unitId=${c.units.housing}&pageSize=200`);
    expect(
      list.body.items.every((r: { title: string; type: string }) => r.title !== 't' || r.type === 'RENAME_UNIT'),
    ).toBe(true);
    const id = list.body.items.find((r: { status: string }) => r.status === 'draft').id;
    const before = await snapshotOf(id);
    const badRevise = await u('reviewer').post(`/v1/change-requests/${id}/consultations`, {
      unitIds: ['not-a-uuid'],
      dueAt: 'tomorrow',
    });
    expect(badRevise.status).toBe(400);
    expect(badRevise.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['dueAt', 'unitIds']);
    expect(await snapshotOf(id)).toEqual(before);
  });

  it('refuses a request that would break a rule at creation (422), and does not create it', async () => {
    const count = (await u('auditor').get('/v1/change-requests')).body.total;
    const res = await u('clerk_housing').post('/v1/change-requests', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.housing,
      title: '超额划转',
      justification: 'j',
      payload: { lines: [{ fromUnitId: c.units.housing, toUnitId: c.units.health, category: 'ADMIN', count: 5 }] },
      submit: true,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'RULE_VIOLATION',
      details: [expect.objectContaining({ rule: 'QUOTA_INSUFFICIENT', unitId: c.units.housing, category: 'ADMIN' })],
    });
    expect((await u('auditor').get('/v1/change-requests')).body.total).toBe(count);
  });
});

describe('document numbers', () => {
  it('gives two requests implemented at the same moment consecutive numbers', async () => {
    const ids = await Promise.all(
      ['县住建甲局', '县住建乙局'].map((name, i) =>
        toCommittee(i === 0 ? 'clerk_housing' : 'clerk_poverty', {
          type: 'ADD_NAME_PLATE',
          unitId: i === 0 ? c.units.housing : c.units.poverty,
          title: `加挂${name}牌子`,
          justification: 'j',
          payload: { unitId: i === 0 ? c.units.housing : c.units.poverty, namePlate: name },
        }),
      ),
    );
    await Promise.all(ids.map((id) => approveBy(id, ['member3', 'member4', 'member5', 'member_org'])));
    await Promise.all(ids.map((id) => u('chair').post(`/v1/change-requests/${id}/close-vote`)));
    const done = await Promise.all(
      ids.map((id) =>
        until(
          'implemented',
          () => u('auditor').get(`/v1/change-requests/${id}`),
          (r) => r.body.status === 'implemented',
        ),
      ),
    );
    const numbers = done.map((d) => Number(/〕(\d+)号/.exec(d.body.documentNumber)![1])).sort((a, b) => a - b);
    expect(numbers[1]).toBe(numbers[0] + 1);
    // The committee's series numbers its 批复 and its refusal notices alike: no gap, no duplicate across both.
    const all: { n: number }[] = await stack.db.query(
      `SELECT number AS n FROM implementations WHERE series = 'COMMITTEE'
       UNION ALL SELECT substring(document_number FROM '〕(\\d+)号')::int FROM documents
        WHERE kind = 'REJECTION_NOTICE' AND document_number LIKE '清编〔%' ORDER BY 1`,
    );
    expect(all.map((r) => r.n)).toEqual(all.map((_, i) => i + 1));
  });

  it(
    'answers ballots cast at once as soon as the workflow holds them, ' +
      'and records each once, in order, before the count',
    async () => {
      const id = await toCommittee('clerk_poverty', {
        type: 'ADD_NAME_PLATE',
        unitId: c.units.poverty,
        title: '加挂县乡村振兴服务中心牌子',
        justification: 'j',
        payload: { unitId: c.units.poverty, namePlate: '县乡村振兴服务中心' },
      });
      const eligible = (await u('auditor').get(`/v1/change-requests/${id}`)).body.eligibleMembers.map(
        (m: { username: string }) => m.username,
      ) as string[];
      const answers = await Promise.all(
        eligible.map((m) => u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve', comment: `同意（${m}）` })),
      );
      expect(answers.map((a) => a.status)).toEqual(eligible.map(() => 200));
      // Each answer's tally counts that ballot: the approvals seen go 1..n in some order.
      expect(answers.map((a) => a.body.tally.approve).sort((a, b) => a - b)).toEqual(eligible.map((_, i) => i + 1));
      await until(
        'implemented',
        () => u('auditor').get(`/v1/change-requests/${id}`),
        (r) => r.body.status === 'implemented',
      );
      const trail: { seq: string; action: string; actor: string; stepKey: string }[] = (
        await u('auditor').get(`/v1/change-requests/${id}/audit`)
      ).body;
      const steps = trail.map((r) => Number(r.stepKey.split(':').pop()));
      expect(steps).toEqual(steps.map((_, i) => i)); // every step once, in seq order, none missing
      const actions = trail.map((r) => r.action);
      expect(actions.filter((a) => a === 'voted')).toHaveLength(eligible.length);
      expect(actions.lastIndexOf('voted')).toBeLessThan(actions.indexOf('vote_closed_approved'));
      expect(
        trail
          .filter((r) => r.action === 'voted')
          .map((r) => r.actor)
          .sort(),
      ).toEqual([...eligible].sort());
      // The ballots shown by the read model are those of the trail.
      const view = (await u('auditor').get(`/v1/change-requests/${id}`)).body;
      expect(view.ballots.map((b: { username: string }) => b.username).sort()).toEqual([...eligible].sort());
    },
  );
});
