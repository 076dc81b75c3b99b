import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The lint rule that keeps SQL in libs/persistence repositories (eslint.config.mjs, docs/architecture.md): it
// refuses a query, a query builder, a query runner or an entity repository in an application's file, and lets
// a repository have them.

const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/.bin/eslint');

function lint(file: string, text: string): { status: number | null; out: string } {
  const r = spawnSync(ESLINT, ['--stdin', '--stdin-filename', file], { cwd: ROOT, input: text, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const PROBE = [
  "import { InjectDataSource } from '@nestjs/typeorm';",
  "import { DataSource } from 'typeorm';",
  'export class Probe {',
  '  constructor(@InjectDataSource() readonly ds: DataSource) {}',
  '}',
  'export async function probe(db: DataSource) {',
  "  await db.query('SELECT 1');",
  "  await db.getRepository('users').find();",
  "  await db.manager.createQueryBuilder().select('1').getRawMany();",
  '  await db.createQueryRunner().release();',
  '}',
  '',
].join('\n');

it('refuses SQL in an application', () => {
  for (const file of ['apps/api/src/probe/probe.service.ts', 'apps/worker/src/probe.activities.ts']) {
    const r = lint(file, PROBE);
    expect([file, r.status]).toEqual([file, 1]);
    for (const name of ['query', 'getRepository', 'createQueryBuilder', 'createQueryRunner'])
      expect(r.out).toContain(`.${name}() in an application: SQL belongs in a libs/persistence repository`);
    expect(r.out).toContain('@InjectDataSource() in an application: inject a libs/persistence repository');
  }
}, 60_000);

it('refuses TypeORM itself in the API, where Nest would inject a DataSource by class without a decorator', () => {
  const bypass = [
    "import { DataSource } from 'typeorm';",
    'export class Probe {',
    '  constructor(private readonly db: DataSource) {}',
    '  find() {',
    "    return this.db.manager.find('users');",
    '  }',
    '}',
    '',
  ].join('\n');
  const r = lint('apps/api/src/probe/probe.service.ts', bypass);
  expect(r.status).toBe(1);
  expect(r.out).toContain('the API uses libs/persistence repositories, not TypeORM itself');
}, 60_000);

it('lets a repository own its SQL', () => {
  const r = lint('libs/persistence/src/probe.repository.ts', PROBE);
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
}, 60_000);
