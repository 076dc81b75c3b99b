import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The boundary check (`npm run lint:boundaries`, part of `npm test`) against the real tree, and against a small
// tree with one forbidden import per rule, to show that each rule bites (docs/architecture.md lists the rules).

const ROOT = path.resolve(__dirname, '../..');
const DEPCRUISE = path.join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, dirs: string[]): { status: number | null; out: string } {
  const r = spawnSync(DEPCRUISE, [...dirs, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

it('finds no forbidden import in the project', () => {
  const r = cruise(ROOT, ['apps', 'libs', 'workflows', 'scripts', 'bench', 'test']);
  expect(r.out).toMatch(/no dependency violations found/);
  expect(r.status).toBe(0);
});

it('fails on each kind of forbidden import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { baseUrl: '.', paths: { '@bianzhi/domain': ['libs/domain/src'] } },
    }),
    'libs/domain/src/index.ts':
      "import { Entity } from 'typeorm';\nimport * as fs from 'node:fs';\nexport const x = [Entity, fs];\n",
    'workflows/src/wf.ts': [
      "import * as fs from 'node:fs';",
      "import { x } from '@bianzhi/domain';",
      "import { y } from '../../apps/worker/src/w';",
      'export const z = [fs, x, y];',
    ].join('\n'),
    'apps/api/src/a.ts': "import { y } from '../../worker/src/w';\nexport const a = y;\n",
    'apps/worker/src/w.ts': 'export const y = 1;\n',
    'libs/audit/src/l.ts': "import { a } from '../../../apps/api/src/a';\nexport const l = a;\n",
    'bench/b.ts': "import { a } from '../apps/api/src/a';\nexport const b = a;\n",
    'libs/domain/src/diff.ts': 'export const d = 1;\n',
    'apps/api/src/deep.ts': "import { d } from '../../../libs/domain/src/diff';\nexport const e = d;\n",
    'workflows/src/inner.ts': 'export const i = 1;\n',
    'apps/worker/src/deep.ts': "import { i } from '../../../workflows/src/inner';\nexport const w = i;\n",
    'apps/web/src/page.ts': "import { a } from '../../api/src/a';\nexport const p = a;\n",
  };
  try {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const r = cruise(dir, ['apps', 'libs', 'workflows', 'bench']);
    expect(r.status).not.toBe(0);
    for (const rule of [
      'domain-is-pure: libs/domain/src/index.ts → typeorm',
      'domain-is-pure: libs/domain/src/index.ts → fs',
      'workflow-no-node-builtins: workflows/src/wf.ts → fs',
      'workflow-sandbox: workflows/src/wf.ts → apps/worker/src/w.ts',
      'api-not-worker: apps/api/src/a.ts → apps/worker/src/w.ts',
      'libs-not-apps: libs/audit/src/l.ts → apps/api/src/a.ts',
      'tools-use-libs: bench/b.ts → apps/api/src/a.ts',
      'libs-by-package-name: apps/api/src/deep.ts → libs/domain/src/diff.ts',
      'workflows-by-contract: apps/worker/src/deep.ts → workflows/src/inner.ts',
      'web-is-alone: apps/web/src/page.ts → apps/api/src/a.ts',
    ]) {
      expect(r.out).toContain(rule);
    }
    // The workflow's import of the domain library by its package name is allowed.
    expect(r.out).not.toMatch(/workflows\/src\/wf\.ts → libs\/domain/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
