import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { renderSvg } from '../src/render';
import { ALL_KINDS } from './samples';

// The README's pictures of each kind of document (docs/documents/*.png): the first page of each sample, from
// Typst's SVG through the system Chromium. Written only when asked: DOCUMENT_PICTURES=1.

const OUT = path.resolve(__dirname, '../../../docs/documents');
const WIDTH = 1240; // A4 at 150 dpi
const HEIGHT = Math.round((WIDTH * 297) / 210);

function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p && fs.existsSync(p),
  );
  if (!found) throw new Error('no Chromium: run `node scripts/ensure-chromium.js` or set CHROMIUM_PATH');
  return found;
}

const pictures = process.env.DOCUMENT_PICTURES === '1' ? it : it.skip;

pictures('draws the first page of each kind of document', async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    for (const [name, facts] of Object.entries(ALL_KINDS)) {
      const svg = Buffer.from(renderSvg(facts)).toString('base64');
      await page.setContent(
        `<body style="margin:0;background:#fff"><img style="width:${WIDTH}px;display:block" ` +
          `src="data:image/svg+xml;base64,${svg}"></body>`,
      );
      await page.waitForLoadState('load');
      const file = path.join(OUT, `${name}.png`);
      await page.screenshot({ path: file, clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    }
  } finally {
    await browser.close();
  }
});
