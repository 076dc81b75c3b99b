import { ChangeSpec, decidedBy, RegistrySnapshot, toCategoryMap, unitsToHear } from '../src';
import { county, unit } from './fixtures';

// Who decides a request and which units are heard without the reviewer asking (docs/domain.md, "Who decides").

const spec = (s: Omit<ChangeSpec, 'requestId'>): ChangeSpec => ({ requestId: 'r1', ...s }) as ChangeSpec;

/** The fixture county with a unit under a, and one under b. */
function tree(): RegistrySnapshot {
  const s = county();
  s.units.sub = unit('sub', {
    kind: 'PUBLIC_INSTITUTION',
    parentId: 'a',
    quotas: toCategoryMap({ PUBLIC_INSTITUTION: 4 }),
  });
  s.units.bsub = unit('bsub', {
    kind: 'PUBLIC_INSTITUTION',
    parentId: 'b',
    quotas: toCategoryMap({ PUBLIC_INSTITUTION: 4 }),
  });
  return s;
}

describe('decidedBy', () => {
  const use = (count: number) =>
    spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'a', category: 'PUBLIC_INSTITUTION', count } });

  it('gives the office a USE_QUOTA within the unit’s actual vacancy, the committee one beyond it', () => {
    const s = county(); // a: PUBLIC_INSTITUTION approved 20, occupied 12, pending 2 → 6 vacant
    expect(decidedBy(s, use(1))).toBe('OFFICE');
    expect(decidedBy(s, use(6))).toBe('OFFICE');
    expect(decidedBy(s, use(7))).toBe('COMMITTEE');
  });

  it('does not count loaned pool quota as the unit’s vacancy', () => {
    const s = county();
    s.units.a.loaned.PUBLIC_INSTITUTION = 5;
    expect(decidedBy(s, use(7))).toBe('COMMITTEE');
    expect(decidedBy(s, use(6))).toBe('OFFICE');
  });

  it('follows the configured types', () => {
    const s = county();
    expect(decidedBy(s, use(1), [])).toBe('COMMITTEE');
    const rename = spec({ type: 'RENAME_UNIT', unitId: 'a', payload: { unitId: 'a', newName: '县新名称' } });
    expect(decidedBy(s, rename)).toBe('COMMITTEE');
    expect(decidedBy(s, rename, ['RENAME_UNIT'])).toBe('OFFICE');
    expect(
      decidedBy(s, spec({ type: 'USE_QUOTA', unitId: 'a', payload: { unitId: 'x', category: 'ADMIN', count: 1 } })),
    ).toBe('COMMITTEE'); // no such unit: nothing vacant
  });
});

describe('unitsToHear', () => {
  it('names the givers of a transfer outside the requesting department, once each, in payload order', () => {
    const s = tree();
    const lines = [
      { fromUnitId: 'bsub', toUnitId: 'a', category: 'PUBLIC_INSTITUTION' as const, count: 1 },
      { fromUnitId: 'sub', toUnitId: 'a', category: 'PUBLIC_INSTITUTION' as const, count: 1 },
      { fromUnitId: 'cdc', toUnitId: 'a', category: 'PUBLIC_INSTITUTION' as const, count: 1 },
      { fromUnitId: 'bsub', toUnitId: 'sub', category: 'PUBLIC_INSTITUTION' as const, count: 1 },
      { fromUnitId: 'a', toUnitId: 'b', category: 'ADMIN' as const, count: 1 },
    ];
    expect(unitsToHear(s, spec({ type: 'TRANSFER_QUOTA', unitId: 'a', payload: { lines } }))).toEqual(['bsub', 'cdc']);
    // b speaks for bsub: from b's side only a's units are foreign.
    expect(unitsToHear(s, spec({ type: 'TRANSFER_QUOTA', unitId: 'b', payload: { lines } }))).toEqual([
      'sub',
      'cdc',
      'a',
    ]);
  });

  it('names the abolished unit and the merged-away units, not the merge target nor a unit that only gains', () => {
    const s = tree();
    expect(
      unitsToHear(s, spec({ type: 'ABOLISH_UNIT', unitId: 'a', payload: { unitId: 'b', quotaTo: 'cdc' } })),
    ).toEqual(['b']);
    expect(unitsToHear(s, spec({ type: 'ABOLISH_UNIT', unitId: 'a', payload: { unitId: 'sub' } }))).toEqual([]);
    expect(
      unitsToHear(
        s,
        spec({ type: 'MERGE_UNITS', unitId: 'a', payload: { sourceIds: ['bsub', 'sub', 'b'], targetId: 'cdc' } }),
      ),
    ).toEqual(['bsub', 'b']);
    expect(
      unitsToHear(
        s,
        spec({
          type: 'LEND_POOL_QUOTA',
          unitId: 'a',
          payload: { loans: [{ unitId: 'cdc', category: 'PUBLIC_INSTITUTION', count: 1 }], dueDate: '2027-01-01' },
        }),
      ),
    ).toEqual([]);
  });

  it('names nobody for the types that alter only the requester’s own units', () => {
    const s = tree();
    expect(
      unitsToHear(
        s,
        spec({ type: 'ADJUST_QUOTA', unitId: 'a', payload: { unitId: 'sub', category: 'ADMIN', delta: -1 } }),
      ),
    ).toEqual([]);
    expect(
      unitsToHear(
        s,
        spec({
          type: 'CONVERT_QUOTA',
          unitId: 'a',
          payload: { unitId: 'a', fromCategory: 'ADMIN', toCategory: 'CONTRACT', count: 1 },
        }),
      ),
    ).toEqual([]);
  });
});
