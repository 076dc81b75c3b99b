import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import type { DocumentFacts, RenderedDocument, RenderOptions } from './index';
import { composeDocument, documentTitle } from './compose';
import { TEMPLATE } from './template';

// Renders a document with Typst (docs/domain.md, "Official documents"). Reproducible: the same facts and the same
// fonts give the same bytes, as the PDF's dates are the issue date and Typst derives its ids from the content.

/** Where Debian (fonts-noto-cjk) and other distributions put Noto CJK. */
const NOTO_DIRS = [
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/noto-cjk',
  '/usr/share/fonts/opentype/noto-cjk',
  '/usr/share/fonts/google-noto-cjk',
  '/usr/share/fonts/noto',
];
/** Only the faces the layout uses: serif regular (body) and bold (title and header), sans (黑体 headings). */
const NOTO_FILES = ['NotoSerifCJK-Regular.ttc', 'NotoSerifCJK-Bold.ttc', 'NotoSansCJK-Regular.ttc'];

/** The font families of each role, an office's licensed font first (by its family names), Noto CJK after it. */
export const FONT_FAMILIES = {
  title: ['FZXiaoBiaoSong-B05S', '方正小标宋简体', '方正小标宋_GBK', 'Noto Serif CJK SC'],
  body: ['FangSong_GB2312', '仿宋_GB2312', 'FangSong', '仿宋', 'Noto Serif CJK SC'],
  song: ['SimSun', '宋体', 'Noto Serif CJK SC'],
  hei: ['SimHei', '黑体', 'Noto Sans CJK SC', 'Noto Serif CJK SC'],
};

const FONT_FILE = /\.(ttf|otf|ttc|otc)$/i;

function fontFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => FONT_FILE.test(f))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function notoFiles(notoDirs: readonly string[]): string[] {
  for (const dir of notoDirs) {
    const found = NOTO_FILES.map((f) => join(dir, f)).filter((p) => existsSync(p));
    if (found.length) return found;
  }
  return [];
}

/** The fonts a render uses: the office's folders that hold fonts, and Noto CJK's files; throws when neither. */
export function findFonts(fontDirs: readonly string[] = [], notoDirs: readonly string[] = NOTO_DIRS) {
  const dirs = fontDirs.filter((d) => fontFilesIn(d).length > 0);
  const noto = notoFiles(notoDirs);
  if (!dirs.length && !noto.length)
    throw new Error(
      'No CJK font for official documents: install Noto CJK (Debian/Ubuntu: `apt-get install fonts-noto-cjk`) ' +
        "or pass fontDirs with the office's 方正小标宋简体 and 仿宋_GB2312.",
    );
  return { dirs, noto };
}

const compilers = new Map<string, NodeCompiler>();

/** Forgets the kept compilers (tests: a fresh compiler must give the same bytes). */
export function forgetCompilers(): void {
  compilers.clear();
}

/** One compiler per font set, kept: loading the CJK faces takes a few hundred milliseconds. */
function compilerFor(options: RenderOptions): NodeCompiler {
  const { dirs, noto } = findFonts(options.fontDirs);
  const key = JSON.stringify([dirs, noto]);
  let compiler = compilers.get(key);
  if (!compiler) {
    compiler = NodeCompiler.create({
      fontArgs: [
        ...(dirs.length ? [{ fontPaths: dirs }] : []),
        ...(noto.length ? [{ fontBlobs: noto.map((f) => readFileSync(f)) }] : []),
      ],
    });
    compilers.set(key, compiler);
  }
  return compiler;
}

/** The PDF standard the documents are written in: PDF/A-2b (archival), which Typst 0.14 writes. */
export const PDF_STANDARD = 'a-2b';

export async function render(facts: DocumentFacts, options: RenderOptions = {}): Promise<RenderedDocument> {
  const model = composeDocument(facts);
  const compiler = compilerFor(options);
  const data = JSON.stringify({ model, fonts: FONT_FAMILIES });
  const result = compiler.compile({ mainFileContent: TEMPLATE, inputs: { data } });
  const error = result.takeError();
  if (error || !result.result) {
    const diagnostics = error ? compiler.fetchDiagnostics(error) : [];
    throw new Error(`renderDocument: Typst failed: ${JSON.stringify(diagnostics).slice(0, 2000)}`);
  }
  const pdf = new Uint8Array(compiler.pdf(result.result, { pdfStandard: PDF_STANDARD }));
  compiler.evictCache(10);
  return { pdf, title: documentTitle(facts), sha256: createHash('sha256').update(pdf).digest('hex') };
}

/** The same document as SVG pages (for the README's pictures). */
export function renderSvg(facts: DocumentFacts, options: RenderOptions = {}): string {
  const compiler = compilerFor(options);
  const data = JSON.stringify({ model: composeDocument(facts), fonts: FONT_FAMILIES });
  const result = compiler.compile({ mainFileContent: TEMPLATE, inputs: { data } });
  if (!result.result) throw new Error('renderSvg: Typst failed');
  return compiler.svg(result.result);
}
