import { readPdf } from '../libs/documents/test/read-pdf';
import { addUser, County, seedCounty, until } from './support/county';
import { createSubmitted, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Committee meetings (编委会会议) through HTTP, on real Temporal and PostgreSQL: an agenda of requests at the
// committee, ballots per item, and the close that closes every item's vote by the rule and records the minutes.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
  // A chair who is also a member and leads a unit: recused on that unit's requests (回避).
  c.users.chair_poverty = await addUser(stack, c.admin, {
    username: 'chair_poverty',
    roles: ['committee_member', 'committee_chair'],
    unitId: c.units.poverty,
  });
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;
const year = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const minutes = (n: number) => `清编委纪〔${year()}〕${n}号`;

/** A request renaming the clerk's unit, forwarded to the committee; returns its id. */
async function toCommittee(clerk: string, unit: string, newName: string): Promise<string> {
  const id = await createSubmitted(c, clerk, {
    type: 'RENAME_UNIT',
    unitId: c.units[unit],
    title: `更名为${newName}`,
    payload: { unitId: c.units[unit], newName },
  });
  const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
  expect([fwd.status, fwd.body.status]).toEqual([200, 'committee']);
  return id;
}

async function ballots(id: string, votes: Record<string, 'approve' | 'reject' | 'abstain'>) {
  for (const [member, vote] of Object.entries(votes)) {
    const res = await u(member).post(`/v1/change-requests/${id}/votes`, { vote });
    expect(res.status).toBe(200);
  }
}

const names = (members: { username: string }[]) => members.map((m) => m.username);

describe('a meeting of three items', () => {
  let passed: string;
  let rejected: string;
  let noQuorum: string;
  let meetingId: string;

  it('is created by the chair with requests in the committee stage', async () => {
    passed = await toCommittee('clerk_housing', 'housing', '县住房和城乡建设管理局');
    rejected = await toCommittee('clerk_police', 'police', '县公安治安局');
    noQuorum = await toCommittee('clerk_united', 'united', '县委统一战线工作部');
    const created = await u('chair').post('/v1/meetings', {
      title: '县委编委会2026年第1次会议',
      heldAt: '2026-12-01T02:00:00Z',
      requestIds: [passed, rejected, noQuorum],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: '县委编委会2026年第1次会议',
      heldAt: '2026-12-01T02:00:00.000Z',
      status: 'open',
      minutesNumber: null,
      attendance: null,
      documents: [],
    });
    expect(created.body.items.map((i: { requestId: string }) => i.requestId)).toEqual([passed, rejected, noQuorum]);
    expect(created.body.items[0]).toMatchObject({ title: '更名为县住房和城乡建设管理局', position: 1 });
    expect(created.body.items[0].result).toBeUndefined();
    expect(created.body.items[0].tally).toMatchObject({ eligible: 6, approve: 0 });
    meetingId = created.body.id;
    const trail = await u('auditor').get(`/v1/audit?actor=chair`);
    expect(trail.body.map((r: { action: string }) => r.action)).toContain('meeting_created');
  });

  it('shows the live tally of each item while members vote', async () => {
    // Six eligible: quorum at four votes, a pass at four approvals.
    await ballots(passed, { member3: 'approve', member4: 'approve', member5: 'approve', member_org: 'approve' });
    await ballots(rejected, { member3: 'approve', member4: 'approve', member5: 'reject', member_org: 'reject' });
    await ballots(noQuorum, { member3: 'approve' });
    // A ballot is answered once the workflow holds it; the read model follows.
    const approvals = (r: { body: { items: { tally: { approve: number } }[] } }) =>
      r.body.items.map((i) => i.tally.approve).join();
    const open = await until(
      'the ballots recorded',
      () => u('reviewer').get(`/v1/meetings/${meetingId}`),
      (r) => approvals(r) === '4,2,1',
    );
    expect(open.status).toBe(200);
  });

  it('refuses an item already on an open meeting, and a request not at the committee; nothing is created', async () => {
    const before = (await u('auditor').get('/v1/meetings')).body.total;
    const again = await u('chair').post('/v1/meetings', {
      title: 't',
      heldAt: '2026-12-02T02:00:00Z',
      requestIds: [passed],
    });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_ON_AGENDA']);
    expect(again.body.details[0]).toMatchObject({ field: 'requestIds[0]', requestId: passed, meetingId });
    const inDemonstration = await createSubmitted(c, 'clerk_health', {
      type: 'RENAME_UNIT',
      unitId: c.units.health,
      payload: { unitId: c.units.health, newName: '县卫生和健康局' },
    });
    const wrong = await u('chair').post('/v1/meetings', {
      title: 't',
      heldAt: '2026-12-02T02:00:00Z',
      requestIds: [noQuorum, inDemonstration],
    });
    expect([wrong.status, wrong.body.code]).toEqual([409, 'WRONG_STAGE']);
    expect(wrong.body.details).toEqual([
      { field: 'requestIds[1]', requestId: inDemonstration, status: 'demonstration' },
    ]);
    expect(wrong.body.message).toContain(inDemonstration);
    expect((await u('auditor').get('/v1/meetings')).body.total).toBe(before);
  });

  it('is closed by the chair only', async () => {
    for (const who of ['member3', 'reviewer', 'director']) {
      const res = await u(who).post(`/v1/meetings/${meetingId}/close`);
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    const create = await u('member3').post('/v1/meetings', {
      title: 't',
      heldAt: '2026-12-02T02:00:00Z',
      requestIds: [passed],
    });
    expect([create.status, create.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await u('clerk_housing').get('/v1/meetings')).status).toBe(403);
  });

  it('closes every item by the rule, with the minutes number and the attendance', async () => {
    const closed = await u('chair').post(`/v1/meetings/${meetingId}/close`, {}, { 'Idempotency-Key': 'close-1' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', minutesNumber: minutes(1) });
    // The minutes (会议纪要) issued with the close: listed with the meeting and by themselves.
    expect(closed.body.documents).toEqual([
      expect.objectContaining({ kind: 'MINUTES', documentNumber: minutes(1), title: '县委编委会2026年第1次会议纪要' }),
    ]);
    const listed = await u('member3').get(`/v1/meetings/${meetingId}/documents`);
    expect(listed.body).toEqual(closed.body.documents);
    expect((await u('clerk_housing').get(`/v1/meetings/${meetingId}/documents`)).status).toBe(403);
    expect(closed.body.items.map((i: { result: string }) => i.result)).toEqual(['APPROVED', 'REJECTED', 'NO_QUORUM']);
    expect(closed.body.items[1].tally).toEqual({ eligible: 6, approve: 2, reject: 2, abstain: 0, quorumReached: true });
    expect(closed.body.items[2].tally).toMatchObject({ eligible: 6, approve: 1, quorumReached: false });
    expect(closed.body.items[0].recused).toEqual([]);
    // The chair and every member who voted on an item; the other active members absent.
    expect(names(closed.body.attendance.present)).toEqual(['chair', 'member3', 'member4', 'member5', 'member_org']);
    expect(names(closed.body.attendance.absent)).toEqual(['chair_poverty', 'member_health']);

    const done = await settled(c, passed);
    expect(['implemented', 'awaiting_higher_approval']).toContain(done.body.status);
    expect((await u('auditor').get(`/v1/change-requests/${rejected}`)).body.status).toBe('rejected');
    const back = (await u('auditor').get(`/v1/change-requests/${noQuorum}`)).body;
    expect(back.status).toBe('demonstration');
    expect(back.pastVotes[0].outcome).toBe('NO_QUORUM');
    // Each request's trail says the meeting closed its vote.
    const trail = (await u('auditor').get(`/v1/change-requests/${rejected}/audit`)).body;
    expect(trail.find((r: { action: string }) => r.action === 'vote_closed_rejected').comment).toBe(
      `closed: meeting ${meetingId}`,
    );
    const audit = (await u('auditor').get('/v1/audit?actor=chair')).body;
    const record = audit.find((r: { action: string }) => r.action === 'meeting_closed');
    expect(record.after).toMatchObject({
      meetingId,
      minutesNumber: minutes(1),
      document: { id: closed.body.documents[0].id, sha256: closed.body.documents[0].sha256 },
    });
    const pdf = await fetch(`${stack.api.baseUrl}/v1/documents/${closed.body.documents[0].id}`, {
      headers: { authorization: `Bearer ${(u('member3') as unknown as { token: string }).token}` },
    });
    const text = readPdf(new Uint8Array(await pdf.arrayBuffer()))
      .pages.join('')
      .replace(/\s+/g, '');
    expect(text).toContain(minutes(1));
    expect(text).toContain('清源县机构编制委员会会议纪要');
    expect(text).toContain('更名为县住房和城乡建设管理局');
    expect(record.after.items.map((i: { result: string }) => i.result)).toEqual(['APPROVED', 'REJECTED', 'NO_QUORUM']);
  });

  it('answers the same to the same close again, and refuses closing it again otherwise', async () => {
    const first = await u('auditor').get(`/v1/meetings/${meetingId}`);
    const replay = await u('chair').post(`/v1/meetings/${meetingId}/close`, {}, { 'Idempotency-Key': 'close-1' });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const other = await u('chair').post(`/v1/meetings/${meetingId}/close`, {}, { 'Idempotency-Key': 'close-2' });
    expect([other.status, other.body.code]).toEqual([409, 'WRONG_STAGE']);
    const item = await u('chair').post(`/v1/change-requests/${rejected}/close-vote`);
    expect([item.status, item.body.code]).toEqual([409, 'WRONG_STAGE']);
    expect((await u('auditor').get(`/v1/meetings/${meetingId}`)).body.minutesNumber).toBe(minutes(1));
  });

  it('lists meetings newest first to the committee, reviewers, the director and auditors', async () => {
    for (const who of ['member3', 'chair', 'reviewer', 'director', 'auditor']) {
      const list = await u(who).get('/v1/meetings?pageSize=1');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 1 });
      expect(list.body.items[0].id).toBe(meetingId);
    }
  });
});

describe('the next meeting', () => {
  it('closes an item its chair recused on, and one closed or withdrawn before; its number is the next', async () => {
    const recusedOn = await toCommittee('clerk_poverty', 'poverty', '县乡村振兴局');
    const closedBefore = await toCommittee('clerk_housing', 'housing', '县住建局');
    const withdrawn = await toCommittee('clerk_health', 'health', '县卫生局');
    const created = await u('chair_poverty').post('/v1/meetings', {
      title: '县委编委会2026年第2次会议',
      heldAt: '2026-12-03T02:00:00Z',
      requestIds: [recusedOn, closedBefore, withdrawn],
    });
    expect(created.status).toBe(201);
    expect(names(created.body.items[0].recused)).toEqual(['chair_poverty']);
    const id = created.body.id;
    await ballots(recusedOn, { member3: 'approve', member4: 'approve', member5: 'approve', member_org: 'reject' });
    // Alone, the recused chair may not close the vote; the meeting may.
    const alone = await u('chair_poverty').post(`/v1/change-requests/${recusedOn}/close-vote`);
    expect([alone.status, alone.body.code]).toEqual([403, 'RECUSED']);
    await ballots(closedBefore, {
      chair_poverty: 'reject',
      member_health: 'reject',
      member3: 'reject',
      member4: 'reject',
    });
    expect((await u('chair').post(`/v1/change-requests/${closedBefore}/close-vote`)).status).toBe(200);
    await ballots(withdrawn, { member3: 'approve' });
    await u('clerk_health').post(`/v1/change-requests/${withdrawn}/withdraw`, { reason: '撤回' });

    const closed = await u('chair_poverty').post(`/v1/meetings/${id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.minutesNumber).toBe(minutes(2));
    expect(closed.body.items.map((i: { result: string }) => i.result)).toEqual(['APPROVED', 'REJECTED', 'WITHDRAWN']);
    expect(closed.body.items[0].tally).toMatchObject({ eligible: 5, approve: 3, reject: 1, quorumReached: true });
    expect(names(closed.body.attendance.present)).toEqual([
      'chair_poverty',
      'member3',
      'member4',
      'member5',
      'member_health',
      'member_org',
    ]);
    expect(names(closed.body.attendance.absent)).toEqual([]);
    const trail = (await u('auditor').get(`/v1/change-requests/${recusedOn}/audit`)).body;
    expect(trail.find((r: { action: string }) => r.action === 'vote_closed_approved').comment).toBe(
      `closed: meeting ${id}`,
    );
    // The vote the chair closed before was not closed again by the meeting.
    const before = (await u('auditor').get(`/v1/change-requests/${closedBefore}/audit`)).body;
    expect(
      before
        .filter((r: { action: string }) => r.action.startsWith('vote_closed_'))
        .map((r: { comment: string }) => r.comment),
    ).toEqual(['closed: chair']);
  });

  it('finishes a close cut short: items closed already are read, the rest closed, one number', async () => {
    const first = await toCommittee('clerk_housing', 'housing', '县城乡建设局');
    const second = await toCommittee('clerk_united', 'united', '县委统战工作部');
    const created = await u('chair').post('/v1/meetings', {
      title: '县委编委会2026年第3次会议',
      heldAt: '2026-12-04T02:00:00Z',
      requestIds: [first, second],
    });
    const id = created.body.id;
    await ballots(first, { member3: 'approve', member4: 'approve', member5: 'approve', member_org: 'approve' });
    // As if the API stopped half-way: the meeting left `closing`, the first item's vote closed already.
    await stack.db.query(`UPDATE meetings SET status = 'closing' WHERE id = $1`, [id]);
    const halfway = await u('chair').post(`/v1/change-requests/${first}/close-vote`);
    expect(halfway.status).toBe(200);
    expect((await u('auditor').get(`/v1/meetings/${id}`)).body).toMatchObject({
      status: 'closing',
      minutesNumber: null,
    });

    const closed = await u('chair').post(`/v1/meetings/${id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', minutesNumber: minutes(3) });
    expect(closed.body.items.map((i: { result: string }) => i.result)).toEqual(['APPROVED', 'NO_QUORUM']);
    const numbers = await stack.db.query(
      `SELECT year, last_number FROM document_number_counters WHERE series = 'MINUTES'`,
    );
    expect(numbers).toEqual([{ year: year(), last_number: 3 }]);
    // Its items are free again: the request back in demonstration can go on a later meeting once forwarded.
    const fwd = await u('reviewer').post(`/v1/change-requests/${second}/review`, { decision: 'forward' });
    expect(fwd.status).toBe(200);
    const next = await u('chair').post('/v1/meetings', {
      title: '第4次',
      heldAt: '2026-12-05T02:00:00Z',
      requestIds: [second],
    });
    expect(next.status).toBe(201);
    expect(next.body.items[0].tally.eligible).toBe(6);
  });
});
