import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_SENTENCES, ruleSentence } from './rule-sentences';

// Every rule code the domain library can produce has a Chinese sentence: read from the library's sources, so a
// code added there and not in rule-sentences.ts fails here.

const DOMAIN = path.resolve(__dirname, '../../../../libs/domain/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [fs.readFileSync(p, 'utf8')] : [];
  });
}

function domainRuleCodes(): string[] {
  const codes = new Set<string>();
  const all = sources(DOMAIN).join('\n');
  for (const m of all.matchAll(/rule:\s*'([A-Z_]+)'/g)) codes.add(m[1]);
  const union = /export type RuleCode\s*=([^;]+);/.exec(all);
  for (const m of (union?.[1] ?? '').matchAll(/'([A-Z_]+)'/g)) codes.add(m[1]);
  return [...codes].sort();
}

describe('rule sentences', () => {
  it('finds the codes in the domain library', () => {
    expect(domainRuleCodes()).toEqual(expect.arrayContaining(['QUOTA_FULL', 'TOTAL_EXCEEDED', 'UNIT_NOT_ACTIVE']));
  });

  it.each(domainRuleCodes())('%s has a Chinese sentence', (code) => {
    expect(Object.keys(RULE_SENTENCES)).toContain(code);
    const s = ruleSentence(
      { rule: code, unitId: 'u1', category: 'ADMIN' },
      () => '县财政局',
      () => '行政编制',
    );
    expect(s).toMatch(/[\u4e00-\u9fff]/);
    expect(s).not.toContain(code);
  });

  it('names the unit and the category', () => {
    expect(
      ruleSentence(
        { rule: 'QUOTA_FULL', unitId: 'u1', category: 'ADMIN' },
        () => '县财政局',
        () => '行政编制',
      ),
    ).toBe('县财政局的行政编制已满编，不能再增加使用。');
  });

  it("falls back to the API's message for a code this console does not know yet", () => {
    expect(ruleSentence({ rule: 'SOMETHING_NEW', message: 'x' })).toContain('x');
  });
});
