import { describe, expect, it } from 'vitest';
import {
  chinaDateOf,
  chinaTimeOf,
  chinaToday,
  dueState,
  endOfChinaDay,
  loanRows,
  overQuotaRows,
  poolRows,
  postsOverQuotaRows,
  summaryRows,
  type Summary,
  type UnitView,
} from './figures';

// The numbers page's rows from what the API answers.

const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const fig = (total: number, allocated: number, occupied: number, pending: number, over = 0) => ({
  total,
  allocated,
  free: total - allocated,
  occupied,
  pending,
  vacant: allocated - occupied,
  actualVacant: allocated - occupied - pending,
  unitsOverQuota: over,
});
const summary: Summary = {
  asOf: '2026-05-01T02:00:00.000Z',
  year: 2026,
  categories: {
    ADMIN: fig(500, 120, 100, 3, 1),
    POLITICAL_LEGAL: fig(60, 50, 48, 0),
    PUBLIC_INSTITUTION: fig(2000, 80, 71, 2, 2),
    SCHOOL_STAFF: fig(3000, 0, 0, 0),
    CONTRACT: fig(50, 0, 0, 0),
  },
  turnoverPool: {
    ADMIN: { size: 0, lent: 0, available: 0 },
    POLITICAL_LEGAL: { size: 0, lent: 0, available: 0 },
    PUBLIC_INSTITUTION: { size: 20, lent: 5, available: 15 },
    SCHOOL_STAFF: { size: 10, lent: 0, available: 10 },
    CONTRACT: { size: 0, lent: 0, available: 0 },
  },
  loans: [],
  bodyLimit: null,
  bodies: 8,
};

function unit(over: Partial<UnitView>): UnitView {
  return {
    id: 'u',
    name: '单位',
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
    vacant: { ...zero },
    actualVacant: { ...zero },
    corrections: { overQuota: [], overPosts: null },
    ...over,
  };
}

describe('the summary table (seed 004)', () => {
  it("is a row per category with the API's figures, then 合计 of each column", () => {
    const rows = summaryRows(summary);
    expect(rows.map((r) => r.label)).toEqual([
      '行政编制',
      '政法专项编制',
      '事业编制',
      '中小学教职工编制',
      '聘用编制',
      '合计',
    ]);
    expect(rows[0].figures).toEqual(summary.categories.ADMIN);
    expect(rows[5].figures).toEqual({
      total: 5610,
      allocated: 250,
      free: 5360,
      occupied: 219,
      vacant: 31,
      pending: 5,
      actualVacant: 26,
      unitsOverQuota: null, // a unit over in two categories is one unit: no sum
    });
  });

  it('counts a category the API left out as 0', () => {
    const rows = summaryRows({ ...summary, categories: { ADMIN: summary.categories.ADMIN } });
    expect(rows[2].figures.total).toBe(0);
    expect(rows[5].figures.total).toBe(500);
  });
});

describe('the turnover pool', () => {
  it('lists the categories with a pool, then 合计', () => {
    expect(poolRows(summary).map((r) => [r.label, r.size, r.lent, r.available])).toEqual([
      ['事业编制', 20, 5, 15],
      ['中小学教职工编制', 10, 0, 10],
      ['合计', 30, 5, 25],
    ]);
  });

  it('is empty for a county without one', () => {
    const none = Object.fromEntries(
      Object.keys(summary.turnoverPool).map((c) => [c, { size: 0, lent: 0, available: 0 }]),
    );
    expect(poolRows({ ...summary, turnoverPool: none })).toEqual([]);
  });
});

describe('loans', () => {
  it('are due soon within 30 days, overdue past the due date', () => {
    expect(dueState('2026-05-01', '2026-05-01')).toBe('soon');
    expect(dueState('2026-05-31', '2026-05-01')).toBe('soon');
    expect(dueState('2026-06-01', '2026-05-01')).toBeNull();
    expect(dueState('2026-04-30', '2026-05-01')).toBe('overdue');
  });

  it('are listed soonest first with the unit by name', () => {
    const loan = (unitId: string, dueDate: string) => ({
      requestId: 'r',
      unitId,
      category: 'PUBLIC_INSTITUTION' as const,
      count: 1,
      dueDate,
    });
    const names: Record<string, string> = { a: '县图书馆', b: '县融媒体中心' };
    const rows = loanRows([loan('a', '2027-01-01'), loan('b', '2026-05-20')], (id) => names[id], '2026-05-01');
    expect(rows.map((r) => [r.unitName, r.dueDate, r.due])).toEqual([
      ['县融媒体中心', '2026-05-20', 'soon'],
      ['县图书馆', '2027-01-01', null],
    ]);
  });
});

describe('units to correct', () => {
  it('lists the units the API marks over quota, largest excess first, active ones only', () => {
    const units = [
      unit({
        id: 'b',
        name: '县融媒体中心',
        quotas: { ...zero, PUBLIC_INSTITUTION: 10 },
        occupied: { ...zero, PUBLIC_INSTITUTION: 11 },
        corrections: { overQuota: [{ category: 'PUBLIC_INSTITUTION', by: 1 }], overPosts: null },
      }),
      unit({
        id: 'a',
        name: '县信访局',
        quotas: { ...zero, ADMIN: 5 },
        occupied: { ...zero, ADMIN: 7 },
        corrections: { overQuota: [{ category: 'ADMIN', by: 2 }], overPosts: null },
      }),
      unit({ id: 'c' }),
      unit({
        id: 'd',
        status: 'abolished',
        corrections: { overQuota: [{ category: 'ADMIN', by: 1 }], overPosts: null },
      }),
    ];
    expect(overQuotaRows(units).map((r) => [r.unitName, r.category, r.excess, r.occupied])).toEqual([
      ['县信访局', 'ADMIN', 2, 7],
      ['县融媒体中心', 'PUBLIC_INSTITUTION', 1, 11],
    ]);
  });

  it('lists the units the API marks over posts, with the quota they count against', () => {
    const units = [
      unit({
        id: 'a',
        name: '县人大常委会办公室',
        corrections: { overQuota: [], overPosts: { posts: 4, limit: 3, by: 1 } },
      }),
      unit({
        id: 'c',
        name: '县实验小学',
        kind: 'PUBLIC_INSTITUTION',
        corrections: { overQuota: [], overPosts: { posts: 2, limit: 1, by: 1 } },
      }),
      unit({ id: 'b', name: '县公安局' }),
    ];
    expect(postsOverQuotaRows(units).map((r) => [r.unitName, r.posts, r.limit, r.excess, r.against])).toEqual([
      ['县人大常委会办公室', 4, 3, 1, '行政编制＋政法专项编制'],
      ['县实验小学', 2, 1, 1, '事业编制＋中小学教职工编制'],
    ]);
  });
});

describe('dates in China', () => {
  it('takes the date in China, not in the browser', () => {
    expect(chinaToday(Date.parse('2026-04-30T16:30:00Z'))).toBe('2026-05-01');
    expect(chinaDateOf('2026-04-30T15:59:59Z')).toBe('2026-04-30');
    expect(chinaTimeOf('2026-04-30T10:30:59Z')).toBe('2026-04-30 18:30');
  });

  it('asks for the end of the chosen day in China', () => {
    expect(endOfChinaDay('2026-05-01')).toBe('2026-05-01T15:59:59.999Z');
  });
});
