import { Browser, Page } from 'playwright-core';
import { County, PASSWORD, seedCounty, until } from '../support/county';
import { createSubmitted, forwardAndApprove, implement, settled } from '../support/procedure';
import { startStack, Stack } from '../support/stack';
import { consoleBuilt, launch, shot, signIn } from './browser';

// 机构编制台账 in the console (issue 15): after two requests are implemented (a quota raised, a bureau renamed),
// the registry as it stood before them shows the old figures and name, today's the new ones, in the table and on
// the unit's page, and the unit's history lists the version with the request's document number.

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

const chinaDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const row = (page: Page, unitId: string) => page.getByTestId('registry-table').locator(`tr[data-row-key="${unitId}"]`);
const quotaRow = (page: Page, category: string) =>
  page.getByTestId('unit-quotas').locator(`tr[data-row-key="${category}"]`);

it('shows the registry and a unit as they stood before two requests, and as they are now', async () => {
  // The county is loaded today: the moment between the load and the requests is the "before".
  const seededAt = Date.now();
  const before = new Date(seededAt).toISOString();
  await new Promise((r) => setTimeout(r, 50));

  const raise = await implement(c, 'clerk_housing', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.housing,
    title: '县住房和城乡建设局核增行政编制2名',
    payload: { unitId: c.units.housing, category: 'ADMIN', delta: 2 },
  });
  expect(raise.documentNumber).toMatch(/^清编〔\d{4}〕\d+号$/);
  // Renaming a government bureau goes up (报批) after the county committee.
  const renameId = await createSubmitted(c, 'clerk_poverty', {
    type: 'RENAME_UNIT',
    unitId: c.units.poverty,
    title: '县扶贫开发局重组为县乡村振兴局',
    payload: { unitId: c.units.poverty, newName: '县乡村振兴局' },
  });
  await forwardAndApprove(c, renameId);
  await until(
    'awaiting higher approval',
    () => c.users.liaison.api.get(`/v1/change-requests/${renameId}`),
    (r) => r.body.status === 'awaiting_higher_approval',
  );
  const higher = await c.users.liaison.api.post(`/v1/change-requests/${renameId}/higher-decision`, {
    approved: true,
    documentNumber: '市编〔2026〕21号',
    comment: '同意',
  });
  expect(higher.status).toBe(200);
  const renamed = (await settled(c, renameId)).body;
  expect(renamed.status).toBe('implemented');

  const page = await signIn(browser, stack.api.baseUrl, 'reviewer', PASSWORD);

  // Today: the new figures and the new name.
  await page.getByRole('menuitem', { name: '机构编制台账' }).click();
  await page.waitForURL(/\/registry$/);
  await row(page, c.units.housing).getByTestId('quota-ADMIN').getByText('14/10', { exact: true }).waitFor();
  await row(page, c.units.poverty).getByText('县乡村振兴局', { exact: true }).waitFor();
  expect(await page.getByTestId('registry-table').getByText('县扶贫开发局').count()).toBe(0);
  expect(await page.getByTestId('as-of-banner').count()).toBe(0);
  await shot(page, 'registry');

  // The search finds the bureau by its new name, and the tree shows it among the government bodies.
  await page.getByLabel('单位名称').fill('乡村振兴');
  await page.getByTestId('registry-table').getByText('共 1 个单位').waitFor();
  await page.getByRole('tab', { name: '隶属关系' }).click();
  await page.getByTestId('registry-tree').getByText('政府机构（1）').waitFor();
  await page.getByTestId('registry-tree').getByRole('link', { name: '县乡村振兴局' }).waitFor();
  await page.getByLabel('单位名称').fill('');
  await page.getByTestId('registry-tree').getByText('党委机构（2）').waitFor();

  // Before the requests (a moment in the URL, shareable): the old quota and the old name.
  await page.goto(`/registry?asOf=${encodeURIComponent(before)}`);
  await page.getByTestId('as-of-banner').waitFor();
  await row(page, c.units.housing).getByTestId('quota-ADMIN').getByText('12/10', { exact: true }).waitFor();
  await row(page, c.units.poverty).getByText('县扶贫开发局', { exact: true }).waitFor();
  expect(await page.getByTestId('registry-table').getByText('县乡村振兴局').count()).toBe(0);

  // The unit's page at that moment, reached from the table: the date goes along.
  await row(page, c.units.housing).getByRole('link', { name: '县住房和城乡建设局' }).click();
  await page.waitForURL(new RegExp(`/registry/units/${c.units.housing}\\?asOf=`));
  await page.getByTestId('as-of-banner').waitFor();
  await quotaRow(page, 'ADMIN').getByTestId('quotas').getByText('12', { exact: true }).waitFor();
  expect(await quotaRow(page, 'ADMIN').getByTestId('occupied').textContent()).toBe('10');
  expect(await quotaRow(page, 'ADMIN').getByTestId('actualVacant').textContent()).toBe('2');
  await page
    .getByTestId('version-in-force')
    .getByText(/台账导入/)
    .waitFor();
  const history = page.getByTestId('unit-history');
  const raisedRow = history.locator('tr.ant-table-row').filter({ hasText: raise.documentNumber });
  await raisedRow.getByText('行政编制核定：12 → 14').waitFor();
  await history.locator('tr.ant-table-row').filter({ hasText: '建立台账记录' }).getByText('当时有效').waitFor();

  // Now: the raised quota, the version with its document number and a link to the request.
  await page.getByTestId('as-of-banner').getByRole('button', { name: '查看当前' }).click();
  await page.waitForURL(new RegExp(`/registry/units/${c.units.housing}$`));
  await quotaRow(page, 'ADMIN').getByTestId('quotas').getByText('14', { exact: true }).waitFor();
  expect(await quotaRow(page, 'ADMIN').getByTestId('actualVacant').textContent()).toBe('4');
  expect(await raisedRow.getByTestId('document-number').textContent()).toBe(raise.documentNumber);
  await raisedRow.getByText('现行').waitFor();
  await raisedRow.getByText('批准事项实施').waitFor();
  expect(await raisedRow.getByRole('link', { name: '查看事项' }).getAttribute('href')).toBe(`/requests/${raise.id}`);
  await page.getByTestId('unit-facts').getByText('正科 1正2副').waitFor();
  await shot(page, 'registry-unit');

  // The renamed bureau: its old name before, its new name now, the renaming in its history.
  await page.goto(`/registry/units/${c.units.poverty}?asOf=${encodeURIComponent(before)}`);
  await page.getByTestId('unit-name').getByText('县扶贫开发局', { exact: true }).waitFor();
  await page.goto(`/registry/units/${c.units.poverty}`);
  await page.getByTestId('unit-name').getByText('县乡村振兴局', { exact: true }).waitFor();
  const renaming = page
    .getByTestId('unit-history')
    .locator('tr.ant-table-row')
    .filter({ hasText: '名称：县扶贫开发局 → 县乡村振兴局' });
  expect(await renaming.getByTestId('document-number').textContent()).toBe(renamed.documentNumber);

  // The picker works by day: yesterday (China time) the county had not been loaded yet.
  if (chinaDay(seededAt) === chinaDay(Date.now())) {
    const yesterday = chinaDay(Date.now() - 24 * 3600_000);
    await page.goto('/registry');
    await row(page, c.units.housing).waitFor();
    const picker = page.getByRole('textbox', { name: '查看某日台账' });
    await picker.click();
    await picker.fill(yesterday);
    await picker.press('Enter');
    await page.waitForURL(new RegExp(`/registry\\?asOf=${yesterday}$`));
    await page.getByTestId('as-of-banner').getByText(`${yesterday} 日终`).waitFor();
    await page.getByTestId('registry-table').getByText('没有符合条件的单位').waitFor();
    await page.reload(); // the date is in the URL: it survives a reload
    await page.getByTestId('as-of-banner').getByText(`${yesterday} 日终`).waitFor();
    expect(await page.getByRole('textbox', { name: '查看某日台账' }).inputValue()).toBe(yesterday);
  }
  await page.context().close();
}, 300_000);
