import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { County, PASSWORD, seedCounty } from '../support/county';
import { implement } from '../support/procedure';
import { startStack, Stack } from '../support/stack';
import { consoleBuilt, launch, pick, shot, signIn } from './browser';

// The auditor's desk (审计) in the console, against the whole stack: the chain verified, a request's records
// found in the trail, its workflow replayed, its dossier downloaded and accepted by the offline verifier, and
// the request as it stood before the vote, rebuilt from the trail.

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

const auditorApi = () => c.users.auditor.api;

/** Clicks `button` and saves the file the page hands the browser into `dir`. */
async function download(page: Page, button: string, dir: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const to = path.join(dir, file.suggestedFilename());
  await file.saveAs(to);
  return to;
}

it('the auditor verifies the chain, checks an implemented request, exports a dossier that verifies', async () => {
  // A name plate the committee votes on (a rename would go up to the higher office).
  const title = '县住房和城乡建设局加挂县城市管理综合执法大队牌子';
  const request = await implement(c, 'clerk_housing', {
    type: 'ADD_NAME_PLATE',
    unitId: c.units.housing,
    title,
    payload: { unitId: c.units.housing, namePlate: '县城市管理综合执法大队' },
  });
  const id: string = request.id;

  const page = await signIn(browser, stack.api.baseUrl, 'auditor', PASSWORD);
  await page.getByRole('menuitem', { name: '审计' }).click();

  // The chain verified as the desk opens: intact, with the count the API gives.
  const verdict = page.locator('[data-testid=audit-verify][data-valid=true]');
  await verdict.getByText('签核记录完整').waitFor();
  const shown = Number(await verdict.getAttribute('data-records'));
  const verified = (await auditorApi().get('/v1/audit/verify')).body;
  expect(verified.valid).toBe(true);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(verified.records);
  expect(await verdict.textContent()).toContain(`共 ${shown} 条`);
  await verdict.getByText('用时').waitFor();

  // The log filtered by the request: its records, and only its.
  const filters = page.getByTestId('audit-filters');
  await filters.getByLabel('事项编号').fill(id);
  await filters.getByRole('button', { name: '查询' }).click();
  const log = page.getByTestId('audit-log');
  await log.getByRole('cell', { name: '组织实施完毕', exact: true }).waitFor();
  const trail = (await auditorApi().get(`/v1/audit?requestId=${id}`)).body as { seq: number; action: string }[];
  // Only its records once the filtered page has replaced the first page of the whole trail.
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid=audit-log] tbody tr.ant-table-row').length === ${trail.length}`,
  );
  for (const action of ['提交', '审核通过，提请审议', '表决通过', '组织实施完毕'])
    await log.getByRole('cell', { name: action, exact: true }).first().waitFor();
  // A record opened: its before and after, its hashes.
  await log.getByRole('row').filter({ hasText: '表决通过' }).locator('.ant-table-row-expand-icon').click();
  const detail = page.getByTestId('record-detail');
  await detail.getByText('变更后').waitFor();
  const closed = trail.find((r) => r.action === 'vote_closed_approved')!;
  const stored = (await auditorApi().get(`/v1/audit?requestId=${id}`)).body.find(
    (r: { seq: number }) => r.seq === closed.seq,
  );
  await detail.getByText(stored.hash).waitFor();
  await shot(page, 'audit-desk');

  // That record's inclusion proof in the latest signed checkpoint.
  await detail.getByRole('button', { name: '查看包含证明' }).click();
  await page.getByTestId('checkpoint-size').waitFor();
  expect(await page.locator('#inclusion-seq').inputValue()).toBe(String(closed.seq));
  await page.getByRole('button', { name: '获取包含证明' }).click();
  await page.getByTestId('inclusion').getByText('与上方签名检查点的根哈希相同').waitFor();

  // The request checked: picked from its record in the log.
  await page.getByRole('tab', { name: '审计记录' }).click();
  await log.getByRole('row').filter({ hasText: '组织实施完毕' }).getByText('核查', { exact: true }).click();
  const check = page.getByTestId('request-check');
  await check.getByRole('link', { name: title }).waitFor();

  // Replayed against today's code: deterministic.
  await check.getByRole('button', { name: '重放工作流' }).click();
  await page
    .locator('[data-testid=replay][data-deterministic=true]')
    .getByText('确定性重放通过')
    .waitFor({ timeout: 90_000 });

  // Its dossier and the public key downloaded, and the offline verifier accepts them.
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'console-dossier-'));
  const dossier = await download(page, '下载核查卷宗', dir);
  expect(path.basename(dossier)).toBe(`dossier-${id}.json`);
  await page.getByTestId('dossier-saved').waitFor();
  const key = await download(page, '下载公钥', dir);
  expect(fs.readFileSync(key, 'utf8')).toBe((await auditorApi().get('/v1/audit/public-key')).body.publicKey);
  expect(JSON.parse(fs.readFileSync(dossier, 'utf8')).request.id).toBe(id);
  const verifier = path.resolve(__dirname, '../../dist/scripts/verify-dossier.js');
  const out = execFileSync(process.execPath, [verifier, dossier, '--public-key', key], { encoding: 'utf8' });
  expect(out).toContain('the dossier is intact');

  // As it stood when forwarded to the committee, before the vote: rebuilt from the trail.
  await pick(page, '记录时刻', '审核通过，提请审议');
  const before = page.locator('[data-testid=as-of][data-status=committee]');
  await before.getByText('编委会审议中').waitFor();
  await before.getByText(/由审计记录重建/).waitFor();
  await before.getByText(/应表决 \d+ 人，已表决 0 人/).waitFor();
  // …and as it stands now, from the same trail.
  await pick(page, '记录时刻', '组织实施完毕');
  await page.locator('[data-testid=as-of][data-status=implemented]').getByText('已实施').waitFor();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  await shot(page, 'audit-request');
  await page.context().close();
}, 300_000);
