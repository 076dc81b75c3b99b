import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// unpdf (pdf.js) is an ES module that jest's CommonJS sandbox cannot import: the PDF is read back by a plain Node
// child process, which prints each page's text and size.

const SCRIPT = `
import { extractText, getDocumentProxy } from 'unpdf';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const doc = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
const { text } = await extractText(doc, { mergePages: false });
const sizes = [];
const lines = [];
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const [x0, y0, x1, y1] = page.view;
  sizes.push([Math.round(x1 - x0), Math.round(y1 - y0)]);
  const byY = new Map();
  for (const item of (await page.getTextContent()).items) {
    if (!item.str || !item.transform) continue;
    const y = Math.round(item.transform[5]);
    byY.set(y, (byY.get(y) ?? '') + item.str);
  }
  lines.push([...byY.entries()].sort((a, b) => b[0] - a[0]).map(([y, s]) => ({ y, text: s })));
}
process.stdout.write(JSON.stringify({ pages: text, sizes, lines }));
`;

export interface PdfRead {
  pages: string[];
  /** Each page's width and height in points. */
  sizes: [number, number][];
  /** Each page's lines, top first: the text at one height (PDF points from the bottom). */
  lines: { y: number; text: string }[][];
}

export function readPdf(pdf: Uint8Array): PdfRead {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    input: Buffer.from(pdf),
    cwd: join(__dirname, '..', '..', '..'),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as PdfRead;
}
