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

describe('API errors in words', () => {
  it("puts class-validator's problems into Chinese at the field", async () => {
    const { fieldProblems } = await import('./errors');
    const { ApiProblem } = await import('../api/client');
    const e = new ApiProblem(400, 'VALIDATION_FAILED', 'x', [
      { field: 'payload.lines[0].count', problem: 'count must not be less than 1' },
      { field: 'remark', problem: 'property remark should not exist' },
    ]);
    expect(fieldProblems(e)).toEqual([
      { field: 'payload.lines[0].count', problem: '不能小于 1' },
      { field: 'remark', problem: '服务端不接受此项' },
    ]);
  });

  it('never shows a code: rule violations become sentences, the rest by code or status', async () => {
    const { problemSentence } = await import('./errors');
    const { ApiProblem } = await import('../api/client');
    const rule = new ApiProblem(422, 'RULE_VIOLATION', 'x', [{ rule: 'TOTAL_EXCEEDED', category: 'ADMIN' }]);
    expect(problemSentence(rule, undefined, () => '行政编制')).toBe(
      '此调整不符合机构编制规定：全县行政编制总量不足，本次调整会突破核定总额。',
    );
    for (const code of [
      'FORBIDDEN',
      'RECUSED',
      'NOT_YOUR_UNIT',
      'SEPARATION_OF_DUTIES',
      'WRONG_STAGE',
      'UNAVAILABLE',
    ]) {
      expect(problemSentence(new ApiProblem(403, code, 'english'))).toMatch(/^[^A-Za-z]+$/);
    }
    expect(problemSentence(new ApiProblem(503, undefined, 'down'))).toContain('稍后重试');
  });
});

describe('a batch line’s rule', () => {
  it('names the person of the batch it is about', () => {
    expect(
      ruleSentence(
        { rule: 'PERSON_ALREADY_ON', line: 2, idNumberMasked: '1101**********002X', unitId: 'u' },
        () => '县财政局',
      ),
    ).toBe('第 3 人：1101**********002X已在县财政局在编，一人只能占用一个编制。');
    expect(ruleSentence({ rule: 'PERSON_NOT_ON' })).toBe('该人员目前不在编。');
  });
});
