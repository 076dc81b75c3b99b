import * as fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { County, PASSWORD, seedCounty } from '../support/county';
import { forwardAndApprove, settled } from '../support/procedure';
import { ADMIN_PASSWORD, startStack, Stack } from '../support/stack';
import { consoleBuilt, launch, pick, shot, signIn } from './browser';

// 实名制 in the console (issue 16) against the real stack: the admin imports a unit's people (a bad ID number named
// by its row first, nothing written); a clerk files a person's 上编 in the browser, the ID number checked before
// it is sent; once the reviewer has forwarded it and the office director approved it, the clerk's people page lists
// the person with a masked ID number and 实有/实名/未实名 moved, and the person's history carries the document
// number; the monthly report counts the enrolment in this month's 上编 and downloads as CSV; a roster uploaded for
// reconciliation shows each planted difference; a 下编 is filed by picking the person, and a batch by pasting rows.

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

// Citizen ID numbers with their GB 11643 check character (ISO 7064 MOD 11-2).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idNumber = (first17: string) =>
  first17 + '10X98765432'[[...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0) % 11];
const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(14)}`;
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

const HOUSING = '县住房和城乡建设局';
const people = {
  chen: { name: '陈建华', id: idNumber('33010219800101011') },
  lin: { name: '林秀英', id: idNumber('33010219850615022') },
  zhou: { name: '周志强', id: idNumber('33010219900320033') },
  /** put on by the clerk's request */
  wang: { name: '王晓明', id: idNumber('33010219980808044') },
  /** on the payroll roster only */
  zhao: { name: '赵丽', id: idNumber('33010219920202055') },
};
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
}

const personRow = (page: Page, name: string) =>
  page.getByTestId('people-table').locator('tr.ant-table-row').filter({ hasText: name });

it('imports people, files a 上编 in the browser, and shows the person, the month and a reconciliation', async () => {
  // ── 系统管理 · 人员导入: three of the bureau's ten 行政编制 people by name; a bad check character first ──
  const admin = await signIn(browser, stack.api.baseUrl, 'admin', ADMIN_PASSWORD);
  await admin.getByRole('menuitem', { name: '系统管理' }).click();
  await admin.getByRole('tab', { name: '人员导入' }).click();
  const csv = (rows: { name: string; id: string }[]) =>
    ['name,idNumber,unitId,category', ...rows.map((p) => `${p.name},${p.id},${c.units.housing},ADMIN`)].join('\n');
  const badLin = { ...people.lin, id: wrongCheck(people.lin.id) };
  await admin.locator('input[type=file]').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv([people.chen, badLin, people.zhou])),
  });
  const report = admin.getByTestId('people-import-report');
  const bad = report.locator('tr.ant-table-row').filter({ hasText: '第 3 行' });
  await bad.getByText(/公民身份号码校验码不符：末位是 \w，应为 \w/).waitFor();
  expect(await report.locator('tr.ant-table-row').count()).toBe(1);
  await admin.getByTestId('people-import-refused').getByText('未导入任何人员').waitFor();
  expect((await c.users.reviewer.api.get('/v1/people')).body.total).toBe(0);
  await admin.locator('input[type=file]').setInputFiles({
    name: 'people-fixed.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv([people.chen, people.lin, people.zhou])),
  });
  await admin.getByTestId('people-import-checked').getByText('检查通过：共 3 人，尚未写入。').waitFor();
  await admin.getByRole('button', { name: '确认导入' }).click();
  await admin.getByTestId('people-import-done').getByText('已导入 3 人，已记入审计记录。').waitFor();
  expect((await c.users.reviewer.api.get('/v1/people')).body.total).toBe(3);
  await admin.context().close();

  // ── the clerk files 人员上编 for its bureau (two vacancies of 行政编制) ──
  const clerk = await signIn(browser, stack.api.baseUrl, 'clerk_housing', PASSWORD);
  await clerk.getByRole('menuitem', { name: '新建申请' }).click();
  await pick(clerk, '事项类型', '人员上编');
  await clerk.getByLabel('标题').fill('县住房和城乡建设局王晓明上编');
  await clerk.getByLabel('理由').fill('2026年度公务员考录，已完成公示和体检。');
  // The unit is the clerk's own already.
  await clerk.locator('.ant-form-item').filter({ hasText: '上编单位' }).getByText(HOUSING).waitFor();
  await pick(clerk, '编制类别', '行政编制');
  await pick(clerk, '进编渠道', '公开招聘');
  await clerk.getByLabel('姓名', { exact: true }).fill(people.wang.name);
  // A mistyped number is refused in the browser, before anything is sent, naming the check character.
  await clerk.getByLabel('公民身份号码').fill(wrongCheck(people.wang.id));
  await clerk.getByRole('button', { name: '提交' }).click();
  await clerk.getByText(new RegExp(`校验码不符：末位是 \\w，按前 17 位应为 ${people.wang.id[17]}`)).waitFor();
  expect(clerk.url()).toMatch(/\/new$/);
  await clerk.getByLabel('公民身份号码').fill(people.wang.id);
  await clerk.getByRole('button', { name: '提交' }).click();
  await clerk.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestId = clerk.url().split('/').pop()!;
  // The request's page says what it asks in words: the person, the masked number, the unit by name.
  const payload = clerk.getByTestId('people-payload');
  await payload.getByText(`${people.wang.name}上编到${HOUSING}行政编制。`).waitFor();
  await payload.getByText(masked(people.wang.id), { exact: true }).waitFor();
  await payload.getByText(`${HOUSING} 行政编制`).waitFor();
  await payload.getByText('公开招聘').waitFor();
  expect(await clerk.getByText(people.wang.id).count()).toBe(0);
  await shot(clerk, 'people-request');

  // ── the reviewer forwards, the office director approves ──
  await forwardAndApprove(c, requestId);
  const done = (await settled(c, requestId)).body;
  expect(done.status).toBe('implemented');
  expect(done.documentNumber).toBeTruthy();

  // ── the clerk's people page: the person on, masked; 实有 11, 实名 4, 未实名 7 ──
  await clerk.getByRole('menuitem', { name: '实名制' }).click();
  await clerk.waitForURL(/\/people$/);
  const row = personRow(clerk, people.wang.name);
  expect(await row.getByTestId('id-number').textContent()).toBe(masked(people.wang.id));
  await row.getByText('在编').waitFor();
  const counts = clerk.getByTestId('named-counts');
  await counts.getByTestId('ADMIN-named').getByText('4', { exact: true }).waitFor();
  expect(await counts.getByTestId('ADMIN-occupied').textContent()).toBe('11');
  expect(await counts.getByTestId('ADMIN-unnamed').textContent()).toBe('7');
  await clerk.getByTestId('people-table').getByText('共 4 人').waitFor();
  // Found by the whole ID number.
  await clerk.getByLabel('姓名或公民身份号码').fill(people.chen.id);
  await clerk.getByLabel('姓名或公民身份号码').press('Enter');
  await clerk.getByTestId('people-table').getByText('共 1 人').waitFor();
  await personRow(clerk, people.chen.name).waitFor();
  await clerk.getByLabel('姓名或公民身份号码').fill('');
  await clerk.getByLabel('姓名或公民身份号码').press('Enter');
  await clerk.getByTestId('people-table').getByText('共 4 人').waitFor();
  await shot(clerk, 'people');

  // ── the person's page: where on now, and the move with its document number and request ──
  await personRow(clerk, people.wang.name).getByRole('link', { name: people.wang.name }).click();
  await clerk.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  expect(await clerk.getByTestId('person-id-number').textContent()).toBe(masked(people.wang.id));
  await clerk.getByTestId('person-facts').getByText(HOUSING).waitFor();
  const enrolled = clerk.getByTestId('history-entry').filter({ hasText: '上编到' });
  await enrolled.getByText(`上编到 ${HOUSING} 行政编制（公开招聘）`).waitFor();
  expect(await enrolled.getByTestId('document-number').textContent()).toBe(done.documentNumber);
  expect(await enrolled.getByRole('link', { name: '查看事项' }).getAttribute('href')).toBe(`/requests/${requestId}`);
  await shot(clerk, 'people-person');

  // ── the office: full ID numbers; 月报 with this month's 上编, and its CSV ──
  const reviewer = await signIn(browser, stack.api.baseUrl, 'reviewer', PASSWORD);
  await reviewer.getByRole('menuitem', { name: '实名制' }).click();
  expect(await personRow(reviewer, people.wang.name).getByTestId('id-number').textContent()).toBe(people.wang.id);
  await reviewer.getByRole('tab', { name: '月报' }).click();
  await reviewer.waitForURL(/\/people\/monthly$/);
  const month = thisMonth();
  await reviewer
    .getByTestId('monthly-enrolled')
    .getByTestId('enrolled-GOVERNMENT/ADMIN')
    .getByText('1', { exact: true })
    .waitFor();
  expect(await reviewer.getByTestId('monthly-enrolled-total').textContent()).toBe('共 1 人');
  expect(await reviewer.getByTestId('monthly-disenrolled-total').textContent()).toBe('共 0 人');
  const government = (f: string) => reviewer.getByTestId(`table-GOVERNMENT/ADMIN-${f}`).textContent();
  const api = (await c.users.reviewer.api.get(`/v1/statistics/monthly?month=${month}`)).body;
  const row0 = api.table.find(
    (r: { unitKind: string; category: string }) => r.unitKind === 'GOVERNMENT' && r.category === 'ADMIN',
  );
  for (const f of ['approved', 'occupied', 'vacant', 'pending', 'actualVacant', 'named'])
    expect([f, await government(f)]).toEqual([f, String(row0[f])]);
  expect(await government('named')).toBe('4');
  expect(await government('unnamed')).toBe(String(row0.occupied - 4));
  const monthly = await download(reviewer, () => reviewer.getByTestId('monthly-csv').click());
  expect(monthly.name).toBe(`月报 ${month}.csv`);
  expect(monthly.text).toContain(`${month},上编,政府工作部门,行政编制,1`);
  await shot(reviewer, 'people-monthly');

  // ── 核查: a roster of the bureau with one of each difference planted ──
  await reviewer.getByRole('tab', { name: '核查' }).click();
  await reviewer.waitForURL(/\/people\/reconcile$/);
  await pick(reviewer, '核查范围', HOUSING);
  const roster = [
    'name,idNumber,unit',
    `${people.chen.name},${people.chen.id},${HOUSING}`,
    `${people.lin.name},${people.lin.id},县自然资源局`, // 单位不一致
    `${people.wang.name},${people.wang.id},${HOUSING}`,
    `${people.zhao.name},${people.zhao.id},${HOUSING}`, // 在册不在编
    `错号,${wrongCheck(people.zhao.id)},${HOUSING}`, // 无效行
  ].join('\n'); // 周志强 is not on it: 在编不在册
  await reviewer.locator('input[type=file]').setInputFiles({
    name: 'roster.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(roster),
  });
  const result = reviewer.getByTestId('reconcile-result');
  await result.waitFor();
  const count = (k: string) => result.getByTestId(`count-${k}`).locator('.ant-statistic-content-value').textContent();
  expect(await count('rosterRows')).toBe('5');
  expect(await count('peopleOn')).toBe('4');
  for (const k of ['notOnEstablishment', 'notOnRoster', 'unitDiffers', 'invalid'])
    expect([k, await count(k)]).toEqual([k, '1']);
  await reviewer.getByTestId('finding-notOnEstablishment').getByText(people.zhao.name).waitFor();
  await reviewer.getByTestId('finding-notOnRoster').getByRole('link', { name: people.zhou.name }).waitFor();
  const differs = reviewer.getByTestId('finding-unitDiffers').locator('tr.ant-table-row');
  await differs.filter({ hasText: people.lin.name }).getByText('县自然资源局').waitFor();
  await differs.filter({ hasText: people.lin.name }).getByText(HOUSING).waitFor();
  await reviewer.getByTestId('finding-invalid').getByText('第 6 行').waitFor();
  await reviewer
    .getByTestId('finding-invalid')
    .getByText(/校验码不符/)
    .waitFor();
  const findings = await download(reviewer, () => reviewer.getByTestId('reconcile-csv').click());
  expect(findings.name).toMatch(/^核查结果 \d{4}-\d{2}-\d{2}\.csv$/);
  expect(findings.text).toContain(`在编不在册,,${people.zhou.name},${masked(people.zhou.id)}`);
  expect(findings.text).toContain(`在册不在编,5,${people.zhao.name}`);
  await shot(reviewer, 'people-reconcile');
  await reviewer.context().close();

  // ── a 下编 filed by picking the person, by name, among the bureau's people ──
  await clerk.getByRole('menuitem', { name: '新建申请' }).click();
  await pick(clerk, '事项类型', '人员下编');
  await clerk.getByLabel('标题').fill('县住房和城乡建设局周志强退休下编');
  await clerk.getByLabel('理由').fill('周志强同志已到法定退休年龄。');
  await clerk.getByLabel('下编人员', { exact: true }).click();
  await clerk.getByLabel('下编人员', { exact: true }).fill('周志');
  await clerk
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: `${people.zhou.name}（${masked(people.zhou.id)}）` })
    .click();
  await pick(clerk, '下编原因', '退休');
  const date = clerk.getByLabel('下编日期', { exact: true });
  await date.click();
  await date.fill(`${month}-28`);
  await date.press('Enter');
  await clerk.getByRole('button', { name: '保存草稿' }).click();
  await clerk.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  const off = clerk.getByTestId('people-payload');
  await off.getByText(`${people.zhou.name}从${HOUSING}下编。`).waitFor();
  await off.getByText(`${HOUSING} 行政编制`).waitFor();
  await off.getByText('退休').waitFor();
  await off.getByText(`${month}-28`).waitFor();

  // ── a batch: two people pasted from a spreadsheet, each row checked, sent as the request's lines ──
  const recruits = [
    { name: '孙悦', id: idNumber('33010220000101066') },
    { name: '钱程', id: idNumber('33010220010202077') },
  ];
  await clerk.getByRole('menuitem', { name: '新建申请' }).click();
  await pick(clerk, '事项类型', '人员上编');
  await clerk.getByLabel('标题').fill('县住房和城乡建设局2名事业人员上编');
  await clerk.getByLabel('理由').fill('2026年度事业单位公开招聘。');
  await pick(clerk, '编制类别', '事业编制');
  await pick(clerk, '进编渠道', '公开招聘');
  await clerk.getByText('多人（粘贴名单）').click();
  const paste = clerk.getByPlaceholder(/张三,11010519491231002X/);
  await paste.fill(
    `姓名\t身份证号\n${recruits[0].name}\t${recruits[0].id}\n${recruits[1].name}\t${wrongCheck(recruits[1].id)}`,
  );
  await clerk.getByTestId('roster-preview').getByText('共 2 人，其中 1 行有问题，请修改后再提交。').waitFor();
  await paste.fill(`姓名\t身份证号\n${recruits.map((r) => `${r.name}\t${r.id}`).join('\n')}`);
  await clerk.getByTestId('roster-preview').getByText('共 2 人，均已通过校验。').waitFor();
  await clerk.getByRole('button', { name: '提交' }).click();
  await clerk.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  const batch = clerk.getByTestId('people-payload');
  await batch.getByText(`${recruits[0].name}等 2 人上编到${HOUSING}事业编制。`).waitFor();
  for (const r of recruits) await batch.getByText(masked(r.id), { exact: true }).waitFor();
  const filed = (await c.users.clerk_housing.api.get(`/v1/change-requests/${clerk.url().split('/').pop()}`)).body;
  expect(filed.status).toBe('demonstration');
  expect(filed.payload.lines.map((l: { person: { name: string } }) => l.person.name)).toEqual(['孙悦', '钱程']);
  await clerk.context().close();
}, 400_000);
