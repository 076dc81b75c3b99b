import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
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

/** The font files in a folder and its subfolders, in a fixed order (the order is part of the fingerprint). */
function fontFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => FONT_FILE.test(f))
      .sort()
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

/**
 * The fonts' fingerprint: SHA-256 over each font file's name, size and folder order. The same facts give the same
 * bytes only with the same fonts, so a verifier whose PDF differs can tell other fonts from a changed document.
 */
function fingerprint(dirs: readonly string[], noto: readonly string[]): string {
  const files = [...dirs.flatMap((d) => fontFilesIn(d)), ...noto];
  const list = files.map((f) => [basename(f), statSync(f).size]);
  return createHash('sha256').update(JSON.stringify(list)).digest('hex');
}

interface Kept {
  compiler: NodeCompiler;
  fonts: string;
}

const compilers = new Map<string, Kept>();

/** Forgets the kept compilers (tests: a fresh compiler must give the same bytes). */
export function forgetCompilers(): void {
  compilers.clear();
}

/** One compiler per font set, kept: loading the CJK faces takes a few hundred milliseconds. */
function compilerFor(options: RenderOptions): Kept {
  const { dirs, noto } = findFonts(options.fontDirs);
  const key = JSON.stringify([dirs, noto]);
  let kept = compilers.get(key);
  if (!kept) {
    // Every face as a blob: the compiler aborts the process when folders and blobs are mixed (0.7.0).
    const files = [...dirs.flatMap((d) => fontFilesIn(d)), ...noto];
    const compiler = NodeCompiler.create({ fontArgs: [{ fontBlobs: files.map((f) => readFileSync(f)) }] });
    kept = { compiler, fonts: fingerprint(dirs, noto) };
    compilers.set(key, kept);
  }
  return kept;
}

/** The PDF standard the documents are written in: PDF/A-2b (archival), which Typst 0.14 writes. */
export const PDF_STANDARD = 'a-2b';

export async function render(facts: DocumentFacts, options: RenderOptions = {}): Promise<RenderedDocument> {
  const model = composeDocument(facts);
  const { compiler, fonts } = compilerFor(options);
  const data = JSON.stringify({ model, fonts: FONT_FAMILIES });
  const result = compiler.compile({ mainFileContent: TEMPLATE, inputs: { data } });
  const error = result.takeError();
  if (error || !result.result) {
    const diagnostics = error ? compiler.fetchDiagnostics(error) : [];
    throw new Error(`renderDocument: Typst failed: ${JSON.stringify(diagnostics).slice(0, 2000)}`);
  }
  const pdf = new Uint8Array(compiler.pdf(result.result, { pdfStandard: PDF_STANDARD }));
  compiler.evictCache(10);
  return { pdf, title: documentTitle(facts), sha256: createHash('sha256').update(pdf).digest('hex'), fonts };
}

/** The same document as SVG pages (for the README's pictures). */
export function renderSvg(facts: DocumentFacts, options: RenderOptions = {}): string {
  const { compiler } = compilerFor(options);
  const data = JSON.stringify({ model: composeDocument(facts), fonts: FONT_FAMILIES });
  const result = compiler.compile({ mainFileContent: TEMPLATE, inputs: { data } });
  if (!result.result) throw new Error('renderSvg: Typst failed');
  return compiler.svg(result.result);
}
