import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../api/client';
import { allUnits, PAGE_SIZE, type RegistrySource, type UnitView } from './data';

// Reading every unit: all pages now; at a moment, the list with asOf if the API takes it, else unit by unit.

const u = (id: string, name = id) => ({ id, name }) as UnitView;

function source(now: UnitView[], then: Record<string, UnitView | null>, listTakesAsOf = false) {
  const calls: string[] = [];
  const src: RegistrySource = {
    page: async (page, pageSize, asOf) => {
      calls.push(`page ${page}${asOf ? ' asOf' : ''}`);
      if (asOf && !listTakesAsOf)
        throw new ApiProblem(400, 'VALIDATION_FAILED', 'asOf', [
          { field: 'asOf', problem: 'property asOf should not exist' },
        ]);
      const items = asOf ? Object.values(then).filter((x): x is UnitView => !!x) : now;
      return { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length };
    },
    unitAt: async (id) => {
      calls.push(`unit ${id}`);
      return then[id] ?? null;
    },
  };
  return { src, calls };
}

describe('allUnits', () => {
  it('reads every page of the list', async () => {
    const now = Array.from({ length: PAGE_SIZE * 2 + 3 }, (_, i) => u(`u${i}`));
    const { src, calls } = source(now, {});
    expect(await allUnits(src)).toHaveLength(PAGE_SIZE * 2 + 3);
    expect(calls).toEqual(['page 1', 'page 2', 'page 3']);
  });

  it('at a moment, reads each unit then when the list refuses asOf, leaving out units not set up yet', async () => {
    const { src, calls } = source([u('a', '县乡村振兴局'), u('b'), u('new')], {
      a: u('a', '县扶贫开发局'),
      b: u('b'),
      new: null,
    });
    const progress: string[] = [];
    const then = await allUnits(src, '2026-05-01T23:59:59.999+08:00', (d, t) => progress.push(`${d}/${t}`));
    expect(then.map((x) => x.name)).toEqual(['b', '县扶贫开发局']); // by name as it was then
    expect(calls.slice(0, 2)).toEqual(['page 1 asOf', 'page 1']);
    expect(calls.filter((c) => c.startsWith('unit')).sort()).toEqual(['unit a', 'unit b', 'unit new']);
    expect(progress.at(-1)).toBe('3/3');
  });

  it('uses the list with asOf as soon as the API takes it', async () => {
    const { src, calls } = source([u('a')], { a: u('a', 'old') }, true);
    expect((await allUnits(src, '2026-05-01T00:00:00Z')).map((x) => x.name)).toEqual(['old']);
    expect(calls).toEqual(['page 1 asOf']);
  });

  it('passes on any other failure', async () => {
    const src: RegistrySource = {
      page: async () => {
        throw new ApiProblem(503, 'UNAVAILABLE', 'down');
      },
      unitAt: async () => null,
    };
    await expect(allUnits(src, '2026-05-01T00:00:00Z')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
