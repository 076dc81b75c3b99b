import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../api/client';
import { problemSentence } from './errors';
import { TRAIL_LABELS } from './labels';
import { OTHER_ACTION_LABELS } from '../pages/audit/logic';

// Every step the trail can record and every error code the API can answer has words in the console: read from
// the sources that write them, so a new step or code without a label fails here.

const ROOT = path.resolve(__dirname, '../../../..');

function read(dir: string, holding = ''): string {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .filter((text) => text.includes(holding))
    .join('\n');
}

describe('the trail', () => {
  it('has a label for every step the workflow and the activities record', () => {
    const workflow = read('workflows/src');
    // The files that write records themselves (appendAudit), where `action:` names a record's step.
    const apps = read('apps/api/src', 'appendAudit(') + read('apps/worker/src', 'appendAudit(');
    const steps = new Set<string>();
    for (const m of workflow.matchAll(/(?:transition|takeStep)\(\s*'([a-z_]+)'/g)) steps.add(m[1]);
    for (const m of workflow.matchAll(/\?\s*'([a-z_]+)'\s*:\s*'([a-z_]+)',\s*actor/g)) steps.add(m[1]).add(m[2]);
    // A closed vote's step names its outcome (`vote_closed_${outcome}`, VoteOutcome in libs/domain).
    if (workflow.includes('`vote_closed_${outcome.toLowerCase()}`'))
      for (const o of ['approved', 'rejected', 'no_quorum']) steps.add(`vote_closed_${o}`);
    for (const m of apps.matchAll(/action:\s*(?:[\w.]+\s*\?\s*)?'([a-z_]+)'(?:\s*:\s*'([a-z_]+)')?/g)) {
      steps.add(m[1]);
      if (m[2]) steps.add(m[2]);
    }
    // The registry's own records (admin loads and imports, 实名制's import and reconciliations) are not a request's
    // steps: the auditor's desk names them (pages/audit/logic.ts OTHER_ACTION_LABELS).
    for (const other of Object.keys(OTHER_ACTION_LABELS)) steps.delete(other);
    expect(steps.size).toBeGreaterThan(15);
    expect([...steps].filter((s) => !TRAIL_LABELS[s]).sort()).toEqual([]);
  });
});

describe('errors', () => {
  it('has a sentence, not a code, for every error code the API answers', () => {
    const api = read('apps/api/src') + read('libs/domain/src/procedure');
    const codes = new Set(['VALIDATION_FAILED', 'NOT_FOUND', 'UNAVAILABLE', 'RULE_VIOLATION']);
    for (const m of api.matchAll(/new ApiError\(\s*\d+,\s*'([A-Z_]+)'/g)) codes.add(m[1]);
    for (const m of api.matchAll(/ApiError\.forbidden\(\s*'([A-Z_]+)'/g)) codes.add(m[1]);
    const refusals = api.match(/export const REFUSALS = \{([^}]*)\}/)?.[1] ?? '';
    for (const m of refusals.matchAll(/([A-Z_]+):/g)) codes.add(m[1]);
    expect(codes.size).toBeGreaterThan(10);
    const generic = problemSentence(new ApiProblem(418, 'NO_SUCH_CODE', 'x', []));
    const wordless = [...codes].filter((code) => problemSentence(new ApiProblem(400, code, 'x', [])) === generic);
    expect(wordless.sort()).toEqual([]);
  });
});
