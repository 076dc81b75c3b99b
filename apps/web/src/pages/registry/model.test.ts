import { describe, expect, it } from 'vitest';
import {
  buildForest,
  chinaTime,
  countUnits,
  groupByKind,
  matchesFilter,
  overPosts,
  overQuota,
  parseAsOf,
  pruneForest,
  quotaCell,
  versionChanges,
  type UnitFigures,
  type UnitNode,
} from './model';

const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };

function unit(id: string, over: Partial<UnitFigures> = {}): UnitFigures {
  return {
    id,
    name: id,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    parentId: null,
    status: 'active',
    quotas: { ...zero },
    occupied: { ...zero },
    pending: { ...zero },
    loaned: { ...zero },
    leadershipPosts: [],
    sections: [],
    namePlates: [],
    corrections: { overQuota: [], overPosts: null },
    ...over,
  };
}

/** A forest as nested ids, to compare whole shapes. */
const shape = (nodes: UnitNode<{ id: string }>[]): unknown =>
  nodes.map((n) => (n.children.length ? { [n.unit.id]: shape(n.children) } : n.unit.id));

describe('the tree of units', () => {
  it('puts each unit under its parent, keeping the order given', () => {
    const units = [
      unit('health'),
      unit('cdc', { parentId: 'health', kind: 'PUBLIC_INSTITUTION' }),
      unit('finance'),
      unit('hospital', { parentId: 'health', kind: 'PUBLIC_INSTITUTION' }),
      unit('lab', { parentId: 'cdc', kind: 'PUBLIC_INSTITUTION' }),
    ];
    expect(shape(buildForest(units))).toEqual([{ health: [{ cdc: ['lab'] }, 'hospital'] }, 'finance']);
  });

  it('makes a root of a unit whose parent is not in the list (e.g. not set up yet at that date)', () => {
    expect(shape(buildForest([unit('a', { parentId: 'gone' }), unit('b', { parentId: 'a' })]))).toEqual([{ a: ['b'] }]);
  });

  it('shows every unit exactly once even if the parents loop (which the registry should never hold)', () => {
    const units = [
      unit('a', { parentId: 'b' }),
      unit('b', { parentId: 'a' }),
      unit('c', { parentId: 'a' }),
      unit('self', { parentId: 'self' }),
    ];
    const forest = buildForest(units);
    expect(countUnits(forest)).toBe(4);
    expect(shape(forest)).toEqual([{ a: ['c'] }, 'b', 'self']);
  });

  it('builds 600 units in a few milliseconds', () => {
    const units = Array.from({ length: 600 }, (_, i) =>
      unit(`u${i}`, { parentId: i < 60 ? null : `u${i % 60}`, kind: i < 30 ? 'PARTY' : 'GOVERNMENT' }),
    );
    const t = performance.now();
    const forest = buildForest(units);
    expect(performance.now() - t).toBeLessThan(200);
    expect(forest).toHaveLength(60);
    expect(countUnits(forest)).toBe(600);
  });

  it('groups the roots by kind in the order of kinds: party bodies first', () => {
    const forest = buildForest([
      unit('town', { kind: 'TOWNSHIP' }),
      unit('gov'),
      unit('party', { kind: 'PARTY' }),
      unit('odd', { kind: 'SOMETHING_NEW' }),
    ]);
    expect(groupByKind(forest).map((g) => [g.kind, g.nodes.map((n) => n.unit.id)])).toEqual([
      ['PARTY', ['party']],
      ['GOVERNMENT', ['gov']],
      ['TOWNSHIP', ['town']],
      ['SOMETHING_NEW', ['odd']],
    ]);
  });

  it('keeps the matches with their superiors, marks the superiors, and opens the way to each match', () => {
    const forest = buildForest([
      unit('health'),
      unit('cdc', { parentId: 'health' }),
      unit('lab', { parentId: 'cdc' }),
      unit('hospital', { parentId: 'health' }),
      unit('finance'),
    ]);
    const { roots, open } = pruneForest(forest, (u) => u.id === 'lab' || u.id === 'finance');
    expect(shape(roots)).toEqual([{ health: [{ cdc: ['lab'] }] }, 'finance']);
    expect(roots[0].matched).toBe(false);
    expect(roots[0].children[0].children[0].matched).toBe(true);
    expect(open.sort()).toEqual(['cdc', 'health']);
    expect(pruneForest(forest, () => false).roots).toEqual([]);
  });
});

describe('超编 and 超职数', () => {
  it("reads the marks the API gives (the rule itself is the domain's unitCorrections)", () => {
    const u = unit('x', {
      corrections: { overQuota: [{ category: 'ADMIN', by: 1 }], overPosts: { posts: 4, limit: 3, by: 1 } },
    });
    expect(overQuota(u)).toEqual(['ADMIN']);
    expect(overPosts(u)).toEqual({ posts: 4, limit: 3 });
    expect(overQuota(unit('none'))).toEqual([]);
    expect(overPosts(unit('none', { corrections: { overQuota: [], overPosts: null } }))).toBeNull();
  });

  it('writes a cell as 核定/实有 with the loan beside it', () => {
    const u = unit('x', { quotas: { ...zero, ADMIN: 12 }, occupied: { ...zero, ADMIN: 10 } });
    expect(quotaCell(u, 'ADMIN')).toBe('12/10');
    expect(quotaCell(u, 'CONTRACT')).toBe('—');
    expect(quotaCell({ ...u, loaned: { ...zero, ADMIN: 2 } }, 'ADMIN')).toBe('12/10（借2）');
  });
});

describe('查看某日台账: the moment in the URL', () => {
  it('takes a day as the end of that day in China time', () => {
    expect(parseAsOf('2026-05-01')).toEqual({
      instant: '2026-05-01T23:59:59.999+08:00',
      day: '2026-05-01',
      exact: false,
    });
  });

  it('takes an exact moment, and names its day in China time', () => {
    expect(parseAsOf('2026-05-01T17:30:00Z')).toEqual({
      instant: '2026-05-01T17:30:00.000Z',
      day: '2026-05-02', // 01:30 in China
      exact: true,
    });
    // A '+' typed into the address bar arrives as a space.
    expect(parseAsOf('2026-05-01T10:00:00 08:00')).toMatchObject({ instant: '2026-05-01T02:00:00.000Z' });
  });

  it('refuses what is not a real day or moment, and means now without one', () => {
    for (const bad of ['2026-02-30', '2026-5-1', 'yesterday', '2026-05-01T25:00:00Z'])
      expect(parseAsOf(bad)).toBe('invalid');
    expect(parseAsOf(null)).toBeUndefined();
    expect(parseAsOf('')).toBeUndefined();
  });

  it('shows a moment in China time', () => {
    expect(chinaTime('2026-05-01T17:30:05.123Z')).toBe('2026-05-02 01:30');
    expect(chinaTime('2026-05-01T17:30:05.123Z', true)).toBe('2026-05-02 01:30:05');
  });
});

describe('the filters', () => {
  const u = unit('住建', {
    name: '县住房和城乡建设局',
    namePlates: ['县人民防空办公室'],
    quotas: { ...zero, ADMIN: 10 },
    occupied: { ...zero, ADMIN: 11 },
    corrections: { overQuota: [{ category: 'ADMIN', by: 1 }], overPosts: null },
  });
  it('match name and name plates, kind, grade, status (active by default) and the marks', () => {
    expect(matchesFilter(u, {})).toBe(true);
    expect(matchesFilter(u, { q: '住房' })).toBe(true);
    expect(matchesFilter(u, { q: '人民防空' })).toBe(true);
    expect(matchesFilter(u, { q: '财政' })).toBe(false);
    expect(matchesFilter(u, { kind: 'PARTY' })).toBe(false);
    expect(matchesFilter(u, { grade: 'SECTION', over: true })).toBe(true);
    expect(matchesFilter({ ...u, corrections: { overQuota: [], overPosts: null } }, { over: true })).toBe(false);
    const gone = { ...u, status: 'abolished' };
    expect(matchesFilter(gone, {})).toBe(false);
    expect(matchesFilter(gone, { status: 'all' })).toBe(true);
    expect(matchesFilter(gone, { status: 'abolished' })).toBe(true);
  });
});

describe('沿革: what a version changed', () => {
  it('names each change in words', () => {
    const before = unit('p', {
      name: '县扶贫开发局',
      quotas: { ...zero, ADMIN: 8 },
      occupied: { ...zero, ADMIN: 7 },
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
      sections: ['综合股', '项目股'],
    });
    const after = {
      ...before,
      name: '县乡村振兴局',
      quotas: { ...zero, ADMIN: 10 },
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
      sections: ['综合股', '衔接推进股'],
      namePlates: ['县乡村振兴服务中心'],
      parentId: 'gov',
    };
    expect(versionChanges(before, after, (id) => (id === 'gov' ? '县人民政府' : '?'))).toEqual([
      '名称：县扶贫开发局 → 县乡村振兴局',
      '主管部门：无 → 县人民政府',
      '行政编制核定：8 → 10',
      '领导职数：正科 1正2副 → 正科 1正3副',
      '内设机构增设：衔接推进股',
      '内设机构撤销：项目股',
      '加挂牌子加挂：县乡村振兴服务中心',
    ]);
  });

  it('says nothing for the first version, and names the unit merged into', () => {
    const u = unit('a');
    expect(versionChanges(undefined, u)).toEqual([]);
    expect(versionChanges(u, { ...u, status: 'merged', mergedInto: 'b' }, () => '县卫生健康局')).toEqual([
      '状态：正常 → 已合并（并入县卫生健康局）',
    ]);
  });
});
