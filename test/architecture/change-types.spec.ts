import * as fs from 'node:fs';
import * as path from 'node:path';
import { REQUEST_TYPES } from '@bianzhi/domain';

// One home per rule (docs/architecture.md): what depends on a request's type is a member of its definition in
// libs/domain/src/change-types/, looked up in CHANGE_TYPES, never a `switch`, `case` or comparison elsewhere.

const ROOT = path.resolve(__dirname, '../..');
const HOME = 'libs/domain/src/change-types/';
const TYPES = REQUEST_TYPES.join('|');
const BRANCH = new RegExp(`case '(${TYPES})'|[=!]==? *'(${TYPES})'|'(${TYPES})' *[=!]==?`, 'g');

/**
 * Branches still to move onto the registry, in files another change owns: each has its replacement ready
 * (`poolLoanDueDate(spec)`, `setsUpUnit(type)` from @bianzhi/domain). The list may only shrink.
 */
const PENDING = new Set<string>([]);

/** Tests, and the web console (browser code with its own build, which renders a form per type). */
const SKIP = ['node_modules', 'test', 'apps/web'];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return SKIP.includes(rel) || SKIP.includes(e.name) ? [] : sources(rel);
    return /\.tsx?$/.test(e.name) && !/\.(spec|e2e-spec)\.ts$/.test(e.name) ? [rel] : [];
  });
}

it('branches on a request type only in the change-type registry', () => {
  const found = new Set<string>();
  for (const file of ['apps', 'libs', 'workflows'].flatMap(sources)) {
    if (file.startsWith(HOME)) continue;
    for (const m of fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(BRANCH))
      found.add(`${file}: ${m[1] ?? m[2] ?? m[3]}`);
  }
  expect([...found].filter((f) => !PENDING.has(f))).toEqual([]);
});

it('recognises a branch on a request type', () => {
  const text = "switch (t) { case 'USE_QUOTA': }; if (spec.type === 'MERGE_UNITS') {}; 'RENAME_UNIT' !== x";
  expect([...text.matchAll(BRANCH)].map((m) => m[1] ?? m[2] ?? m[3])).toEqual([
    'USE_QUOTA',
    'MERGE_UNITS',
    'RENAME_UNIT',
  ]);
});
