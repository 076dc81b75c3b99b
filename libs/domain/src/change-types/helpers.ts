import {
  CATEGORIES,
  CategoryMap,
  emptyCategoryMap,
  Grade,
  isDeputyCountyOrAbove,
  PARTY_GOVERNMENT_MASS_KINDS,
  UnitKind,
} from '../enums';
import { PoolLoan, RegistrySnapshot, UnitState } from '../registry';
import type { RegistryDraft } from './definition';

// What several change types share: deep copies, folding a closing unit into others, and the tests behind the
// higher authority's approval (报批) and the follow-up tasks.

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function addMaps(into: CategoryMap, from: CategoryMap): void {
  for (const c of CATEGORIES) into[c] += from[c];
}

/** Moves every quota, person and loan of `source` into `target` (or quota back to the county when target is null). */
export function foldInto(
  s: RegistrySnapshot,
  source: UnitState,
  quotaTo: UnitState | null,
  peopleTo: UnitState | null,
  ended: PoolLoan[],
): void {
  if (quotaTo) addMaps(quotaTo.quotas, source.quotas);
  if (peopleTo) {
    addMaps(peopleTo.occupied, source.occupied);
    addMaps(peopleTo.pending, source.pending);
  }
  const target = quotaTo && quotaTo === peopleTo ? quotaTo : null;
  for (const loan of s.loans.filter((l) => l.unitId === source.id)) {
    if (target) {
      loan.unitId = target.id; // a merged unit's loan goes on with the unit it joined
      target.loaned[loan.category] += loan.count;
    } else {
      ended.push({ ...loan }); // an abolished unit's loan comes back to the pool
    }
  }
  s.loans = s.loans.filter((l) => l.unitId !== source.id);
  source.quotas = emptyCategoryMap();
  source.loaned = emptyCategoryMap();
  if (peopleTo) {
    source.occupied = emptyCategoryMap();
    source.pending = emptyCategoryMap();
  }
}

/**
 * A closing unit (abolished or merged) keeps no leadership posts, sections or name plates (invariant 6), and the
 * active units under it move to `newParent(childId)`; all of it shows in the diff.
 */
export function closeStructure(
  draft: RegistryDraft,
  closing: UnitState,
  newParent: (childId: string) => string | null,
) {
  closing.leadershipPosts = [];
  closing.sections = [];
  closing.namePlates = [];
  for (const child of Object.values(draft.before.units))
    if (child.status === 'active' && child.parentId === closing.id && draft.after.units[child.id].status === 'active')
      draft.unit(child.id).parentId = newParent(child.id);
}

/** The nearest unit above `unitId` (in `before`) that is not in `skip`, or null at the top. */
export function nearestAncestorOutside(before: RegistrySnapshot, unitId: string, skip: Set<string>): string | null {
  const seen = new Set<string>();
  for (
    let id = before.units[unitId]?.parentId ?? null;
    id !== null && !seen.has(id);
    id = before.units[id]?.parentId ?? null
  ) {
    if (!skip.has(id)) return id;
    seen.add(id);
  }
  return null;
}

/** 党政群机关: party, government, congress, CPPCC and mass bodies, whose structure the higher authority decides. */
export function isPartyGovernmentMass(kind: UnitKind | undefined): boolean {
  return !!kind && PARTY_GOVERNMENT_MASS_KINDS.includes(kind);
}

/** The same for a unit of the registry; an unknown unit is not. */
export function isPartyGovernmentMassUnit(before: RegistrySnapshot, unitId: string): boolean {
  return isPartyGovernmentMass(before.units[unitId]?.kind);
}

/** 政法专项编制: every change touching it goes up (docs/domain.md, "The procedure"). */
export const POLITICAL_LEGAL = 'POLITICAL_LEGAL';

/** True when the unit holds or uses 政法专项编制. */
export function holdsPoliticalLegal(before: RegistrySnapshot, unitId: string): boolean {
  const u = before.units[unitId];
  return (u?.quotas[POLITICAL_LEGAL] ?? 0) > 0 || (u?.occupied[POLITICAL_LEGAL] ?? 0) > 0;
}

/** A grade of 副处 or above, beyond what the county decides alone; an unknown grade (no such unit) is not. */
export function isHighGrade(grade: Grade | undefined): boolean {
  return !!grade && isDeputyCountyOrAbove(grade);
}

export function isPublicInstitution(before: RegistrySnapshot, unitId: string | undefined): boolean {
  return !!unitId && before.units[unitId]?.kind === 'PUBLIC_INSTITUTION';
}

/** The follow-up of a change to a unit's registered particulars (name, name plate, grade). */
export function registrationChangeTasks(before: RegistrySnapshot, unitId: string): string[] {
  return [
    ...(isPublicInstitution(before, unitId) ? ['事业单位变更登记 (registration change)'] : []),
    '统一社会信用代码 信息变更 (credit code record update)',
  ];
}

/** The follow-up of a change that moves quota or posts but not a unit's particulars. */
export const REAL_NAME_UPDATE = '实名制 update (real-name register)';
