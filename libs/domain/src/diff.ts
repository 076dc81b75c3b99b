import { CATEGORIES } from './enums';
import { RegistrySnapshot, UnitState } from './registry';
import { freeQuota, poolLent } from './rules';

/** One field of the registry before and after a change: what the committee votes on. */
export interface DiffEntry {
  scope: 'unit' | 'county' | 'pool';
  unitId?: string;
  unitName?: string;
  field: string;
  before: unknown;
  after: unknown;
}

const SCALAR_FIELDS: (keyof UnitState)[] = [
  'name',
  'kind',
  'grade',
  'parentId',
  'funding',
  'creditCode',
  'status',
  'mergedInto',
];
const MAP_FIELDS = ['quotas', 'occupied', 'pending', 'loaned'] as const;
const LIST_FIELDS = ['leadershipPosts', 'sections', 'namePlates'] as const;

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

export function diffUnits(before: UnitState | undefined, after: UnitState | undefined): DiffEntry[] {
  const out: DiffEntry[] = [];
  const ref = (after ?? before)!;
  const base = { scope: 'unit' as const, unitId: ref.id, unitName: before?.name ?? ref.name };
  for (const f of SCALAR_FIELDS) {
    const a = before?.[f] ?? null;
    const b = after?.[f] ?? null;
    if (differs(a, b)) out.push({ ...base, field: f, before: a, after: b });
  }
  for (const f of MAP_FIELDS) {
    for (const c of CATEGORIES) {
      const a = before ? before[f][c] : 0;
      const b = after ? after[f][c] : 0;
      if (a !== b) out.push({ ...base, field: `${f}.${c}`, before: a, after: b });
    }
  }
  for (const f of LIST_FIELDS) {
    const a = before?.[f] ?? [];
    const b = after?.[f] ?? [];
    if (differs(a, b)) out.push({ ...base, field: f, before: a, after: b });
  }
  return out;
}

/** Every field a change alters, unit by unit, then the county's free quota and the turnover pool. */
export function diffRegistry(before: RegistrySnapshot, after: RegistrySnapshot): DiffEntry[] {
  const ids = new Set([...Object.keys(before.units), ...Object.keys(after.units)]);
  const out: DiffEntry[] = [];
  for (const id of ids)
    if (before.units[id] !== after.units[id]) out.push(...diffUnits(before.units[id], after.units[id]));
  const freeBefore = freeQuota(before);
  const freeAfter = freeQuota(after);
  for (const c of CATEGORIES)
    if (freeBefore[c] !== freeAfter[c])
      out.push({ scope: 'county', field: `free.${c}`, before: freeBefore[c], after: freeAfter[c] });
  const lentBefore = poolLent(before);
  const lentAfter = poolLent(after);
  for (const c of CATEGORIES)
    if (lentBefore[c] !== lentAfter[c])
      out.push({ scope: 'pool', field: `lent.${c}`, before: lentBefore[c], after: lentAfter[c] });
  return out;
}
