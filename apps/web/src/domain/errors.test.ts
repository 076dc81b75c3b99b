import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../api/client';
import { fieldProblems } from './errors';

// The API's check of an ID number (400 VALIDATION_FAILED at payload.person.idNumber or a batch's line, the problem
// ending "(INVALID_ID_NUMBER)") said beside the field in words.

const refused = (field: string, problem: string) => new ApiProblem(400, 'VALIDATION_FAILED', 'x', [{ field, problem }]);

describe('an ID number refused by the API', () => {
  it.each([
    [
      "the check character is 1, the number's is X (GB 11643) (INVALID_ID_NUMBER)",
      '校验码不符：末位是 1，应为 X，请核对号码',
    ],
    ['20230229 is no birth date (INVALID_ID_NUMBER)', '20230229 不是有效的出生日期'],
    ['010105 is no region code (INVALID_ID_NUMBER)', '前 6 位 010105 不是行政区划代码'],
    ['the birth date 2027-12-31 is after today (INVALID_ID_NUMBER)', '出生日期 2027-12-31 晚于今天'],
    [
      'an ID number is 17 digits and a check character (a digit or X) (INVALID_ID_NUMBER)',
      '公民身份号码由 17 位数字和 1 位校验码（数字或 X）组成',
    ],
  ])('%s', (problem, words) => {
    expect(fieldProblems(refused('payload.lines[1].person.idNumber', problem))).toEqual([
      { field: 'payload.lines[1].person.idNumber', problem: words },
    ]);
  });
});
