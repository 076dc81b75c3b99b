import { idNumberCheckCharacter, idNumberProblem, maskIdNumber, normaliseIdNumber } from '../src';

// GB 11643-1999 citizen ID numbers: the standard's own example (11010519491231002X) and a published one.
const TODAY = '2026-12-01';

describe('citizen ID numbers (GB 11643)', () => {
  it('accepts numbers whose check character matches, an X in either case', () => {
    expect(idNumberProblem('11010519491231002X', TODAY)).toBeNull();
    expect(idNumberProblem('11010519491231002x', TODAY)).toBeNull();
    expect(idNumberProblem('440524188001010014', TODAY)).toBeNull();
    expect(normaliseIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('computes the check character by ISO 7064 MOD 11-2', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4');
  });

  it('refuses a wrong check character, naming the right one', () => {
    expect(idNumberProblem('110105194912310021', TODAY)).toBe("the check character is 1, the number's is X (GB 11643)");
  });

  it('refuses every digit changed alone (the check catches a single wrong digit)', () => {
    const good = '11010519491231002X';
    for (let i = 0; i < 17; i++)
      for (const digit of '0123456789') {
        if (digit === good[i]) continue;
        const changed = good.slice(0, i) + digit + good.slice(i + 1);
        expect(idNumberProblem(changed, TODAY)).not.toBeNull();
      }
  });

  it('refuses an impossible birth date, a future one, a bad region and a wrong length', () => {
    const withCheck = (first17: string) => first17 + idNumberCheckCharacter(first17);
    expect(idNumberProblem(withCheck('11010520230229002'), TODAY)).toBe('20230229 is no birth date');
    expect(idNumberProblem(withCheck('11010520240229002'), TODAY)).toBeNull(); // a leap day
    expect(idNumberProblem(withCheck('11010520271231002'), TODAY)).toBe('the birth date 2027-12-31 is after today');
    expect(idNumberProblem(withCheck('01010519491231002'), TODAY)).toBe('010105 is no region code');
    expect(idNumberProblem(withCheck('11010517991231002'), TODAY)).toBe('17991231 is no birth date');
    expect(idNumberProblem('1101051949123100', TODAY)).toMatch(/17 digits and a check character/);
    expect(idNumberProblem('11010519491231002Y', TODAY)).toMatch(/17 digits and a check character/);
  });

  it('masks all but the first four and the last four characters', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('1101**********002X');
    expect(maskIdNumber('123')).toBe('***');
  });
});
