import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

// The console's browser tests drive the system Chromium (scripts/ensure-chromium.js installs it for npm test);
// playwright-core never downloads a browser.

export const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p && fs.existsSync(p),
  );
  if (!found) throw new Error('no Chromium: run `node scripts/ensure-chromium.js` or set CHROMIUM_PATH');
  return found;
}

export function consoleBuilt(): void {
  if (!fs.existsSync(path.resolve(__dirname, '../../dist/web/index.html')))
    throw new Error('the console is not built: run `npm run build:web` (npm test builds it)');
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new browser context (its own sessionStorage) signed in as `username`. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  password: string,
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  // Generous: on a loaded 2-core machine a page and its first queries can take seconds; a wait is no assertion.
  page.setDefaultTimeout(45_000);
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('me').waitFor();
  return page;
}

/** Picks `option` in the antd Select labelled `label` (scoped to `within`, e.g. a dialog). */
export async function pick(page: Page, label: string, option: string, within = page.locator('body')): Promise<void> {
  await within.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

/** Opens a request's page and waits until it has loaded (its timeline 签核历程). */
export async function openRequest(page: Page, id: string): Promise<void> {
  await page.goto(`/requests/${id}`);
  await page.getByText('签核历程').waitFor();
}

/** Presses 确定 in the open dialog and waits until it has closed. */
export async function dialogOk(page: Page): Promise<void> {
  await page.locator('.ant-modal:visible').getByRole('button', { name: '确定' }).click();
  await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
}

/** The README's screenshots, rewritten only when asked (`npm run screenshots`), so a test run leaves the tree clean. */
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
