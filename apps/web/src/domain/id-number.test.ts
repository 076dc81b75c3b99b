import { describe, expect, it } from 'vitest';
import { idNumberCheckCharacter, idNumberProblem, maskIdNumber, normaliseIdNumber } from './id-number';

// The browser's check of a citizen ID number (GB 11643), the same as the domain library's (its tests:
// libs/domain/test/id-number.spec.ts), with the problem said in Chinese.

const TODAY = '2026-12-01';
const withCheck = (first17: string) => first17 + idNumberCheckCharacter(first17);

describe('citizen ID numbers in the console', () => {
  it('accepts the standard’s example and a published number, an x in either case', () => {
    expect(idNumberProblem('11010519491231002X', TODAY)).toBeNull();
    expect(idNumberProblem('11010519491231002x', TODAY)).toBeNull();
    expect(idNumberProblem(' 440524188001010014 ', TODAY)).toBeNull();
  });

  it('takes full-width digits as typed by a Chinese input method', () => {
    expect(normaliseIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
    expect(idNumberProblem('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toBeNull();
  });

  it('computes the check character by ISO 7064 MOD 11-2', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4');
  });

  it('refuses a wrong check character, naming the right one', () => {
    expect(idNumberProblem('110105194912310021', TODAY)).toBe('校验码不符：末位是 1，按前 17 位应为 X，请核对号码');
  });

  it('catches every single digit mistyped', () => {
    const good = '11010519491231002X';
    for (let i = 0; i < 17; i++)
      for (const digit of '0123456789') {
        if (digit === good[i]) continue;
        expect(idNumberProblem(good.slice(0, i) + digit + good.slice(i + 1), TODAY)).not.toBeNull();
      }
  });

  it('says what is wrong: length, characters, region, birth date', () => {
    expect(idNumberProblem('1101051949123100', TODAY)).toBe('公民身份号码应为 18 位，现为 16 位');
    expect(idNumberProblem('11010519491231002Y', TODAY)).toMatch(/17 位数字和 1 位校验码/);
    expect(idNumberProblem(withCheck('01010519491231002'), TODAY)).toBe('前 6 位 010105 不是行政区划代码');
    expect(idNumberProblem(withCheck('11010520230229002'), TODAY)).toBe('第 7 至 14 位 20230229 不是有效的出生日期');
    expect(idNumberProblem(withCheck('11010520240229002'), TODAY)).toBeNull(); // a leap day
    expect(idNumberProblem(withCheck('11010520271231002'), TODAY)).toBe('出生日期 2027-12-31 晚于今天');
    expect(idNumberProblem(withCheck('11010517991231002'), TODAY)).toMatch(/不是有效的出生日期/);
  });

  it('masks all but the first four and the last four characters, as the API does', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('1101**********002X');
    expect(maskIdNumber('123')).toBe('***');
  });
});
