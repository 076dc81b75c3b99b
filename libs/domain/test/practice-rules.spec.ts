import {
  addYears,
  ChangeSpec,
  dueDateViolation,
  evaluateChange,
  higherApprovalReasons,
  isCalendarDate,
  isSelfOrUnder,
  RegistrySnapshot,
  toCategoryMap,
} from '../src';
import { county, unit } from './fixtures';

// The rules of practice of docs/domain.md ("More rules", "Who decides"): each refused where the change makes it
// so, and an old breach in the registry left to the request that corrects it.

const spec = (s: Omit<ChangeSpec, 'requestId'> & { requestId?: string }): ChangeSpec =>
  ({ requestId: 'r1', ...s }) as ChangeSpec;
const rules = (before: RegistrySnapshot, s: ChangeSpec, today?: string) =>
  evaluateChange(before, s, { today }).violations.map((v) => v.rule);

/** The fixture county with a department tree: a → sub → subsub, and b → bsub. */
function tree(): RegistrySnapshot {
  const s = county();
  s.units.sub = unit('sub', {
    name: '县建设工程质量监督站',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    parentId: 'a',
    quotas: toCategoryMap({ PUBLIC_INSTITUTION: 6 }),
    occupied: toCategoryMap({ PUBLIC_INSTITUTION: 3 }),
    leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 0 }],
  });
  s.units.subsub = unit('subsub', { name: '县建设工程检测所', kind: 'PUBLIC_INSTITUTION', parentId: 'sub' });
  s.units.bsub = unit('bsub', { name: '县不动产登记中心', kind: 'PUBLIC_INSTITUTION', parentId: 'b' });
  return s;
}

describe('INVALID_DUE_DATE: a loan runs to a real date after today and within three years', () => {
  const lend = (dueDate: string) =>
    spec({
      type: 'LEND_POOL_QUOTA',
      unitId: 'cdc',
      payload: { loans: [{ unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 1 }], dueDate },
    });

  it('refuses an impossible calendar date, with or without today', () => {
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(rules(county(), lend('2026-02-30'))).toEqual(['INVALID_DUE_DATE']);
    expect(rules(county(), lend('2026-13-01'), '2026-01-10')).toEqual(['INVALID_DUE_DATE']);
  });

  it('refuses today, a past date and a date more than three years ahead, when today is known', () => {
    const today = '2026-12-01';
    expect(rules(county(), lend('2026-11-30'), today)).toEqual(['INVALID_DUE_DATE']);
    expect(rules(county(), lend(today), today)).toEqual(['INVALID_DUE_DATE']);
    expect(rules(county(), lend('2026-12-02'), today)).toEqual([]);
    expect(rules(county(), lend('2029-12-01'), today)).toEqual([]);
    expect(evaluateChange(county(), lend('2029-12-02'), { today }).violations).toEqual([
      expect.objectContaining({ rule: 'INVALID_DUE_DATE', dueDate: '2029-12-02', latest: '2029-12-01' }),
    ]);
    // Without today (a caller that has none) only the calendar is checked.
    expect(rules(county(), lend('2020-01-01'))).toEqual([]);
  });

  it('counts three years from 29 February to 28 February', () => {
    expect(addYears('2028-02-29', 3)).toBe('2031-02-28');
    expect(dueDateViolation('2031-02-28', '2028-02-29')).toBeNull();
    expect(dueDateViolation('2031-03-01', '2028-02-29')?.rule).toBe('INVALID_DUE_DATE');
  });

  it('checks only a change that lends', () => {
    expect(
      rules(
        county(),
        spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'ADMIN', count: 1 } }),
        '2026-12-01',
      ),
    ).toEqual([]);
  });
});

describe('CATEGORY_NOT_FOR_KIND (专编专用)', () => {
  it('keeps ADMIN and POLITICAL_LEGAL out of public institutions, SCHOOL_STAFF out of bodies', () => {
    const s = county();
    expect(
      rules(s, spec({ type: 'ADJUST_QUOTA', unitId: 'cdc', payload: { unitId: 'cdc', category: 'ADMIN', delta: 1 } })),
    ).toEqual(['CATEGORY_NOT_FOR_KIND']);
    expect(
      evaluateChange(
        s,
        spec({ type: 'ADJUST_QUOTA', unitId: 'b', payload: { unitId: 'b', category: 'SCHOOL_STAFF', delta: 2 } }),
      ).violations,
    ).toEqual([
      expect.objectContaining({
        rule: 'CATEGORY_NOT_FOR_KIND',
        unitId: 'b',
        category: 'SCHOOL_STAFF',
        kind: 'GOVERNMENT',
      }),
    ]);
    expect(
      rules(
        s,
        spec({ type: 'ADJUST_QUOTA', unitId: 'cdc', payload: { unitId: 'cdc', category: 'SCHOOL_STAFF', delta: 2 } }),
      ),
    ).toEqual([]);
  });

  it('keeps POLITICAL_LEGAL to party and government bodies', () => {
    const establish = (kind: 'PEOPLES_CONGRESS' | 'PARTY') =>
      spec({
        type: 'ESTABLISH_UNIT',
        unitId: 'a',
        newUnitId: 'n',
        payload: { name: '县新机构', kind, grade: 'SECTION', quotas: { POLITICAL_LEGAL: 2 }, leadershipPosts: [] },
      });
    expect(rules(county(), establish('PEOPLES_CONGRESS'))).toEqual(['CATEGORY_NOT_FOR_KIND']);
    expect(rules(county(), establish('PARTY'))).toEqual([]);
  });

  it('refuses moving quota into a unit that may not hold it, and lending it', () => {
    const s = county();
    s.poolSize.SCHOOL_STAFF = 5;
    expect(
      evaluateChange(
        s,
        spec({
          type: 'TRANSFER_QUOTA',
          unitId: 'a',
          payload: { lines: [{ fromUnitId: 'a', toUnitId: 'cdc', category: 'ADMIN', count: 1 }] },
        }),
      ).violations,
    ).toEqual([expect.objectContaining({ rule: 'CATEGORY_NOT_FOR_KIND', unitId: 'cdc', category: 'ADMIN' })]);
    expect(
      evaluateChange(
        s,
        spec({
          type: 'LEND_POOL_QUOTA',
          unitId: 'b',
          payload: { loans: [{ unitId: 'b', category: 'SCHOOL_STAFF', count: 1 }], dueDate: '2027-06-30' },
        }),
      ).violations,
    ).toEqual([expect.objectContaining({ rule: 'CATEGORY_NOT_FOR_KIND', unitId: 'b', loaned: 1 })]);
    expect(
      rules(
        s,
        spec({
          type: 'LEND_POOL_QUOTA',
          unitId: 'cdc',
          payload: { loans: [{ unitId: 'cdc', category: 'SCHOOL_STAFF', count: 1 }], dueDate: '2027-06-30' },
        }),
      ),
    ).toEqual([]);
  });

  it('lets a body hold public-institution quota (seed 002: mass organisations converted into it)', () => {
    const s = county();
    s.units.union = unit('union', {
      name: '县总工会',
      kind: 'MASS_ORG',
      quotas: toCategoryMap({ ADMIN: 6 }),
      occupied: toCategoryMap({ ADMIN: 5 }),
    });
    expect(
      rules(
        s,
        spec({
          type: 'CONVERT_QUOTA',
          unitId: 'union',
          payload: { unitId: 'union', fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count: 4 },
        }),
      ),
    ).toEqual([]);
  });

  it('does not let an old breach block an unrelated change, nor one that reduces it', () => {
    const s = county();
    s.units.cdc.quotas.ADMIN = 3; // a public institution holding administrative quota from before
    expect(
      rules(
        s,
        spec({
          type: 'ADJUST_QUOTA',
          unitId: 'cdc',
          payload: { unitId: 'cdc', category: 'PUBLIC_INSTITUTION', delta: 1 },
        }),
      ),
    ).toEqual([]);
    expect(
      rules(
        s,
        spec({
          type: 'TRANSFER_QUOTA',
          unitId: 'cdc',
          payload: { lines: [{ fromUnitId: 'cdc', toUnitId: 'a', category: 'ADMIN', count: 2 }] },
        }),
      ),
    ).toEqual([]);
    expect(
      rules(s, spec({ type: 'ADJUST_QUOTA', unitId: 'cdc', payload: { unitId: 'cdc', category: 'ADMIN', delta: 1 } })),
    ).toEqual(['CATEGORY_NOT_FOR_KIND']);
  });
});

describe('BODY_LIMIT_EXCEEDED (机构限额)', () => {
  const establish = (kind: 'GOVERNMENT' | 'PARTY' | 'PUBLIC_INSTITUTION' | 'MASS_ORG') =>
    spec({
      type: 'ESTABLISH_UNIT',
      unitId: 'a',
      newUnitId: 'n',
      payload: { name: '县新机构', kind, grade: 'SECTION', quotas: {}, leadershipPosts: [] },
    });

  it('refuses a party or government body beyond the limit, and only when a limit is set', () => {
    const s = { ...county(), bodyLimit: 2 }; // a and b are the county's two government bodies
    expect(evaluateChange(s, establish('GOVERNMENT')).violations).toEqual([
      expect.objectContaining({ rule: 'BODY_LIMIT_EXCEEDED', limit: 2, bodies: 2, requested: 1 }),
    ]);
    expect(rules(s, establish('PARTY'))).toEqual(['BODY_LIMIT_EXCEEDED']);
    expect(rules(s, establish('PUBLIC_INSTITUTION'))).toEqual([]);
    expect(rules(s, establish('MASS_ORG'))).toEqual([]);
    expect(rules({ ...s, bodyLimit: 3 }, establish('GOVERNMENT'))).toEqual([]);
    expect(rules({ ...s, bodyLimit: null }, establish('GOVERNMENT'))).toEqual([]);
    expect(rules(county(), establish('GOVERNMENT'))).toEqual([]);
  });

  it('lets a county over its limit rename, merge and abolish, but not add another', () => {
    const s = { ...county(), bodyLimit: 1 };
    expect(
      rules(s, spec({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'a', newName: '县乡村振兴局' } })),
    ).toEqual([]);
    expect(rules(s, spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['b'], targetId: 'a' } }))).toEqual(
      [],
    );
    expect(rules(s, establish('GOVERNMENT'))).toEqual(['BODY_LIMIT_EXCEEDED']);
  });
});

describe('POST_GRADE_ABOVE_UNIT', () => {
  it('refuses setting up a unit with posts above its grade', () => {
    const establish = (grade: 'DEPUTY_COUNTY' | 'SECTION') =>
      spec({
        type: 'ESTABLISH_UNIT',
        unitId: 'a',
        newUnitId: 'n',
        payload: {
          name: '县新机构',
          kind: 'GOVERNMENT',
          grade: 'SECTION',
          quotas: { ADMIN: 3 },
          leadershipPosts: [
            { grade: 'SECTION', principal: 1, deputy: 0 },
            { grade, principal: 0, deputy: 1 },
          ],
        },
      });
    expect(evaluateChange(county(), establish('DEPUTY_COUNTY')).violations).toEqual([
      expect.objectContaining({ rule: 'POST_GRADE_ABOVE_UNIT', unitId: 'n', grade: 'SECTION', postsAbove: 1 }),
    ]);
    expect(rules(county(), establish('SECTION'))).toEqual([]);
  });

  it('refuses leadership posts above the unit, and a regrade below its posts', () => {
    const s = county();
    expect(
      rules(
        s,
        spec({
          type: 'ADJUST_LEADERSHIP',
          unitId: 'a',
          payload: { unitId: 'a', posts: [{ grade: 'DEPUTY_COUNTY', principal: 1, deputy: 0 }] },
        }),
      ),
    ).toEqual(['POST_GRADE_ABOVE_UNIT']);
    // a is graded SECTION with SECTION posts: lowered to DEPUTY_SECTION they would stand above it.
    expect(
      rules(s, spec({ type: 'CHANGE_GRADE', unitId: 'a', payload: { unitId: 'a', grade: 'DEPUTY_SECTION' } })),
    ).toEqual(['POST_GRADE_ABOVE_UNIT']);
    expect(
      rules(s, spec({ type: 'CHANGE_GRADE', unitId: 'a', payload: { unitId: 'a', grade: 'DEPUTY_COUNTY' } })),
    ).toEqual([]);
    // An ungraded unit with graded posts is the same breach.
    expect(rules(s, spec({ type: 'CHANGE_GRADE', unitId: 'a', payload: { unitId: 'a', grade: 'UNGRADED' } }))).toEqual([
      'POST_GRADE_ABOVE_UNIT',
    ]);
  });

  it('does not let an old breach block an unrelated change, nor one that corrects it', () => {
    const s = county();
    s.units.b.leadershipPosts = [{ grade: 'DEPUTY_COUNTY', principal: 1, deputy: 1 }]; // from before
    expect(
      rules(s, spec({ type: 'ADJUST_QUOTA', unitId: 'b', payload: { unitId: 'b', category: 'ADMIN', delta: 1 } })),
    ).toEqual([]);
    expect(
      rules(
        s,
        spec({
          type: 'ADJUST_LEADERSHIP',
          unitId: 'b',
          payload: { unitId: 'b', posts: [{ grade: 'SECTION', principal: 1, deputy: 1 }] },
        }),
      ),
    ).toEqual([]);
    expect(
      rules(
        s,
        spec({
          type: 'ADJUST_LEADERSHIP',
          unitId: 'b',
          payload: { unitId: 'b', posts: [{ grade: 'COUNTY', principal: 1, deputy: 2 }] },
        }),
      ),
    ).toEqual(['POST_GRADE_ABOVE_UNIT']);
  });
});

describe('abolish and merge leave nothing behind (invariant 6)', () => {
  it('abolishing clears posts, sections and name plates and moves the units under it to its parent', () => {
    const s = tree();
    s.units.sub.sections = ['质量股'];
    s.units.sub.namePlates = ['县建筑安全监督站'];
    const r = evaluateChange(
      s,
      spec({ type: 'ABOLISH_UNIT', unitId: 'a', payload: { unitId: 'sub', quotaTo: 'subsub', peopleTo: 'subsub' } }),
    );
    expect(r.violations).toEqual([]);
    expect(r.after.units.sub).toMatchObject({ status: 'abolished', leadershipPosts: [], sections: [], namePlates: [] });
    expect(r.after.units.subsub.parentId).toBe('a');
    const fields = r.diff.filter((d) => d.unitId === 'sub' || d.unitId === 'subsub').map((d) => [d.unitId, d.field]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['sub', 'status'],
        ['sub', 'leadershipPosts'],
        ['sub', 'sections'],
        ['sub', 'namePlates'],
        ['subsub', 'parentId'],
      ]),
    );
    expect(r.diff).toContainEqual(
      expect.objectContaining({ unitId: 'subsub', field: 'parentId', before: 'sub', after: 'a' }),
    );
    expect(r.alteredUnitIds.sort()).toEqual(['sub', 'subsub']);
  });

  it('abolishing a unit at the top leaves the units under it at the top', () => {
    const s = tree();
    s.units.b.occupied = toCategoryMap({});
    const r = evaluateChange(s, spec({ type: 'ABOLISH_UNIT', unitId: 'b', payload: { unitId: 'b' } }));
    expect(r.ok).toBe(true);
    expect(r.after.units.bsub.parentId).toBeNull();
    expect(r.after.units.b.leadershipPosts).toEqual([]);
  });

  it('merging moves the units under the merged ones to the target, the target itself to the unit above', () => {
    const s = tree();
    s.units.b.sections = ['登记股'];
    const r = evaluateChange(
      s,
      spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['b'], targetId: 'a' } }),
    );
    expect(r.ok).toBe(true);
    expect(r.after.units.b).toMatchObject({ status: 'merged', leadershipPosts: [], sections: [], namePlates: [] });
    expect(r.after.units.bsub.parentId).toBe('a');
    expect(r.alteredUnitIds).toContain('bsub');
    // sub merged into subsub, which was under it: subsub moves up to a, not under itself.
    const up = evaluateChange(
      s,
      spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['sub'], targetId: 'subsub' } }),
    );
    expect(up.violations).toEqual([]);
    expect(up.after.units.subsub.parentId).toBe('a');
    // a merged with the unit under it into another: no unit ends up under a closed one or under itself.
    const both = evaluateChange(
      s,
      spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['a', 'sub'], targetId: 'subsub' } }),
    );
    expect(both.after.units.subsub.parentId).toBeNull();
    expect(both.after.units.sub.parentId).toBe('a'); // a merged unit is not moved
  });
});

describe('NOT_YOUR_UNIT_CHANGE: a department proposes for itself and the units under it', () => {
  it('refuses altering another department’s unit', () => {
    const s = tree();
    expect(
      evaluateChange(s, spec({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'b', newName: '县新名称' } }))
        .violations,
    ).toEqual([expect.objectContaining({ rule: 'NOT_YOUR_UNIT_CHANGE', unitId: 'b', requestingUnitId: 'a' })]);
    for (const s2 of [
      spec({ type: 'ADD_NAME_PLATE', unitId: 'a', payload: { unitId: 'bsub', namePlate: '县某牌子' } }),
      spec({ type: 'CHANGE_GRADE', unitId: 'sub', payload: { unitId: 'a', grade: 'DEPUTY_COUNTY' } }),
      spec({ type: 'ADJUST_SECTIONS', unitId: 'a', payload: { unitId: 'b', add: ['一股'], remove: [] } }),
      spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'b', category: 'ADMIN', delta: 1 } }),
      spec({
        type: 'CONVERT_QUOTA',
        unitId: 'a',
        payload: { unitId: 'cdc', fromCategory: 'PUBLIC_INSTITUTION', toCategory: 'CONTRACT', count: 1 },
      }),
      spec({ type: 'ADJUST_LEADERSHIP', unitId: 'a', payload: { unitId: 'b', posts: [] } }),
      spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'bsub', category: 'CONTRACT', count: 0 } }),
    ])
      expect(rules(s, s2)).toContain('NOT_YOUR_UNIT_CHANGE');
  });

  it('lets a department alter the units under it, at any depth', () => {
    const s = tree();
    expect(
      rules(s, spec({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'subsub', newName: '县新名称' } })),
    ).toEqual([]);
    expect(
      rules(
        s,
        spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'sub', category: 'PUBLIC_INSTITUTION', count: 1 } }),
      ),
    ).toEqual([]);
    expect(isSelfOrUnder(s, 'subsub', 'a')).toBe(true);
    expect(isSelfOrUnder(s, 'a', 'subsub')).toBe(false);
    s.units.a.parentId = 'subsub'; // a loop in a bad registry ends the walk
    expect(isSelfOrUnder(s, 'subsub', 'b')).toBe(false);
  });

  it('lets a transfer, an abolition and a merger name another department’s unit, and a set-up or loan gain', () => {
    const s = tree();
    s.units.b.quotas.ADMIN = 10;
    for (const s2 of [
      spec({
        type: 'TRANSFER_QUOTA',
        unitId: 'a',
        payload: { lines: [{ fromUnitId: 'b', toUnitId: 'a', category: 'ADMIN', count: 1 }] },
      }),
      spec({ type: 'ABOLISH_UNIT', unitId: 'a', payload: { unitId: 'bsub' } }),
      spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['bsub'], targetId: 'sub' } }),
      spec({
        type: 'ESTABLISH_UNIT',
        unitId: 'a',
        newUnitId: 'n',
        payload: {
          name: '县新中心',
          kind: 'PUBLIC_INSTITUTION',
          grade: 'STOCK',
          parentId: 'b',
          quotas: {},
          leadershipPosts: [],
        },
      }),
      spec({
        type: 'LEND_POOL_QUOTA',
        unitId: 'a',
        payload: { loans: [{ unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 1 }], dueDate: '2027-06-30' },
      }),
    ])
      expect(rules(s, s2)).toEqual([]);
  });
});

describe('referral (报批) of the structure of 党政群机关', () => {
  const s = tree();
  const reasons = (x: Omit<ChangeSpec, 'requestId'>) => higherApprovalReasons(s, spec(x));

  it('sends up the set-up, abolition, merger, renaming, regrading and sections of a body', () => {
    for (const kind of ['PARTY', 'GOVERNMENT', 'PEOPLES_CONGRESS', 'CPPCC', 'MASS_ORG'] as const)
      expect(
        reasons({
          type: 'ESTABLISH_UNIT',
          unitId: 'a',
          payload: { name: '县新机构', kind, grade: 'SECTION', quotas: {}, leadershipPosts: [] },
        }),
      ).toEqual(['sets up a 党政群机关 (party, government or mass body)']);
    expect(reasons({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'a', newName: '县新名称' } })).toEqual([
      'renames a 党政群机关 (party, government or mass body)',
    ]);
    expect(reasons({ type: 'CHANGE_GRADE', unitId: 'a', payload: { unitId: 'a', grade: 'DEPUTY_SECTION' } })).toEqual([
      'regrades a 党政群机关 (party, government or mass body)',
    ]);
    expect(
      reasons({ type: 'ADJUST_SECTIONS', unitId: 'a', payload: { unitId: 'a', add: ['一股'], remove: [] } }),
    ).toEqual(['changes the internal sections of a 党政群机关 (party, government or mass body)']);
    expect(reasons({ type: 'ABOLISH_UNIT', unitId: 'b', payload: { unitId: 'b' } })).toEqual([
      'abolishes a 党政群机关 (party, government or mass body)',
    ]);
    expect(reasons({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['sub'], targetId: 'a' } })).toEqual([
      'merges 党政群机关 (party, government or mass bodies)',
    ]);
  });

  it('leaves the same matters of public institutions below 副处 with the county', () => {
    expect(
      reasons({
        type: 'ESTABLISH_UNIT',
        unitId: 'a',
        payload: { name: '县新中心', kind: 'PUBLIC_INSTITUTION', grade: 'SECTION', quotas: {}, leadershipPosts: [] },
      }),
    ).toEqual([]);
    expect(reasons({ type: 'RENAME_UNIT', unitId: 'sub', payload: { unitId: 'sub', newName: '县新名称' } })).toEqual(
      [],
    );
    expect(reasons({ type: 'CHANGE_GRADE', unitId: 'sub', payload: { unitId: 'sub', grade: 'SECTION' } })).toEqual([]);
    expect(
      reasons({ type: 'ADJUST_SECTIONS', unitId: 'sub', payload: { unitId: 'sub', add: ['一股'], remove: [] } }),
    ).toEqual([]);
    expect(reasons({ type: 'ABOLISH_UNIT', unitId: 'cdc', payload: { unitId: 'cdc', peopleTo: 'sub' } })).toEqual([]);
    expect(
      reasons({ type: 'MERGE_UNITS', unitId: 'sub', payload: { sourceIds: ['subsub'], targetId: 'sub' } }),
    ).toEqual([]);
    // A body's name plate and quota stay with the county (no structural change).
    expect(reasons({ type: 'ADD_NAME_PLATE', unitId: 'a', payload: { unitId: 'a', namePlate: '县某牌子' } })).toEqual(
      [],
    );
  });
});
