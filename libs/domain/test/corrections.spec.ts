import { UnitState, unitCorrections } from '../src';

// 超编 and 超职数 (docs/domain.md, invariants 2 and 3): what the registry marks and the summary counts.
const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const unit = (over: Partial<UnitState>): UnitState =>
  ({
    id: 'u',
    name: 'u',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    parentId: null,
    funding: null,
    creditCode: null,
    status: 'active',
    mergedInto: null,
    quotas: { ...zero },
    occupied: { ...zero },
    pending: { ...zero },
    loaned: { ...zero },
    leadershipPosts: [],
    sections: [],
    namePlates: [],
    ...over,
  }) as UnitState;

describe('unitCorrections', () => {
  it('marks a category whose people on and places promised exceed approved plus loaned quota, by how many', () => {
    const u = unit({
      quotas: { ...zero, ADMIN: 10, PUBLIC_INSTITUTION: 5, SCHOOL_STAFF: 4 },
      occupied: { ...zero, ADMIN: 11, PUBLIC_INSTITUTION: 6, SCHOOL_STAFF: 3 },
      pending: { ...zero, SCHOOL_STAFF: 2 },
      loaned: { ...zero, PUBLIC_INSTITUTION: 1 },
    });
    expect(unitCorrections(u).overQuota).toEqual([
      { category: 'ADMIN', by: 1 },
      { category: 'SCHOOL_STAFF', by: 1 }, // 3 on and 2 promised against 4
    ]);
  });

  it("counts a body's posts against its administrative quota, an institution's against its own", () => {
    const posts = [
      { grade: 'SECTION' as const, principal: 1, deputy: 2 },
      { grade: 'DEPUTY_SECTION' as const, principal: 0, deputy: 1 },
    ];
    const body = unit({
      quotas: { ...zero, ADMIN: 2, POLITICAL_LEGAL: 1, PUBLIC_INSTITUTION: 40 },
      leadershipPosts: posts,
    });
    expect(unitCorrections(body).overPosts).toEqual({ posts: 4, limit: 3, by: 1 });
    expect(unitCorrections({ ...body, quotas: { ...body.quotas, ADMIN: 3 } }).overPosts).toBeNull();
    const institution = unit({
      kind: 'PUBLIC_INSTITUTION',
      quotas: { ...zero, PUBLIC_INSTITUTION: 2, SCHOOL_STAFF: 1, ADMIN: 9 },
      leadershipPosts: posts,
    });
    expect(unitCorrections(institution).overPosts).toEqual({ posts: 4, limit: 3, by: 1 });
    expect(unitCorrections(unit({}))).toEqual({ overQuota: [], overPosts: null });
  });
});
