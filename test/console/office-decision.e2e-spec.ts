import { Browser } from 'playwright-core';
import { County, PASSWORD, seedCounty, until } from '../support/county';
import { createSubmitted, forwardAndApprove, refuseImplementations } from '../support/procedure';
import { startStack, Stack } from '../support/stack';
import { consoleBuilt, dialogOk, launch, openRequest, pick, shot, signIn } from './browser';

// Deciding as a county decides, in the console (docs/domain.md, "Who decides"): a USE_QUOTA the office director
// decides from the 决定 panel, a unit the change takes from heard before the forward, a request referred for
// too few voters, and a stalled implementation the director retries from the request page.

let stack: Stack;
let c: County;
let browser: Browser;

beforeAll(async () => {
  consoleBuilt();
  stack = await startStack();
  c = await seedCounty(stack);
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const as = (username: string) => signIn(browser, stack.api.baseUrl, username, PASSWORD);
const u = (name: string) => c.users[name].api;

it('a USE_QUOTA goes to the office director, who refuses only with a reason and approves; 编用 series', async () => {
  // 动议: the clerk's preview says who will decide.
  const title = '县住房和城乡建设局使用空编1名';
  const clerk = await as('clerk_housing');
  await clerk.getByRole('menuitem', { name: '新建申请' }).click();
  await pick(clerk, '事项类型', '用编申请');
  await clerk.getByLabel('标题').fill(title);
  await clerk.getByLabel('理由').fill('补充城建执法人员');
  await pick(clerk, '单位', '县住房和城乡建设局');
  await pick(clerk, '编制类别', '行政编制');
  await clerk.getByLabel('用编名额').fill('1');
  await clerk.getByRole('button', { name: '预览' }).click();
  await clerk.getByTestId('preview').getByText('由编办决定').waitFor();
  await clerk.getByRole('button', { name: '提交', exact: true }).click();
  await clerk.waitForURL(/\/requests\//);
  const id = clerk.url().split('/requests/')[1];

  // 论证: the reviewer forwards; it goes to the office director, not to a vote.
  const reviewer = await as('reviewer');
  await openRequest(reviewer, id);
  await reviewer.getByRole('button', { name: '审核' }).click();
  await dialogOk(reviewer);
  await reviewer.locator('[data-testid=stages][data-status=office_decision]').waitFor();
  await reviewer.getByTestId('decided-by').getByText('由编办决定').waitFor();
  await reviewer.getByTestId('office-decision').getByText('待编办主任决定').waitFor();
  expect(await reviewer.getByTestId('decide-panel').count()).toBe(0); // the director's alone
  await reviewer.context().close();
  // The clerk may still withdraw it until the director has decided.
  await clerk.reload();
  await clerk.locator('[data-testid=stages][data-status=office_decision]').waitFor();
  await clerk.getByRole('button', { name: '撤回' }).waitFor();
  await clerk.context().close();

  // 审议决定: the director finds it in 待办 and opens it.
  const director = await as('director');
  const row = director.getByRole('row').filter({ hasText: title });
  await row.getByText('编办决定', { exact: true }).waitFor(); // 待办
  await row.getByRole('link', { name: title }).click();
  await director.waitForURL(new RegExp(`/requests/${id}$`));
  const panel = director.getByTestId('decide-panel');
  await panel.waitFor();
  expect(await director.getByTestId('tally').count()).toBe(0); // no vote shown

  // 不同意 without a reason: refused in words, nothing sent.
  await panel.locator('.ant-radio-group').getByText('不同意', { exact: true }).click();
  await panel.getByRole('button', { name: '提交决定' }).click();
  await panel.getByText('不同意的，须写明理由', { exact: true }).waitFor(); // beside the field
  expect((await u('auditor').get(`/v1/change-requests/${id}`)).body.status).toBe('office_decision');
  await shot(director, 'request-office-decision');

  // 同意: implemented, numbered from the quota-use series (编用).
  await panel.locator('.ant-radio-group').getByText('同意', { exact: true }).click();
  await panel.getByLabel('意见').fill('同意使用空编1名');
  await panel.getByRole('button', { name: '提交决定' }).click();
  await director
    .locator('[data-testid=stages][data-current=组织实施][data-status=implemented]')
    .waitFor({ timeout: 60_000 });
  expect(await director.getByTestId('document-number').textContent()).toMatch(/^清编用〔\d{4}〕\d+号$/);
  const decision = director.getByTestId('office-decision');
  await decision.getByText('同意使用空编1名').waitFor();
  await decision.getByText('编办主任 director').waitFor();
  await director.getByTestId('trail').getByText('编办主任办公会议同意').waitFor();
  await director.getByTestId('trail').getByText('组织实施完毕').waitFor();
  expect(await director.getByTestId('decide-panel').count()).toBe(0);
  const done = await u('auditor').get(`/v1/change-requests/${id}`);
  expect(done.body).toMatchObject({
    status: 'implemented',
    decidedBy: 'OFFICE',
    officeDecision: { approved: true, comment: '同意使用空编1名', by: 'director' },
  });
  await director.context().close();
}, 240_000);

it('marks the unit the change takes from, and says in words why the forward must wait for it', async () => {
  const id = await createSubmitted(c, 'clerk_health', {
    type: 'TRANSFER_QUOTA',
    unitId: c.units.health,
    title: '县财政局划转行政编制1名至县卫生健康局',
    payload: { lines: [{ fromUnitId: c.units.finance, toUnitId: c.units.health, category: 'ADMIN', count: 1 }] },
  });
  const reviewer = await as('reviewer');
  await openRequest(reviewer, id);
  const asked = reviewer.getByRole('row').filter({ hasText: '县财政局' });
  await asked.getByTestId('automatic-consultation').getByText('被调出单位·须听取意见').waitFor();
  await reviewer.getByRole('button', { name: '审核' }).click();
  const dlg = reviewer.locator('.ant-modal:visible');
  await dlg.getByTestId('unheard').getByText('县财政局的意见须先听取').waitFor();
  await dlg.getByRole('button', { name: '确定' }).click(); // forward, too early
  await dlg.getByText('被调出编制或被撤并的单位尚未回复意见，须待其回复或逾期后才能提请审议').waitFor();
  expect((await u('auditor').get(`/v1/change-requests/${id}`)).body.status).toBe('demonstration');
  await reviewer.context().close();
}, 120_000);

it('says so when a request went up because too few members could vote', async () => {
  for (const name of ['member4', 'member5'])
    expect((await c.admin.patch(`/v1/users/${c.users[name].id}`, { disabled: true })).status).toBe(200);
  try {
    const id = await createSubmitted(c, 'clerk_health', {
      type: 'ADD_NAME_PLATE',
      unitId: c.units.health,
      payload: { unitId: c.units.health, namePlate: '县爱国卫生运动委员会办公室' },
    });
    const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(fwd.body.status).toBe('awaiting_higher_approval');
    const liaison = await as('liaison');
    await openRequest(liaison, id);
    const note = liaison.getByTestId('referred-too-few');
    await note.getByText('未付表决').waitFor();
    await note.getByText('仅 2 名成员可参加表决').waitFor();
    await liaison.getByTestId('decided-by').getByText('可表决成员不足，未付表决，报上级审批').waitFor();
    await liaison.getByTestId('trail').getByText('可表决成员不足三人，报上级审批').waitFor();
    await liaison.getByRole('button', { name: '登记上级批复' }).waitFor();
    await liaison.context().close();
  } finally {
    for (const name of ['member4', 'member5'])
      await c.admin.patch(`/v1/users/${c.users[name].id}`, { disabled: false });
  }
}, 120_000);

it('shows a stalled implementation with its reason, and the director retries it from the page', async () => {
  // The database refuses every implementation while this trigger stands: a failure retrying cannot cure.
  const refusal = await refuseImplementations(stack.ownerDb, 'implementations are frozen for the audit');
  try {
    const title = '县住房和城乡建设局加挂县城市管理综合执法大队牌子';
    const id = await createSubmitted(c, 'clerk_housing', {
      type: 'ADD_NAME_PLATE',
      unitId: c.units.housing,
      title,
      payload: { unitId: c.units.housing, namePlate: '县城市管理综合执法大队' },
    });
    await forwardAndApprove(c, id);
    await until(
      'the stall',
      () => u('auditor').get(`/v1/change-requests/${id}`),
      (r) => !!r.body.stalled,
    );

    // Whoever sees the request sees the stall; only the director may retry.
    const clerk = await as('clerk_housing');
    await openRequest(clerk, id);
    await clerk.getByTestId('stalled').getByText('组织实施受阻').waitFor();
    expect(await clerk.getByRole('button', { name: '重新实施' }).count()).toBe(0);
    await clerk.context().close();

    const director = await as('director');
    const row = director.getByRole('row').filter({ hasText: title });
    await row.getByText('重新实施', { exact: true }).waitFor(); // 待办
    await row.getByRole('link', { name: title }).click();
    const banner = director.getByTestId('stalled');
    await banner.getByText('组织实施受阻：未能更新机构编制台账，待编办处理').waitFor();
    expect(await director.getByTestId('stalled-reason').textContent()).toContain('frozen for the audit');
    await director.getByTestId('trail').getByText('实施受阻，待编办处理').waitFor();
    await shot(director, 'request-stalled');

    // Retried before the cause is put right: it stalls again, and the page says so.
    await banner.getByRole('button', { name: '重新实施' }).click();
    await banner.getByText('已重新实施，仍未成功').waitFor({ timeout: 60_000 });

    await refusal.lift();
    await director.getByTestId('stalled').getByLabel('处理说明').fill('冻结已解除');
    await director.getByTestId('stalled').getByRole('button', { name: '重新实施' }).click();
    await director.locator('[data-testid=stages][data-status=implemented]').waitFor({ timeout: 60_000 });
    expect(await director.getByTestId('stalled').count()).toBe(0);
    expect(await director.getByTestId('document-number').textContent()).toMatch(/^清编〔\d{4}〕\d+号$/);
    await director.getByTestId('trail').getByText('编办重新实施').first().waitFor();
    const trail = (await u('auditor').get(`/v1/change-requests/${id}/audit`)).body as { comment?: string }[];
    expect(trail.map((r) => r.comment)).toContain('冻结已解除');
    await director.context().close();
  } finally {
    await refusal.lift();
  }
}, 240_000);
