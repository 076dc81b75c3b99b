import {
  bodiesAgainstLimit,
  emptyCategoryMap,
  toCategoryMap,
  totalsViolations,
  unitLoadViolations,
  unitsLoadViolations,
} from '../src';
import { county, unit } from './fixtures';

// The admin's initial load checked against the county's totals (docs/domain.md, "Admin loads").

describe('a unit loaded by an admin', () => {
  it('takes only free quota (TOTAL_EXCEEDED, with the numbers)', () => {
    const s = county(); // ADMIN: total 100, units hold 18
    expect(unitLoadViolations(s, unit('n', { quotas: toCategoryMap({ ADMIN: 82 }) }))).toEqual([]);
    expect(unitLoadViolations(s, unit('n', { quotas: toCategoryMap({ ADMIN: 83, PUBLIC_INSTITUTION: 5 }) }))).toEqual([
      expect.objectContaining({
        rule: 'TOTAL_EXCEEDED',
        category: 'ADMIN',
        total: 100,
        allocated: 18,
        free: 82,
        requested: 83,
      }),
    ]);
  });

  it('counts every unit of one load together, and a county without totals has nothing free', () => {
    const s = county();
    const half = unit('x', { kind: 'PUBLIC_INSTITUTION', quotas: toCategoryMap({ PUBLIC_INSTITUTION: 250 }) });
    expect(unitsLoadViolations(s, [half])).toEqual([]);
    expect(unitsLoadViolations(s, [half, { ...half, id: 'y' }])).toEqual([
      expect.objectContaining({ rule: 'TOTAL_EXCEEDED', category: 'PUBLIC_INSTITUTION', free: 450, requested: 500 }),
    ]);
    const empty = { ...s, totals: emptyCategoryMap(), units: {} };
    expect(unitLoadViolations(empty, unit('n', { quotas: toCategoryMap({ CONTRACT: 1 }) }))).toEqual([
      expect.objectContaining({ rule: 'TOTAL_EXCEEDED', category: 'CONTRACT', total: 0, free: 0, requested: 1 }),
    ]);
    expect(unitLoadViolations(empty, unit('n'))).toEqual([]); // a unit without quota takes nothing
  });

  it('stays within the body limit (BODY_LIMIT_EXCEEDED): party and government units only', () => {
    const s = { ...county(), bodyLimit: 3 }; // two government bodies active, one abolished
    expect(bodiesAgainstLimit(s)).toBe(2);
    expect(unitLoadViolations(s, unit('p', { kind: 'PARTY' }))).toEqual([]);
    const full = { ...s, units: { ...s.units, p: unit('p', { kind: 'PARTY' }) } };
    expect(unitLoadViolations(full, unit('q', { kind: 'GOVERNMENT' }))).toEqual([
      expect.objectContaining({ rule: 'BODY_LIMIT_EXCEEDED', bodyLimit: 3, bodies: 3, requested: 1 }),
    ]);
    expect(unitLoadViolations(full, unit('m', { kind: 'MASS_ORG' }))).toEqual([]);
    expect(unitLoadViolations({ ...full, bodyLimit: null }, unit('q', { kind: 'GOVERNMENT' }))).toEqual([]);
  });
});

describe('new county totals', () => {
  it('are never below what active units hold (TOTAL_BELOW_ALLOCATED, one entry per category)', () => {
    const s = county(); // units hold ADMIN 18, PUBLIC_INSTITUTION 50
    const totals = toCategoryMap({ ADMIN: 18, PUBLIC_INSTITUTION: 50 });
    expect(totalsViolations(s, totals, s.poolSize, null)).toEqual([]);
    expect(totalsViolations(s, toCategoryMap({ ADMIN: 17, PUBLIC_INSTITUTION: 49 }), s.poolSize, null)).toEqual([
      expect.objectContaining({ rule: 'TOTAL_BELOW_ALLOCATED', field: 'totals', category: 'ADMIN', total: 17 }),
      expect.objectContaining({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'totals',
        category: 'PUBLIC_INSTITUTION',
        total: 49,
        allocated: 50,
      }),
    ]);
  });

  it('never set the pool below what is lent, which counts against the pool and not the total', () => {
    const s = {
      ...county(),
      loans: [
        { requestId: 'r', unitId: 'cdc', category: 'PUBLIC_INSTITUTION' as const, count: 4, dueDate: '2027-01-01' },
      ],
    };
    const totals = toCategoryMap({ ADMIN: 18, PUBLIC_INSTITUTION: 50 });
    expect(totalsViolations(s, totals, toCategoryMap({ PUBLIC_INSTITUTION: 4 }), null)).toEqual([]);
    expect(totalsViolations(s, totals, toCategoryMap({ PUBLIC_INSTITUTION: 3 }), null)).toEqual([
      expect.objectContaining({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'turnoverPool',
        category: 'PUBLIC_INSTITUTION',
        size: 3,
        lent: 4,
      }),
    ]);
  });

  it('never set the body limit below the bodies there are (BODY_LIMIT_EXCEEDED)', () => {
    const s = county();
    expect(totalsViolations(s, s.totals, s.poolSize, 2)).toEqual([]);
    expect(totalsViolations(s, s.totals, s.poolSize, 1)).toEqual([
      expect.objectContaining({ rule: 'BODY_LIMIT_EXCEEDED', bodyLimit: 1, bodies: 2 }),
    ]);
  });
});
