import { describe, expect, it } from 'vitest';
import { BATCH_LIMIT, parseRoster, rosterErrors } from './roster';

// A batch of people pasted into the 上编 form: rows "姓名,身份证号" in any of the ways an office pastes them.

const TODAY = '2026-12-01';

describe('a pasted roster', () => {
  it('reads commas of either width, tabs from Excel and spaces, and skips a header and blank lines', () => {
    const r = parseRoster(
      '\uFEFF姓名,公民身份号码\r\n张三,11010519491231002X\r\n\r\n' +
        '李四，440524188001010014\n王五\t11010519491231002x\n赵六 440524188001010014',
      TODAY,
    );
    expect(r.rows.map((x) => [x.index, x.line, x.name, x.idNumberMasked])).toEqual([
      [1, 2, '张三', '1101**********002X'],
      [2, 4, '李四', '4405**********0014'],
      [3, 5, '王五', '1101**********002X'],
      [4, 6, '赵六', '4405**********0014'],
    ]);
    // the same numbers twice: the later rows are named with the first
    expect(r.rows.map((x) => x.problem)).toEqual([
      undefined,
      undefined,
      '与第 1 人是同一公民身份号码',
      '与第 2 人是同一公民身份号码',
    ]);
  });

  it('names each row at fault in words', () => {
    const r = parseRoster('张三,110105194912310021\n,11010519491231002X\n李四\n王五,1234', TODAY);
    expect(r.rows.map((x) => x.problem)).toEqual([
      '校验码不符：末位是 1，按前 17 位应为 X，请核对号码',
      '缺少姓名',
      '缺少公民身份号码',
      '公民身份号码应为 18 位，现为 4 位',
    ]);
    expect(rosterErrors(r)[0]).toBe('第 1 行（张三）：校验码不符：末位是 1，按前 17 位应为 X，请核对号码');
    expect(rosterErrors(r)[1]).toBe('第 2 行（无姓名）：缺少姓名');
    expect(rosterErrors(r, 2)).toHaveLength(3);
  });

  it('refuses more people than one request may carry', () => {
    const many = Array.from({ length: BATCH_LIMIT + 1 }, (_, i) => `人${i},11010519491231002X`).join('\n');
    expect(parseRoster(many, TODAY).problems).toEqual([
      `一次最多 ${BATCH_LIMIT} 人，现有 ${BATCH_LIMIT + 1} 人，请分成几次申请。`,
    ]);
  });
});
