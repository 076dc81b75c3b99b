import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../api/client';
import {
  actionLabel,
  asOfFacts,
  auditQuery,
  currentCursor,
  duration,
  FIRST_PAGE,
  hasNext,
  nextPage,
  previousPage,
  proofProblem,
  replaySentence,
  roleLabel,
  verifySentence,
  type AuditRecord,
  type RequestAsOf,
} from './logic';

const record = (seq: number, action = 'submitted'): AuditRecord =>
  ({ seq, action, at: '2026-03-01T02:00:00Z', actor: 'clerk_housing', role: 'clerk' }) as AuditRecord;

describe("the log's query", () => {
  it('sends only the filters given, trimmed, times as ISO instants, and no afterSeq on the first page', () => {
    expect(auditQuery({}, 0)).toEqual({ limit: 50 });
    const from = dayjs('2026-03-01T08:00:00+08:00');
    expect(
      auditQuery(
        { range: [from, null], actor: '  reviewer ', requestId: ' 0e1f3c1a-7d53-4a8e-9f5b-2b7a0a9d6c11 ' },
        120,
      ),
    ).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      actor: 'reviewer',
      requestId: '0e1f3c1a-7d53-4a8e-9f5b-2b7a0a9d6c11',
      afterSeq: 120,
      limit: 50,
    });
    expect(auditQuery({ actor: '   ', requestId: '' }, 0)).toEqual({ limit: 50 });
  });

  it('sends the action for the API to filter by', () => {
    expect(auditQuery({ action: 'voted' }, 0)).toEqual({ action: 'voted', limit: 50 });
  });
});

describe("the log's pages", () => {
  it('go forward after the last seq shown and back to the cursor before', () => {
    const first = Array.from({ length: 50 }, (_, i) => record(i + 1));
    expect(currentCursor(FIRST_PAGE)).toBe(0);
    expect(hasNext(first)).toBe(true);
    const second = nextPage(FIRST_PAGE, first);
    expect(currentCursor(second)).toBe(50);
    expect(hasNext([record(51)])).toBe(false);
    expect(currentCursor(previousPage(second))).toBe(0);
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(nextPage(second, [])).toBe(second);
  });
});

describe('words', () => {
  it('names every action and role in Chinese, never the code', () => {
    expect(actionLabel('vote_closed_approved')).toBe('表决通过');
    expect(actionLabel('unit_loaded')).toBe('单位录入台账');
    expect(actionLabel('something_new')).toBe('其他操作');
    expect(roleLabel('system')).toBe('系统');
    expect(roleLabel('auditor')).toBe('审计员');
  });

  it('says a verification: intact with its count, or broken at its first seq', () => {
    expect(verifySentence({ valid: true, records: 42, headHash: 'ab' })).toBe('签核记录完整，共 42 条，未被篡改。');
    expect(verifySentence({ valid: false, records: 42, headHash: 'ab', firstBrokenSeq: 17 })).toContain('第 17 条起');
    expect(verifySentence({ valid: false, records: 42, headHash: 'ab', derivedColumnsAltered: ['action'] })).toContain(
      '派生列',
    );
    expect(duration(0.2)).toBe('1 毫秒');
    expect(duration(340)).toBe('340 毫秒');
    expect(duration(2345)).toBe('2.3 秒');
  });

  it('says a replay', () => {
    expect(replaySentence({ workflowId: 'w', runs: 1, events: 40, deterministic: true })).toContain('确定性重放通过');
    expect(replaySentence({ workflowId: 'w', runs: 1, events: 40, deterministic: false })).toContain('重放不一致');
  });

  it("says a proof's numbers out of range, and any other refusal as every error is said", () => {
    const bad = new ApiProblem(400, 'VALIDATION_FAILED', 'x', [{ field: 'seq', problem: 'must be between' }]);
    expect(proofProblem(bad)).toBe('记录序号须在 1 至树规模之间。');
    expect(proofProblem(new ApiProblem(409, 'CHAIN_BROKEN', 'x'))).toBe('审计记录链不完整，请先核验审计链。');
  });
});

describe('a request rebuilt at a moment', () => {
  const at = (over: Partial<RequestAsOf>) =>
    ({
      status: 'committee',
      documentNumber: null,
      tally: { eligible: 5, approve: 2, reject: 0, abstain: 1, quorumReached: false, outcome: null },
      rebuiltFromAudit: true,
      auditRecords: 6,
      ...over,
    }) as RequestAsOf;

  it('gives its status, stage, vote and what it was rebuilt from', () => {
    const facts = Object.fromEntries(asOfFacts(at({})).map((f) => [f.label, f.value]));
    expect(facts).toEqual({
      状态: '编委会审议中',
      阶段: '审议决定',
      编委会表决: '应表决 5 人，已表决 3 人（赞成 2、反对 0、弃权 1），表决中',
      文号: '尚无',
      依据: '由审计记录重建（回放 6 条记录）',
    });
  });

  it('before a vote, and once decided', () => {
    const draft = asOfFacts(
      at({
        status: 'draft',
        tally: { eligible: 0, approve: 0, reject: 0, abstain: 0, quorumReached: false, outcome: null },
      }),
    );
    expect(draft.find((f) => f.label === '编委会表决')?.value).toBe('未付表决');
    expect(draft.find((f) => f.label === '阶段')?.value).toBe('动议');
    const done = asOfFacts(
      at({
        status: 'implemented',
        documentNumber: '清编〔2026〕3号',
        tally: { eligible: 5, approve: 5, reject: 0, abstain: 0, quorumReached: true, outcome: 'APPROVED' },
      }),
    );
    expect(done.find((f) => f.label === '编委会表决')?.value).toContain('结果：通过');
    expect(done.find((f) => f.label === '文号')?.value).toBe('清编〔2026〕3号');
  });
});
