import { emptyCategoryMap, RegistrySnapshot, toCategoryMap, UnitState } from '../src';

// A small county registry shared by the rule tests: two bodies, one full public institution, one abolished unit.

export function unit(id: string, over: Partial<UnitState> = {}): UnitState {
  return {
    id,
    name: `unit ${id}`,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    parentId: null,
    funding: null,
    creditCode: null,
    status: 'active',
    mergedInto: null,
    quotas: emptyCategoryMap(),
    occupied: emptyCategoryMap(),
    pending: emptyCategoryMap(),
    loaned: emptyCategoryMap(),
    leadershipPosts: [],
    sections: [],
    namePlates: [],
    ...over,
  };
}

export function county(): RegistrySnapshot {
  return {
    year: 2026,
    totals: toCategoryMap({ ADMIN: 100, POLITICAL_LEGAL: 20, PUBLIC_INSTITUTION: 500, SCHOOL_STAFF: 1000 }),
    poolSize: toCategoryMap({ PUBLIC_INSTITUTION: 20 }),
    loans: [],
    units: {
      a: unit('a', {
        name: '县住建局',
        quotas: toCategoryMap({ ADMIN: 10, PUBLIC_INSTITUTION: 20 }),
        occupied: toCategoryMap({ ADMIN: 8, PUBLIC_INSTITUTION: 12 }),
        pending: toCategoryMap({ PUBLIC_INSTITUTION: 2 }),
        leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
      }),
      b: unit('b', {
        name: '县自然资源局',
        quotas: toCategoryMap({ ADMIN: 8 }),
        occupied: toCategoryMap({ ADMIN: 8 }),
        leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
      }),
      cdc: unit('cdc', {
        name: '县疾病预防控制中心',
        kind: 'PUBLIC_INSTITUTION',
        quotas: toCategoryMap({ PUBLIC_INSTITUTION: 30 }),
        occupied: toCategoryMap({ PUBLIC_INSTITUTION: 30 }),
      }),
      gone: unit('gone', { status: 'abolished' }),
    },
  };
}
