import fc from 'fast-check';
import {
  CATEGORIES,
  ChangeSpec,
  emptyCategoryMap,
  evaluateChange,
  formatDocumentNumber,
  freeQuota,
  higherApprovalReasons,
  isValidCreditCode,
  poolLent,
  returnLoan,
  tallyVotes,
  eligibleMembers,
  allocated,
} from '../src';
import { county } from './fixtures';

const spec = (s: Omit<ChangeSpec, 'requestId'> & { requestId?: string }): ChangeSpec =>
  ({ requestId: 'r1', ...s }) as ChangeSpec;

describe('invariants of the registry', () => {
  it('transfers only vacant quota (QUOTA_INSUFFICIENT) and conserves the total', () => {
    const s = county();
    const ok = evaluateChange(
      s,
      spec({
        type: 'TRANSFER_QUOTA',
        unitId: 'a',
        payload: { lines: [{ fromUnitId: 'a', toUnitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 5 }] },
      }),
    );
    expect(ok.violations).toEqual([]);
    expect(ok.after.units.cdc.quotas.PUBLIC_INSTITUTION).toBe(35);
    expect(freeQuota(ok.after)).toEqual(freeQuota(s));
    expect(ok.alteredUnitIds.sort()).toEqual(['a', 'cdc']);
    const tooMany = evaluateChange(
      s,
      spec({
        type: 'TRANSFER_QUOTA',
        unitId: 'a',
        payload: { lines: [{ fromUnitId: 'a', toUnitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 7 }] },
      }),
    );
    expect(tooMany.violations).toEqual([
      expect.objectContaining({
        rule: 'QUOTA_INSUFFICIENT',
        unitId: 'a',
        category: 'PUBLIC_INSTITUTION',
        vacant: 6,
        requested: 7,
      }),
    ]);
  });

  it('refuses to use quota for a full unit (QUOTA_FULL) and allows what is fillable', () => {
    const s = county();
    const full = evaluateChange(
      s,
      spec({ type: 'USE_QUOTA', unitId: 'cdc', payload: { unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 1 } }),
    );
    expect(full.violations).toEqual([
      expect.objectContaining({ rule: 'QUOTA_FULL', unitId: 'cdc', fillable: 0, requested: 1 }),
    ]);
    const ok = evaluateChange(
      s,
      spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'PUBLIC_INSTITUTION', count: 6 } }),
    );
    expect(ok.ok).toBe(true);
    expect(ok.after.units.a.pending.PUBLIC_INSTITUTION).toBe(8);
    const over = evaluateChange(
      s,
      spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'PUBLIC_INSTITUTION', count: 7 } }),
    );
    expect(over.violations[0]).toMatchObject({ rule: 'QUOTA_FULL', fillable: 6 });
  });

  it('counts loaned pool quota as room to fill', () => {
    const s = county();
    const lent = evaluateChange(
      s,
      spec({
        type: 'LEND_POOL_QUOTA',
        unitId: 'cdc',
        payload: { loans: [{ unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 3 }], dueDate: '2027-12-31' },
      }),
    );
    expect(lent.ok).toBe(true);
    expect(poolLent(lent.after).PUBLIC_INSTITUTION).toBe(3);
    expect(lent.after.units.cdc.quotas.PUBLIC_INSTITUTION).toBe(30); // kept apart from approved quota
    const use = evaluateChange(
      lent.after,
      spec({ type: 'USE_QUOTA', unitId: 'cdc', payload: { unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 3 } }),
    );
    expect(use.ok).toBe(true);
    const back = returnLoan(use.after, { requestId: 'r1', unitId: 'cdc', category: 'PUBLIC_INSTITUTION' });
    expect(back.units.cdc.loaned.PUBLIC_INSTITUTION).toBe(0);
    expect(poolLent(back).PUBLIC_INSTITUTION).toBe(0);
  });

  it('lends no more than the pool has (POOL_INSUFFICIENT)', () => {
    const r = evaluateChange(
      county(),
      spec({
        type: 'LEND_POOL_QUOTA',
        unitId: 'cdc',
        payload: { loans: [{ unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 21 }], dueDate: '2027-12-31' },
      }),
    );
    expect(r.violations).toEqual([
      expect.objectContaining({ rule: 'POOL_INSUFFICIENT', size: 20, available: 20, requested: 21 }),
    ]);
  });

  it('takes no more than the county has free (TOTAL_EXCEEDED)', () => {
    const s = county(); // ADMIN: total 100, held 18
    const r = evaluateChange(
      s,
      spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'ADMIN', delta: 83 } }),
    );
    expect(r.violations).toEqual([
      expect.objectContaining({ rule: 'TOTAL_EXCEEDED', category: 'ADMIN', free: 82, requested: 83 }),
    ]);
    expect(
      evaluateChange(
        s,
        spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'ADMIN', delta: 82 } }),
      ).ok,
    ).toBe(true);
  });

  it('keeps leadership posts within administrative quota for bodies and PI quota for institutions', () => {
    const s = county();
    const body = evaluateChange(
      s,
      spec({
        type: 'ADJUST_LEADERSHIP',
        unitId: 'b',
        payload: { unitId: 'b', posts: [{ grade: 'SECTION', principal: 1, deputy: 8 }] },
      }),
    );
    expect(body.violations).toEqual([
      expect.objectContaining({ rule: 'LEADERSHIP_EXCEEDS_ADMIN_QUOTA', posts: 9, quota: 8 }),
    ]);
    const pi = evaluateChange(
      s,
      spec({
        type: 'ESTABLISH_UNIT',
        unitId: 'a',
        newUnitId: 'n',
        payload: {
          name: '县统战服务中心',
          kind: 'PUBLIC_INSTITUTION',
          grade: 'DEPUTY_SECTION',
          funding: 'FULL',
          quotas: { PUBLIC_INSTITUTION: 1 },
          leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 1 }],
        },
      }),
    );
    expect(pi.violations).toEqual([expect.objectContaining({ rule: 'LEADERSHIP_EXCEEDS_QUOTA', posts: 2, quota: 1 })]);
    const reduce = evaluateChange(
      s,
      spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'ADMIN', delta: -2 } }),
    );
    expect(reduce.ok).toBe(true);
  });

  it('lets only active units take part (UNIT_NOT_ACTIVE, UNIT_NOT_FOUND)', () => {
    const r = evaluateChange(
      county(),
      spec({
        type: 'TRANSFER_QUOTA',
        unitId: 'a',
        payload: {
          lines: [
            { fromUnitId: 'a', toUnitId: 'gone', category: 'ADMIN', count: 1 },
            { fromUnitId: 'a', toUnitId: 'nope', category: 'ADMIN', count: 1 },
          ],
        },
      }),
    );
    expect(r.violations.map((v) => [v.rule, v.unitId])).toEqual([
      ['UNIT_NOT_ACTIVE', 'gone'],
      ['UNIT_NOT_FOUND', 'nope'],
    ]);
  });

  it('abolishes a unit leaving nothing behind, and merges summing quotas and people', () => {
    const s = county();
    const noPlace = evaluateChange(s, spec({ type: 'ABOLISH_UNIT', unitId: 'b', payload: { unitId: 'b' } }));
    expect(noPlace.violations.map((v) => v.rule)).toContain('PEOPLE_NOT_PLACED');
    const abolish = evaluateChange(
      s,
      spec({ type: 'ABOLISH_UNIT', unitId: 'b', payload: { unitId: 'b', quotaTo: 'a', peopleTo: 'a' } }),
    );
    expect(abolish.violations).toEqual([]);
    expect(abolish.after.units.b).toMatchObject({
      status: 'abolished',
      quotas: emptyCategoryMap(),
      occupied: emptyCategoryMap(),
    });
    expect(abolish.after.units.a.quotas.ADMIN).toBe(18);
    const merge = evaluateChange(
      s,
      spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['b'], targetId: 'a' } }),
    );
    expect(merge.ok).toBe(true);
    expect(merge.after.units.b).toMatchObject({ status: 'merged', mergedInto: 'a' });
    expect(merge.after.units.a.occupied.ADMIN).toBe(16);
    expect(allocated(merge.after)).toEqual(allocated(s));
  });

  it('renames, adds a name plate, regrades and adjusts sections, refusing no-ops and duplicates', () => {
    const s = county();
    expect(
      evaluateChange(s, spec({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'a', newName: '县乡村振兴局' } }))
        .diff,
    ).toEqual([
      { scope: 'unit', unitId: 'a', unitName: '县住建局', field: 'name', before: '县住建局', after: '县乡村振兴局' },
    ]);
    expect(
      evaluateChange(s, spec({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'a', newName: '县自然资源局' } }))
        .violations[0].rule,
    ).toBe('UNIT_NAME_TAKEN');
    const plate = evaluateChange(
      s,
      spec({ type: 'ADD_NAME_PLATE', unitId: 'a', payload: { unitId: 'a', namePlate: '县文物局' } }),
    );
    expect(plate.after.units.a.namePlates).toEqual(['县文物局']);
    expect(
      evaluateChange(
        plate.after,
        spec({ type: 'ADD_NAME_PLATE', unitId: 'a', payload: { unitId: 'a', namePlate: '县文物局' } }),
      ).violations[0].rule,
    ).toBe('NAME_PLATE_EXISTS');
    expect(
      evaluateChange(s, spec({ type: 'CHANGE_GRADE', unitId: 'a', payload: { unitId: 'a', grade: 'SECTION' } }))
        .violations[0].rule,
    ).toBe('NO_CHANGE');
    const sec = evaluateChange(
      { ...s, units: { ...s.units, a: { ...s.units.a, sections: ['一股', '二股', '三股'] } } },
      spec({ type: 'ADJUST_SECTIONS', unitId: 'a', payload: { unitId: 'a', add: [], remove: ['二股', '三股'] } }),
    );
    expect(sec.after.units.a.sections).toEqual(['一股']);
  });

  it('converts quota between categories within the county total', () => {
    const s = county();
    const r = evaluateChange(
      s,
      spec({
        type: 'CONVERT_QUOTA',
        unitId: 'a',
        payload: { unitId: 'a', fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count: 2 },
      }),
    );
    expect(r.ok).toBe(true);
    expect(r.after.units.a.quotas).toMatchObject({ ADMIN: 8, PUBLIC_INSTITUTION: 22 });
    // Converting places in use moves their people to the new category with them.
    const inUse = evaluateChange(
      s,
      spec({
        type: 'CONVERT_QUOTA',
        unitId: 'a',
        payload: { unitId: 'a', fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count: 5 },
      }),
    );
    expect(inUse.ok).toBe(true);
    expect(inUse.after.units.a.quotas).toMatchObject({ ADMIN: 5, PUBLIC_INSTITUTION: 25 });
    expect(inUse.after.units.a.occupied).toMatchObject({ ADMIN: 5, PUBLIC_INSTITUTION: 15 });
    const tooMany = evaluateChange(
      s,
      spec({
        type: 'CONVERT_QUOTA',
        unitId: 'a',
        payload: { unitId: 'a', fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count: 11 },
      }),
    );
    expect(tooMany.violations.map((v) => v.rule)).toContain('QUOTA_INSUFFICIENT');
  });

  it('conserves every category total over random transfers and loans', () => {
    const ids = ['a', 'b', 'cdc'];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('transfer' as const),
        from: fc.constantFrom(...ids),
        to: fc.constantFrom(...ids),
        category: fc.constantFrom(...CATEGORIES),
        count: fc.integer({ min: 1, max: 15 }),
      }),
      fc.record({
        kind: fc.constant('lend' as const),
        from: fc.constantFrom(...ids),
        to: fc.constantFrom(...ids),
        category: fc.constantFrom(...CATEGORIES),
        count: fc.integer({ min: 1, max: 15 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        let s = county();
        const start = county();
        ops.forEach((o, i) => {
          const r =
            o.kind === 'transfer'
              ? evaluateChange(
                  s,
                  spec({
                    type: 'TRANSFER_QUOTA',
                    unitId: o.from,
                    requestId: `r${i}`,
                    payload: { lines: [{ fromUnitId: o.from, toUnitId: o.to, category: o.category, count: o.count }] },
                  }),
                )
              : evaluateChange(
                  s,
                  spec({
                    type: 'LEND_POOL_QUOTA',
                    unitId: o.to,
                    requestId: `r${i}`,
                    payload: { loans: [{ unitId: o.to, category: o.category, count: o.count }], dueDate: '2030-01-01' },
                  }),
                );
          if (r.ok) s = r.after;
          for (const c of CATEGORIES) {
            expect(allocated(s)[c] + freeQuota(s)[c]).toBe(start.totals[c]);
            expect(allocated(s)[c]).toBe(allocated(start)[c]);
            expect(poolLent(s)[c]).toBeLessThanOrEqual(s.poolSize[c]);
            for (const u of Object.values(s.units))
              expect(u.quotas[c]).toBeGreaterThanOrEqual(Math.min(0, start.units[u.id].quotas[c]));
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('the procedure', () => {
  it('passes on approvals above half of the eligible, with a quorum of two thirds', () => {
    const b = (v: 'approve' | 'reject' | 'abstain', n: number) => Array.from({ length: n }, () => ({ vote: v }));
    expect(tallyVotes(7, [...b('approve', 4), ...b('abstain', 1)])).toMatchObject({
      quorumReached: true,
      outcome: 'APPROVED',
    });
    expect(tallyVotes(7, [...b('approve', 3), ...b('abstain', 2)])).toMatchObject({
      quorumReached: true,
      outcome: 'REJECTED',
    });
    expect(tallyVotes(7, b('approve', 4))).toMatchObject({ quorumReached: false, outcome: 'NO_QUORUM' });
    expect(tallyVotes(6, [...b('approve', 3), ...b('reject', 1)])).toMatchObject({
      quorumReached: true,
      outcome: 'REJECTED',
    });
    expect(tallyVotes(0, [])).toMatchObject({ quorumReached: false, outcome: 'NO_QUORUM' });
  });

  it('recuses members of the requesting unit and of units the change alters', () => {
    const members = [
      { id: 'm1', unitId: 'a' },
      { id: 'm2', unitId: 'cdc' },
      { id: 'm3', unitId: null },
      { id: 'm4', unitId: 'b' },
    ];
    expect(eligibleMembers(members, 'a', ['cdc']).map((m) => m.id)).toEqual(['m3', 'm4']);
  });

  it('sends grade, political-legal and senior-post changes to the higher authority', () => {
    const s = county();
    expect(
      higherApprovalReasons(
        s,
        spec({ type: 'CHANGE_GRADE', unitId: 'cdc', payload: { unitId: 'cdc', grade: 'DEPUTY_COUNTY' } }),
      ),
    ).toEqual(['changes a grade at or to 副处 or above']);
    expect(
      higherApprovalReasons(
        s,
        spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'POLITICAL_LEGAL', delta: 1 } }),
      ),
    ).toHaveLength(1);
    expect(
      higherApprovalReasons(
        s,
        spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'ADMIN', delta: 1 } }),
      ),
    ).toEqual([]);
    expect(
      higherApprovalReasons(
        s,
        spec({
          type: 'ADJUST_LEADERSHIP',
          unitId: 'a',
          payload: { unitId: 'a', posts: [{ grade: 'DEPUTY_COUNTY', principal: 2, deputy: 3 }] },
        }),
      ),
    ).toHaveLength(1);
  });

  it('formats the approval document number and checks credit codes', () => {
    expect(formatDocumentNumber('安', 2026, 7)).toBe('安编〔2026〕7号');
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
  });
});
