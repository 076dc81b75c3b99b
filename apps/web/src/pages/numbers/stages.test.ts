import { describe, expect, it } from 'vitest';
import { STAGES } from '../../domain/labels';
import { columnOf, requestsByStage, STAGE_COLUMNS } from './stages';

// 申请事项按环节: statuses into the procedure's four stages, the finished ones apart.

describe('requests by stage', () => {
  it('puts each status in its stage, the finished ones in 已办结', () => {
    expect(STAGE_COLUMNS).toEqual([...STAGES, '已办结']);
    const where = (s: string) => STAGE_COLUMNS[columnOf(s)];
    expect(['draft', 'returned'].map(where)).toEqual(['动议', '动议']);
    expect(where('demonstration')).toBe('论证');
    expect(['committee', 'office_decision', 'awaiting_higher_approval'].map(where)).toEqual([
      '审议决定',
      '审议决定',
      '审议决定',
    ]);
    expect(where('implementing')).toBe('组织实施');
    expect(['implemented', 'rejected', 'withdrawn'].map(where)).toEqual(['已办结', '已办结', '已办结']);
  });

  it('makes a stacked series per status with requests, named in words, in the procedure order', () => {
    const g = requestsByStage([
      { status: 'implemented', count: 4 },
      { status: 'committee', count: 2 },
      { status: 'demonstration', count: 3 },
      { status: 'withdrawn', count: 0 },
      { status: 'office_decision', count: 1 },
      { status: 'draft', count: 5 },
    ]);
    expect(g.series.map((s) => s.name)).toEqual(['草稿', '论证中', '编委会审议中', '编办决定中', '已实施']);
    expect(g.series.find((s) => s.status === 'committee')!.data).toEqual([0, 0, 2, 0, 0]);
    expect(g.totals).toEqual([5, 3, 3, 0, 4]);
  });

  it('adds a status given twice and keeps one it does not know, by its code, in the last stage', () => {
    const g = requestsByStage([
      { status: 'returned', count: 1 },
      { status: 'returned', count: 2 },
      { status: 'archived', count: 1 },
    ]);
    expect(g.series.map((s) => [s.name, s.data])).toEqual([
      ['已退回', [3, 0, 0, 0, 0]],
      ['archived', [0, 0, 0, 1, 0]],
    ]);
  });

  it('has no series when no request stands anywhere', () => {
    expect(requestsByStage([])).toEqual({ columns: STAGE_COLUMNS, series: [], totals: [0, 0, 0, 0, 0] });
  });
});
