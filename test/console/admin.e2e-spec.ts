import * as fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { County, PASSWORD, seedCounty } from '../support/county';
import { ADMIN_PASSWORD, startStack, Stack } from '../support/stack';
import { consoleBuilt, launch, pick, shot, signIn } from './browser';

// 系统管理 in the console against the real stack: the registry import checked whole before anything is written,
// its bad row named; accounts whose roles may not be held together, the rule shown before and when refused; the
// committee's membership through the roles; the county totals refused in words; the security admin's part.

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

const asAdmin = () => signIn(browser, stack.api.baseUrl, 'admin', ADMIN_PASSWORD);
const unitsTotal = async () => (await c.admin.get('/v1/units?pageSize=1')).body.total as number;

async function openTab(page: Page, tab: string) {
  await page.getByRole('menuitem', { name: '系统管理' }).click();
  await page.getByRole('tab', { name: tab }).click();
}

it('imports a CSV: a bad row named, nothing written; fixed, checked again and confirmed, the units exist', async () => {
  const page = await asAdmin();
  await openTab(page, '台账导入');

  // The template is the file to fill in: its header gives the columns.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 CSV 模板' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('台账导入模板.csv');
  const header = fs
    .readFileSync((await download.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0];
  const columns = header.split(',');
  expect(columns).toEqual(expect.arrayContaining(['ref', 'name', 'kind', 'grade', 'parentRef', 'PUBLIC_INSTITUTION']));
  const row = (v: Record<string, string>) => columns.map((col) => v[col] ?? '').join(',');
  const archive = {
    ref: 'arch',
    name: '县档案馆',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    funding: 'FULL',
    PUBLIC_INSTITUTION: '10',
    occupied_PUBLIC_INSTITUTION: '3',
  };
  const annals = { ...archive, ref: 'annals', name: '县史志研究室', parentRef: 'arch', PUBLIC_INSTITUTION: 'x' };
  const bad = [header, row(archive), row(annals)].join('\n');
  const before = await unitsTotal();

  await page.locator('input[type=file]').setInputFiles({
    name: 'units.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bad),
  });
  const report = page.getByTestId('import-report');
  await report.waitFor();
  const line = report.locator('tr.ant-table-row').filter({ hasText: '第 3 行' });
  await line.getByText('事业编制（核定）').waitFor();
  await line.getByText('“x”不是整数，请填写不小于 0 的整数').waitFor();
  expect(await report.locator('tr.ant-table-row').count()).toBe(1);
  await page.getByTestId('import-refused').getByText('未导入任何数据').waitFor();
  expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
  await shot(page, 'admin-import');
  expect(await unitsTotal()).toBe(before);

  // Fixed: checked again (still nothing written), then confirmed.
  const good = [header, row(archive), row({ ...annals, PUBLIC_INSTITUTION: '5' })].join('\n');
  await page.locator('input[type=file]').setInputFiles({
    name: 'units-fixed.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(good),
  });
  await page.getByTestId('import-checked').getByText('检查通过：共 2 个单位，尚未写入。').waitFor();
  expect(await page.getByTestId('import-report').count()).toBe(0);
  expect(await unitsTotal()).toBe(before);
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByTestId('import-done').getByText('已导入 2 个单位，已记入审计记录。').waitFor();
  expect(await unitsTotal()).toBe(before + 2);
  const found = (await c.admin.get(`/v1/units?q=${encodeURIComponent('县史志研究室')}`)).body.items;
  expect(found).toEqual([expect.objectContaining({ quotas: expect.objectContaining({ PUBLIC_INSTITUTION: 5 }) })]);
  const audit = (await c.users.auditor.api.get('/v1/audit?limit=5000')).body;
  expect(audit.filter((r: { action: string }) => r.action === 'registry_imported')).toHaveLength(1);
  await page.context().close();
});

it('shows why roles may not be held together before and when the API refuses, then creates the account', async () => {
  const page = await asAdmin();
  await openTab(page, '用户与角色');
  await page.getByTestId('users').getByRole('cell', { name: 'clerk_health' }).first().waitFor();
  await page.getByRole('button', { name: '新建账号' }).click();
  const dialog = page.locator('.ant-modal:visible');
  await dialog
    .getByTestId('role-rules')
    .getByText(/审计员只能单独担任/)
    .waitFor();
  await dialog.getByLabel('用户名').fill('auditor2');
  await dialog.getByLabel('姓名').fill('县审计局 李审计');
  await dialog.getByLabel('初始密码').fill('Initial-passw0rd');
  await dialog.getByRole('checkbox', { name: '审计员', exact: true }).check();
  await dialog.getByRole('checkbox', { name: '审核人', exact: true }).check();
  // Before sending: the rule the choice breaks.
  await dialog.getByTestId('role-problems').getByText('审计员只能单独担任，不能兼任审核人。').waitFor();
  await shot(page, 'admin-roles');
  // Sent anyway: the API refuses (ROLE_CONFLICT), said in words with the rule, and nothing is created.
  await dialog.getByRole('button', { name: '创建账号' }).click();
  const refusal = dialog.getByTestId('user-refusal');
  await refusal.getByText('所选角色不能由同一人兼任（三员分立、不相容职务分离）。').waitFor();
  await refusal.getByText('审计员只能单独担任，不能兼任审核人。').waitFor();
  expect(await refusal.textContent()).not.toContain('ROLE_CONFLICT');
  const names = async () => (await c.admin.get('/v1/users')).body.map((u: { username: string }) => u.username);
  expect(await names()).not.toContain('auditor2');

  // A clerk without a unit: said before, refused by the API beside the field.
  await dialog.getByRole('checkbox', { name: '审计员', exact: true }).uncheck();
  await dialog.getByRole('checkbox', { name: '审核人', exact: true }).uncheck();
  await dialog.getByRole('checkbox', { name: '经办人', exact: true }).check();
  await dialog.getByTestId('role-problems').getByText('经办人须指定所在单位。').waitFor();
  await dialog.getByRole('button', { name: '创建账号' }).click();
  await dialog.getByText('经办人、征求意见单位须指定所在单位', { exact: true }).waitFor();
  expect(await names()).not.toContain('auditor2');

  // Held alone, the auditor's account is created; its password must be changed at the first sign-in.
  await dialog.getByRole('checkbox', { name: '经办人', exact: true }).uncheck();
  await dialog.getByRole('checkbox', { name: '审计员', exact: true }).check();
  expect(await dialog.getByTestId('role-problems').count()).toBe(0);
  await dialog.getByRole('button', { name: '创建账号' }).click();
  await dialog.waitFor({ state: 'detached' });
  const created = page.getByTestId('users').locator('tr').filter({ hasText: 'auditor2' });
  await created.getByText('待修改初始密码').waitFor();
  expect((await c.admin.get('/v1/users')).body).toEqual(
    expect.arrayContaining([expect.objectContaining({ username: 'auditor2', roles: ['auditor'] })]),
  );
  const first = await stack.api.login('auditor2', 'Initial-passw0rd');
  expect((await first.get('/v1/change-requests')).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
  await page.context().close();
});

it('shows the committee with its units and changes it through a user’s roles', async () => {
  const page = await asAdmin();
  await openTab(page, '编委会组成');
  const table = page.getByTestId('committee');
  await table.locator('tr').filter({ hasText: 'member_health' }).getByText('县卫生健康局').waitFor();
  await table.locator('tr').filter({ hasText: 'chair' }).getByText('编委会主任').waitFor();
  await page
    .getByTestId('committee-count')
    .getByText(/现有编委会成员 5 名/)
    .waitFor();

  await pick(page, '加入编委会的账号', '（director）');
  await page.getByRole('button', { name: '加入编委会' }).click();
  const dialog = page.locator('.ant-modal:visible');
  expect(await dialog.getByRole('checkbox', { name: '编委会成员', exact: true }).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.waitFor({ state: 'detached' });
  await table.locator('tr').filter({ hasText: 'director' }).getByText('编委会成员').waitFor();
  await page
    .getByTestId('committee-count')
    .getByText(/现有编委会成员 6 名/)
    .waitFor();
  const committee = (await c.admin.get('/v1/committee')).body.map((m: { username: string }) => m.username);
  expect(committee).toContain('director');
  await page.context().close();
});

it('refuses a county total below what units hold, in words with the figures', async () => {
  const page = await asAdmin();
  await openTab(page, '编制总额');
  const summary = (await c.admin.get('/v1/establishment/summary')).body;
  await page.getByRole('button', { name: '登记新的编制总额' }).click();
  await page.getByLabel('行政编制总额').fill('1');
  await page.getByRole('button', { name: '保存' }).click();
  await page
    .getByTestId('totals-refusal')
    .getByText(`行政编制总额不能定为 1 名：各单位已核定 ${summary.categories.ADMIN.allocated} 名。`)
    .waitFor();
  expect((await c.admin.get('/v1/establishment/summary')).body.categories.ADMIN.total).toBe(
    summary.categories.ADMIN.total,
  );
  await page.getByLabel('行政编制总额').fill(String(summary.categories.ADMIN.total + 20));
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('button', { name: '登记新的编制总额' }).waitFor();
  expect((await c.admin.get('/v1/establishment/summary')).body.categories.ADMIN.total).toBe(
    summary.categories.ADMIN.total + 20,
  );
  await page.context().close();
});

it('gives the security admin the accounts to unlock and reset, and nothing of the admin’s', async () => {
  const page = await signIn(browser, stack.api.baseUrl, 'security_admin', PASSWORD);
  await page.getByRole('menuitem', { name: '系统管理' }).click();
  await page.getByRole('tab', { name: '用户与角色' }).waitFor();
  expect(await page.getByRole('tab', { name: '台账导入' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: '新建账号' }).count()).toBe(0);
  const signInAs = (password: string) => stack.api.post('/v1/auth/login', { username: 'clerk_poverty', password });
  for (let i = 0; i < 5; i++) expect((await signInAs('wrong-password')).status).toBe(401);
  expect((await signInAs(PASSWORD)).status).toBe(423);
  const line = page.getByTestId('users').locator('tr').filter({ hasText: 'clerk_poverty' });
  await line.getByRole('button', { name: '解锁' }).click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '解锁' }).click();
  await page.getByText(/已解锁 clerk_poverty/).waitFor();
  expect((await signInAs(PASSWORD)).status).toBe(200);
  await page.context().close();
});
