import { County, seedCounty, until } from './support/county';
import { recordHistory } from './support/histories';
import { startStack, Stack } from './support/stack';

// Deadlines and reminders with the procedure's durations shortened to seconds (they are days in production).

const SECOND_IN_DAYS = 1 / 86400;
let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack({
    timing: { default: { voteDays: 3 * SECOND_IN_DAYS, reminderLeadDays: 2 * SECOND_IN_DAYS } },
  });
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;

async function submitted(newName: string): Promise<string> {
  const res = await u('clerk_housing').post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.housing,
    title: newName,
    justification: 'j',
    payload: { unitId: c.units.housing, newName },
    submit: true,
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

it('records a reminder before a consultation is due and its lapse when no opinion came', async () => {
  const id = await submitted('县住建一局');
  const dueAt = new Date(Date.now() + 4000).toISOString();
  await u('reviewer').post(`/v1/change-requests/${id}/consultations`, {
    unitIds: [c.units.finance, c.units.hr],
    dueAt,
  });
  await u('consultee_finance').post(`/v1/change-requests/${id}/opinions`, { position: 'agree', comment: '同意' });
  const lapsed = await until(
    'lapse',
    () => u('reviewer').get(`/v1/change-requests/${id}`),
    (r) => r.body.consultations.some((x: { lapsedAt?: string }) => x.lapsedAt),
  );
  const hr = lapsed.body.consultations.find((x: { unitId: string }) => x.unitId === c.units.hr);
  const finance = lapsed.body.consultations.find((x: { unitId: string }) => x.unitId === c.units.finance);
  expect(hr.remindedAt).toBeDefined();
  expect(Date.parse(hr.remindedAt)).toBeLessThan(Date.parse(dueAt));
  expect(Date.parse(hr.lapsedAt)).toBeGreaterThanOrEqual(Date.parse(dueAt));
  expect(finance).toMatchObject({ opinion: { position: 'agree' } });
  expect(finance.remindedAt).toBeUndefined();
  const actions = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.map(
    (r: { action: string; actor: string }) => `${r.action}:${r.actor}`,
  );
  expect(actions).toEqual(expect.arrayContaining(['consultation_reminded:system', 'consultation_lapsed:system']));
  expect(actions.filter((a: string) => a.startsWith('consultation_reminded'))).toHaveLength(1);
  // A late opinion is refused: the consultation has lapsed.
  const late = await u('consultee_hr').post(`/v1/change-requests/${id}/opinions`, {
    position: 'agree',
    comment: '迟到的意见',
  });
  expect(late.status).toBe(409);
  await recordHistory(stack.temporalAddress, id, 'consultation-reminded-and-lapsed');
});

it('closes a vote at its deadline: without quorum back to demonstration, with quorum by the rule', async () => {
  const id = await submitted('县住建二局');
  await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
  await u('member3').post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
  const back = await until(
    'deadline',
    () => u('auditor').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'demonstration',
  );
  expect(back.body.pastVotes).toEqual([expect.objectContaining({ outcome: 'NO_QUORUM' })]);
  const closing = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body.find(
    (r: { action: string }) => r.action === 'vote_closed_no_quorum',
  );
  expect(closing).toMatchObject({ actor: 'system', comment: 'closed: deadline' });

  await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
  for (const m of ['member3', 'member4', 'member5', 'member_org'])
    await u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
  // Passed at the deadline; a government bureau's renaming then goes up (报批) before it is implemented.
  await until(
    'awaiting higher approval',
    () => u('auditor').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'awaiting_higher_approval',
  );
  const decided = await u('liaison').post(`/v1/change-requests/${id}/higher-decision`, {
    approved: true,
    documentNumber: '市编〔2026〕22号',
    comment: '同意',
  });
  expect(decided.status).toBe(200);
  const done = await until(
    'implemented',
    () => u('auditor').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'implemented',
  );
  expect(done.body.tally).toMatchObject({ eligible: 5, approve: 4, quorumReached: true, outcome: 'APPROVED' });
  await recordHistory(stack.temporalAddress, id, 'vote-deadline-then-approved');
});
