import {
  documentSeriesOf,
  formatDocumentNumber,
  officeDate,
  officeDecidedTypesFrom,
  officeYear,
} from '@bianzhi/domain';

// Document numbers: a series per kind of document (docs/domain.md, "Implementation").

describe('document series', () => {
  it('numbers the committee, the office, quota-use notices and minutes apart', () => {
    expect(formatDocumentNumber('清', 2026, 3)).toBe('清编〔2026〕3号');
    expect(formatDocumentNumber('清', 2026, 3, 'OFFICE')).toBe('清编办〔2026〕3号');
    expect(formatDocumentNumber('清', 2026, 3, 'QUOTA_USE')).toBe('清编用〔2026〕3号');
    expect(formatDocumentNumber('清', 2026, 3, 'MINUTES')).toBe('清编委纪〔2026〕3号');
  });

  it('takes the series from who decided: a USE_QUOTA the office decides is a quota-use notice', () => {
    expect(documentSeriesOf('USE_QUOTA', 'OFFICE')).toBe('QUOTA_USE');
    expect(documentSeriesOf('USE_QUOTA', 'COMMITTEE')).toBe('COMMITTEE');
    expect(documentSeriesOf('USE_QUOTA', undefined)).toBe('COMMITTEE'); // decided before the tiers existed
    expect(documentSeriesOf('ADJUST_QUOTA', 'OFFICE')).toBe('OFFICE');
  });

  it("dates a document in the office's time zone", () => {
    const newYearsEveUtc = Date.parse('2026-12-31T17:00:00Z'); // 2027-01-01 01:00 in China Standard Time
    expect(officeDate(newYearsEveUtc, 8)).toBe('2027-01-01');
    expect(officeDate(newYearsEveUtc, 0)).toBe('2026-12-31');
    expect(officeYear(newYearsEveUtc, 8)).toBe(2027);
  });
});

describe('the types the office decides (OFFICE_DECIDED_TYPES)', () => {
  it('defaults to USE_QUOTA and the three people types, may be none, and refuses an unknown type', () => {
    expect(officeDecidedTypesFrom(undefined)).toEqual([
      'USE_QUOTA',
      'ENROL_PERSON',
      'DISENROL_PERSON',
      'TRANSFER_PERSON',
    ]);
    expect(officeDecidedTypesFrom('')).toEqual([]);
    expect(officeDecidedTypesFrom(' USE_QUOTA , ADD_NAME_PLATE ')).toEqual(['USE_QUOTA', 'ADD_NAME_PLATE']);
    expect(() => officeDecidedTypesFrom('USE_QUOTA,HIRE_EVERYONE')).toThrow(/HIRE_EVERYONE/);
  });
});
