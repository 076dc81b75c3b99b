import * as fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { County, PASSWORD, seedCounty } from '../support/county';
import { createSubmitted, implement } from '../support/procedure';
import { startStack, Stack } from '../support/stack';
import { consoleBuilt, launch, shot, signIn } from './browser';

// 编制统计 in a real Chromium against the real stack (issue 15, "the county's numbers"): after requests are
// implemented, the seed-004 table in the page is the API's summary cell by cell, the turnover pool's loans are
// listed with the one due within 30 days marked, the units to correct are named, the four charts draw, and the
// table's CSV and XLSX exports download; as of an earlier day the page shows the registry as it stood.

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

const CATEGORIES = ['ADMIN', 'POLITICAL_LEGAL', 'PUBLIC_INSTITUTION', 'SCHOOL_STAFF', 'CONTRACT'];
const FIELDS = ['total', 'allocated', 'free', 'occupied', 'vacant', 'pending', 'actualVacant', 'unitsOverQuota'];
const chinaDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
const endOfChinaDay = (date: string) => new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();

interface Summary {
  categories: Record<string, Record<string, number>>;
  turnoverPool: Record<string, { size: number; lent: number; available: number }>;
  loans: { unitId: string; dueDate: string }[];
}

/** Every cell of the page's summary table against the API's summary; 合计 adds the categories up. */
async function expectTableIsSummary(page: Page, summary: Summary): Promise<void> {
  const cell = (id: string) => page.getByTestId(id).textContent();
  for (const cat of CATEGORIES)
    for (const f of FIELDS)
      expect([cat, f, await cell(`summary-${cat}-${f}`)]).toEqual([cat, f, String(summary.categories[cat][f])]);
  for (const f of FIELDS) {
    const sum = CATEGORIES.reduce((n, cat) => n + summary.categories[cat][f], 0);
    expect([f, await cell(`summary-sum-${f}`)]).toEqual([f, f === 'unitsOverQuota' ? '—' : String(sum)]);
  }
}

/** The rows of an antd table as the page shows them: header, then each row's cells. */
async function tableText(page: Page, testId: string): Promise<string[][]> {
  const table = page.getByTestId(testId);
  const rows = table.locator('tbody tr.ant-table-row');
  const out = [await table.locator('thead th').allTextContents()];
  for (let i = 0; i < (await rows.count()); i++) out.push(await rows.nth(i).locator('td').allTextContents());
  return out;
}

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

it("shows the county's numbers as the API counts them, draws the charts, exports the tables", async () => {
  // A unit loaded as the county stood: over its administrative quota and with more posts than that quota.
  const petitions = await c.admin.post('/v1/units', {
    name: '县信访局',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 3 },
    occupied: { ADMIN: 4 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
  });
  expect(petitions.status).toBe(201);
  // Two loans from the turnover pool, one due within 30 days, and a quota use (待入编).
  const lend = (unit: string, count: number, dueDate: string) => ({
    type: 'LEND_POOL_QUOTA',
    unitId: c.units[unit],
    title: '使用周转池编制',
    payload: { loans: [{ unitId: c.units[unit], category: 'PUBLIC_INSTITUTION', count }], dueDate },
  });
  await implement(c, 'clerk_housing', lend('housing', 2, chinaDay(10)));
  await implement(c, 'clerk_health', lend('health', 3, chinaDay(200)));
  await implement(c, 'clerk_housing', {
    type: 'USE_QUOTA',
    unitId: c.units.housing,
    title: '县住房和城乡建设局使用空编1名',
    payload: { unitId: c.units.housing, category: 'ADMIN', count: 1 },
  });
  // And one standing in 论证, for the chart of requests by stage.
  await createSubmitted(c, 'clerk_health', {
    type: 'RENAME_UNIT',
    unitId: c.units.health,
    payload: { unitId: c.units.health, newName: '县卫生和健康局' },
  });
  const summary: Summary = (await c.users.reviewer.api.get('/v1/establishment/summary')).body;
  expect(summary.categories.ADMIN).toMatchObject({ pending: 1, unitsOverQuota: 1 });
  expect(summary.turnoverPool.PUBLIC_INSTITUTION).toEqual({ size: 20, lent: 5, available: 15 });

  const page = await signIn(browser, stack.api.baseUrl, 'reviewer', PASSWORD, { width: 1280, height: 900 });
  await page.getByRole('menuitem', { name: '编制统计' }).click();
  await page.getByTestId('summary-ADMIN-total').waitFor();
  await expectTableIsSummary(page, summary);
  expect(await page.getByTestId('pool-PUBLIC_INSTITUTION-lent').textContent()).toBe('5');
  expect(await page.getByTestId('pool-PUBLIC_INSTITUTION-available').textContent()).toBe('15');

  // The loans, soonest due first, the one due within 30 days marked 即将到期.
  await page.getByTestId('loans').getByText('县卫生健康局').waitFor();
  expect((await tableText(page, 'loans')).slice(1)).toEqual([
    ['县住房和城乡建设局', '事业编制', '2', chinaDay(10), '即将到期'],
    ['县卫生健康局', '事业编制', '3', chinaDay(200), ''],
  ]);

  // The units to correct: over quota as the summary counts them, and over posts.
  await page.getByTestId(`over-quota-${petitions.body.id}:ADMIN-excess`).waitFor();
  expect((await tableText(page, 'over-quota')).slice(1)).toEqual([['县信访局', '行政编制', '3', '0', '4', '0', '1']]);
  expect(await page.getByTestId(`posts-${petitions.body.id}-posts`).textContent()).toBe('4');

  // The charts draw (ECharts' SVG renderer) with the API's series.
  for (const chart of ['chart-quota', 'chart-pool', 'chart-stages', 'chart-months'])
    await page.locator(`[data-testid=${chart}] svg`).first().waitFor();
  for (const status of ['论证中', '已实施'])
    await page.getByTestId('chart-stages').locator('svg text', { hasText: status }).first().waitFor();
  await page.getByTestId('chart-quota').locator('svg text', { hasText: '待入编' }).first().waitFor();
  await shot(page, 'numbers');

  // CSV: UTF-8 with its BOM, named in Chinese with the date, rows as the table shows them.
  const csv = await download(page, 'summary-export-csv');
  expect(csv.name).toBe(`编制总体情况_${chinaDay()}.csv`);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
  expect(lines.map((l) => l.split(','))).toEqual(await tableText(page, 'summary'));
  expect(lines).toHaveLength(1 + CATEGORIES.length + 1);

  // XLSX: a zip (PK), named the same way; the loans' too.
  const xlsx = await download(page, 'summary-export-xlsx');
  expect(xlsx.name).toBe(`编制总体情况_${chinaDay()}.xlsx`);
  expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const loansCsv = await download(page, 'loans-export-csv');
  expect(loansCsv.name).toBe(`借出的周转池编制_${chinaDay()}.csv`);
  expect(loansCsv.bytes.toString('utf8')).toContain(`县住房和城乡建设局,事业编制,2,${chinaDay(10)},即将到期`);

  // As of yesterday evening (before this county was loaded): the API's summary as of then, cell by cell.
  const yesterday = chinaDay(-1);
  const before: Summary = (
    await c.users.reviewer.api.get(`/v1/establishment/summary?asOf=${encodeURIComponent(endOfChinaDay(yesterday))}`)
  ).body;
  const picker = page.getByLabel('截至日期');
  await picker.click();
  await picker.fill(yesterday);
  await picker.press('Enter');
  await page.getByTestId('as-of-shown').getByText(`数据时点：${yesterday} 日终`).waitFor();
  await expectTableIsSummary(page, before);
  await page.getByText('此名单和下方领导职数名单按当前台账列出').waitFor();
  await page.context().close();
});
