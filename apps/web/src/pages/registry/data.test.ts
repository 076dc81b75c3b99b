import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../api/client';
import { allUnits, PAGE_SIZE, type RegistrySource, type UnitView } from './data';

// Reading every unit: all pages, now or at a moment.

const u = (id: string, name = id) => ({ id, name }) as UnitView;

function source(now: UnitView[], then: UnitView[] = []) {
  const calls: string[] = [];
  const src: RegistrySource = {
    page: async (page, pageSize, asOf) => {
      calls.push(`page ${page}${asOf ? ' asOf' : ''}`);
      const items = asOf ? then : now;
      return { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length };
    },
  };
  return { src, calls };
}

describe('allUnits', () => {
  it('reads every page of the list', async () => {
    const now = Array.from({ length: PAGE_SIZE * 2 + 3 }, (_, i) => u(`u${i}`));
    const { src, calls } = source(now);
    expect(await allUnits(src)).toHaveLength(PAGE_SIZE * 2 + 3);
    expect(calls).toEqual(['page 1', 'page 2', 'page 3']);
  });

  it('at a moment, reads the list as it stood then', async () => {
    const { src, calls } = source([u('a', '县乡村振兴局')], [u('a', '县扶贫开发局')]);
    expect((await allUnits(src, '2026-05-01T00:00:00Z')).map((x) => x.name)).toEqual(['县扶贫开发局']);
    expect(calls).toEqual(['page 1 asOf']);
  });

  it('passes on a failure', async () => {
    const src: RegistrySource = {
      page: async () => {
        throw new ApiProblem(503, 'UNAVAILABLE', 'down');
      },
    };
    await expect(allUnits(src, '2026-05-01T00:00:00Z')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
