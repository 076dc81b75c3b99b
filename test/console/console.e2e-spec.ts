import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { County, PASSWORD, seedCounty, until } from '../support/county';
import { startStack, Stack } from '../support/stack';
import { consoleBuilt, dialogOk, launch, openRequest, pick, shot, signIn } from './browser';

// The web console (工作台) in a real Chromium against the real API, worker, PostgreSQL and Temporal: a request
// walked through the whole procedure by its five kinds of users, a return and revision, a refused action.

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

const as = (username: string, viewport?: { width: number; height: number }) =>
  signIn(browser, stack.api.baseUrl, username, PASSWORD, viewport);

it('serves the console at / beside the API, Swagger UI and a CSP fit for plain HTTP', async () => {
  const root = await fetch(`${stack.api.baseUrl}/requests/some-page`, { headers: { accept: 'text/html' } });
  expect(root.status).toBe(200);
  expect(await root.text()).toContain('<div id="root">');
  const csp = root.headers.get('content-security-policy') ?? '';
  expect(csp).not.toContain('upgrade-insecure-requests');
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect((await fetch(`${stack.api.baseUrl}/v1/nothing-here`)).status).toBe(404);
  expect((await fetch(`${stack.api.baseUrl}/docs`)).status).toBe(200);
  expect((await fetch(`${stack.api.baseUrl}/docs-json`)).headers.get('content-type')).toContain('json');
});

it("the console's typed client matches this API's OpenAPI document (else: npm run gen:api)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
  fs.writeFileSync(path.join(dir, 'doc.json'), await (await fetch(`${stack.api.baseUrl}/docs-json`)).text());
  const root = path.resolve(__dirname, '../..');
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
      path.join(dir, 'doc.json'),
      '-o',
      path.join(dir, 'schema.d.ts'),
    ],
    { stdio: 'pipe' },
  );
  const fresh = fs.readFileSync(path.join(dir, 'schema.d.ts'), 'utf8');
  expect(fresh === fs.readFileSync(path.join(root, 'apps/web/src/api/schema.d.ts'), 'utf8')).toBe(true);
  fs.rmSync(dir, { recursive: true });
});

it('signs in, shows who is signed in, refuses a wrong password in words and signs out', async () => {
  const context = await browser.newContext({ baseURL: stack.api.baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('用户名').fill('clerk_health');
  await page.getByLabel('密码').fill('wrong-password');
  await shot(page, 'sign-in');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('用户名或密码不正确').waitFor();
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('me').textContent()).resolves.toBe('clerk_health');
  await page.getByText('经办人').first().waitFor();
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('button', { name: '登录' }).waitFor();
  await context.close();
});

it('walks one request through the whole procedure, five kinds of users, entirely in the browser', async () => {
  // 动议: the clerk files it, sees the preview, submits.
  const clerk = await as('clerk_health');
  await clerk.getByRole('menuitem', { name: '新建申请' }).click();
  await pick(clerk, '事项类型', '编制核增核减');
  await clerk.getByLabel('标题').fill('县卫生健康局核增行政编制1名');
  await clerk.getByLabel('理由').fill('承担公共卫生应急管理新职能');
  await clerk.getByLabel('来文号').fill('清卫健〔2026〕5号');
  await pick(clerk, '抄送', '县财政局');
  await pick(clerk, '抄送', '县人力资源和社会保障局');
  await clerk.getByLabel('来文号').click(); // closes the dropdown; the next pick waits until it has gone
  await clerk.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  await pick(clerk, '单位', '县卫生健康局');
  await clerk.getByTestId('quota-card').getByText('核定 15，在编 14').waitFor();
  await pick(clerk, '编制类别', '行政编制');
  await clerk.getByLabel('核增（正数）或核减（负数）').fill('1');
  await clerk.getByRole('button', { name: '预览' }).click();
  const preview = clerk.getByTestId('preview');
  await preview.getByText('行政编制（核定）').waitFor();
  await preview.getByText('符合机构编制规定').waitFor();
  await shot(clerk, 'new-request-preview');
  await clerk.getByRole('button', { name: '提交', exact: true }).click();
  await clerk.waitForURL(/\/requests\//);
  const id = clerk.url().split('/requests/')[1];
  await clerk.getByText('论证中').first().waitFor();
  await clerk.getByTestId('diff').getByText('行政编制（核定）').waitFor();
  // 来文号 and 抄送 as filed, the copies by unit name.
  await clerk.getByTestId('reference-number').getByText('清卫健〔2026〕5号', { exact: true }).waitFor();
  await clerk.getByTestId('copy-to').getByText('县财政局、县人力资源和社会保障局', { exact: true }).waitFor();

  // 论证: the reviewer asks two departments; both answer; the reviewer forwards.
  const reviewer = await as('reviewer');
  await reviewer.getByRole('link', { name: '县卫生健康局核增行政编制1名' }).waitFor(); // 待办
  await shot(reviewer, 'todo');
  await openRequest(reviewer, id);
  await reviewer.getByRole('button', { name: '征求意见' }).click();
  const ask = reviewer.locator('.ant-modal:visible');
  await pick(reviewer, '征求意见的单位', '县财政局', ask);
  await pick(reviewer, '征求意见的单位', '县人力资源和社会保障局', ask);
  await ask.locator('.ant-modal-title').click(); // closes the dropdown
  await dialogOk(reviewer);
  await reviewer.getByText('待回复').first().waitFor();

  const finance = await as('consultee_finance', { width: 390, height: 844 }); // a phone
  await finance.getByRole('link', { name: '县卫生健康局核增行政编制1名' }).click();
  await finance.getByRole('button', { name: '回复意见' }).click();
  await finance.locator('.ant-modal:visible').getByText('经费已落实').click(); // 常用意见
  await dialogOk(finance);
  await finance.getByText('同意：经费已落实').waitFor();

  const hr = await as('consultee_hr');
  await openRequest(hr, id);
  await hr.getByRole('button', { name: '回复意见' }).click();
  await hr.locator('.ant-modal:visible').getByText('有条件同意').click();
  await hr.locator('.ant-modal:visible').getByLabel('具体意见').fill('原则同意，请控制人员规模');
  await dialogOk(hr);

  await reviewer.reload();
  await reviewer.getByText('有条件同意：原则同意，请控制人员规模').waitFor();
  await reviewer.getByRole('button', { name: '审核' }).click();
  await reviewer.locator('.ant-modal:visible').getByLabel('意见').fill('符合规定，提请编委会审议');
  await dialogOk(reviewer);
  await reviewer.getByText('编委会审议中').first().waitFor();

  // 审议决定: the recused member sees why; three members vote from a phone; the chair closes.
  const recused = await as('member_health', { width: 390, height: 844 });
  await openRequest(recused, id);
  await recused.getByTestId('recused').getByText('县卫生健康局').waitFor();
  expect(await recused.getByRole('button', { name: '表决' }).count()).toBe(0);

  for (const m of ['member_org', 'member3', 'member4']) {
    const member = await as(m, { width: 390, height: 844 });
    await openRequest(member, id);
    await member.getByRole('button', { name: '表决' }).click();
    await member.locator('.ant-modal:visible').getByText('赞成').click();
    await dialogOk(member);
    await member.getByText('您已表决').waitFor();
    if (m === 'member3') await shot(member, 'request-vote-phone');
    await member.context().close();
  }
  const chair = await as('chair');
  await openRequest(chair, id);
  await chair.getByTestId('tally').getByText('回避：member_health').waitFor();
  await shot(chair, 'request-vote');
  await chair.getByRole('button', { name: '结束表决' }).click();

  // 组织实施: the page shows the stage and the county's document number.
  await chair.getByTestId('document-number').waitFor({ timeout: 60_000 });
  expect(await chair.getByTestId('document-number').textContent()).toMatch(/^清编〔\d{4}〕\d+号$/);
  await chair.locator('[data-testid=stages][data-current=组织实施][data-status=implemented]').waitFor();
  await chair.getByTestId('trail').getByText('表决通过').waitFor();
  await chair.getByTestId('trail').getByText('组织实施完毕').waitFor();
  await shot(chair, 'request-implemented');
  // 公文: the 批复 issued with the same number, downloaded as the PDF the trail hashed.
  const issued = chair.getByTestId('documents').getByTestId('issued-number');
  await issued.waitFor({ timeout: 60_000 });
  expect(await issued.textContent()).toBe(await chair.getByTestId('document-number').textContent());
  await chair
    .getByTestId('documents')
    .getByText(/^批复：关于同意.+的批复$/)
    .waitFor();
  const [download] = await Promise.all([
    chair.waitForEvent('download'),
    chair.getByTestId('document').getByText('下载').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^清编〔\d{4}〕\d+号\.pdf$/);
  const pdf = fs.readFileSync(await download.path());
  const [listed] = (await c.users.auditor.api.get(`/v1/change-requests/${id}/documents`)).body;
  expect(createHash('sha256').update(pdf).digest('hex')).toBe(listed.sha256);
  const audit = await c.users.auditor.api.get(`/v1/change-requests/${id}/audit`);
  expect(audit.body.map((r: { action: string }) => r.action)).toEqual(
    expect.arrayContaining(['created', 'submitted', 'consultations_requested', 'forwarded', 'vote_closed_approved']),
  );
  for (const p of [clerk, reviewer, finance, hr, recused, chair]) await p.context().close();
}, 240_000);

it('returns a request and the clerk revises it in the prefilled form', async () => {
  const created = await c.users.clerk_housing.api.post('/v1/change-requests', {
    type: 'USE_QUOTA',
    unitId: c.units.housing,
    title: '县住房和城乡建设局用编1名',
    justification: '补充执法人员',
    payload: { unitId: c.units.housing, category: 'ADMIN', count: 1 },
    submit: true,
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const reviewer = await as('reviewer');
  await openRequest(reviewer, id);
  await reviewer.getByRole('button', { name: '审核' }).click();
  const dlg = reviewer.locator('.ant-modal:visible');
  await dlg.getByText('退回修改').click();
  await dlg.getByRole('button', { name: '确定' }).click();
  await dlg.getByText('请填写意见').waitFor(); // the comment is required to return
  await dlg.getByLabel('意见').fill('请补充用编计划');
  await dialogOk(reviewer);
  await reviewer.getByText('已退回').first().waitFor();

  const clerk = await as('clerk_housing');
  await clerk.getByRole('link', { name: '县住房和城乡建设局用编1名' }).click();
  await clerk.getByRole('button', { name: '修改后重新提交' }).click();
  const form = clerk.locator('.ant-modal:visible');
  await expect(form.getByLabel('用编名额').inputValue()).resolves.toBe('1'); // prefilled
  await form.getByLabel('用编名额').fill('2');
  await form.getByLabel('修改说明').fill('已补充用编计划，调整为2名');
  await dialogOk(clerk);
  await clerk.getByText('论证中').first().waitFor();
  const after = await c.users.clerk_housing.api.get(`/v1/change-requests/${id}`);
  expect(after.body).toMatchObject({ status: 'demonstration', payload: { count: 2 } });
  await reviewer.context().close();
  await clerk.context().close();
}, 120_000);

it('shows a refused action as a sentence: a rule violation names the unit and the category', async () => {
  const clerk = await as('clerk_health');
  await clerk.goto('/new');
  await pick(clerk, '事项类型', '用编申请');
  await clerk.getByLabel('标题').fill('县卫生健康局用编5名');
  await clerk.getByLabel('理由').fill('补充人员');
  await pick(clerk, '单位', '县卫生健康局');
  await pick(clerk, '编制类别', '行政编制');
  await clerk.getByLabel('用编名额').fill('5');
  await clerk.getByRole('button', { name: '提交', exact: true }).click();
  const alert = clerk.locator('.ant-alert-error');
  await alert.getByText('不符合机构编制规定', { exact: false }).waitFor();
  expect(await alert.textContent()).toContain('县卫生健康局的行政编制');
  expect(await alert.textContent()).not.toMatch(/[A-Z]{4,}_[A-Z]+/); // no rule code shown
  await clerk.context().close();
}, 120_000);

it('a stale page: the action answers WRONG_STAGE in words and the page shows the state now', async () => {
  const created = await c.users.clerk_poverty.api.post('/v1/change-requests', {
    type: 'RENAME_UNIT',
    unitId: c.units.poverty,
    title: '县扶贫开发局更名',
    justification: '机构改革',
    payload: { unitId: c.units.poverty, newName: '县乡村振兴局' },
    submit: true,
  });
  expect(created.status).toBe(201);
  const reviewer = await as('reviewer');
  await openRequest(reviewer, created.body.id);
  await reviewer.getByRole('button', { name: '审核' }).click();
  // Meanwhile the clerk withdraws it.
  const withdrawn = await c.users.clerk_poverty.api.post(`/v1/change-requests/${created.body.id}/withdraw`, {
    reason: '暂缓',
  });
  expect(withdrawn.status).toBe(200);
  await reviewer.locator('.ant-modal:visible').getByLabel('意见').fill('同意');
  await reviewer.locator('.ant-modal:visible').getByRole('button', { name: '确定' }).click();
  await reviewer.getByTestId('action-error').getByText('此事项已进入其他环节，页面已刷新为最新状态').waitFor();
  await reviewer.locator('[data-testid=stages][data-status=withdrawn]').waitFor();
  expect(await reviewer.getByRole('button', { name: '审核' }).count()).toBe(0);
  await reviewer.context().close();
}, 120_000);

it("the liaison records the higher authority's decision in the browser", async () => {
  const u = (name: string) => c.users[name].api;
  const created = await u('clerk_police').post('/v1/change-requests', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.police,
    title: '县公安局核增政法专项编制2名',
    justification: '执法任务加重',
    payload: { unitId: c.units.police, category: 'POLITICAL_LEGAL', delta: 2 },
    submit: true,
  });
  const id = created.body.id;
  await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward', comment: '提请审议' });
  for (const m of ['member3', 'member4', 'member5', 'member_org'])
    await u(m).post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
  await u('chair').post(`/v1/change-requests/${id}/close-vote`);
  await until(
    'awaiting higher approval',
    () => u('liaison').get(`/v1/change-requests/${id}`),
    (r) => r.body.status === 'awaiting_higher_approval',
  );
  const liaison = await as('liaison');
  await openRequest(liaison, id);
  await liaison.getByText('须报上级机构编制部门批准').waitFor();
  await liaison.getByRole('button', { name: '登记上级批复' }).click();
  const dlg = liaison.locator('.ant-modal:visible');
  await dlg.getByLabel('批复文号').fill('市编〔2026〕15号');
  await dlg.getByLabel('说明').fill('同意');
  await dialogOk(liaison);
  await liaison.locator('[data-testid=stages][data-status=implemented]').waitFor({ timeout: 60_000 });
  await liaison.getByText('批准（市编〔2026〕15号）').waitFor();
  expect(await liaison.getByTestId('document-number').textContent()).toMatch(/^清编/);
  await liaison.context().close();
}, 120_000);

it('the auditor sees the county numbers (编制统计) and the verified trail (审计)', async () => {
  const auditor = await as('auditor');
  await auditor.getByRole('menuitem', { name: '编制统计' }).click();
  await auditor.getByRole('cell', { name: '政法专项编制' }).waitFor();
  await auditor.getByRole('menuitem', { name: '审计' }).click();
  await auditor.getByTestId('audit-verify').getByText('签核记录完整').waitFor();
  const clerk = await as('clerk_health');
  expect(await clerk.getByRole('menuitem', { name: '审计' }).count()).toBe(0);
  await auditor.context().close();
  await clerk.context().close();
}, 60_000);
