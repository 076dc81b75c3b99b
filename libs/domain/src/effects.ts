import { CATEGORIES, Category, CategoryMap, emptyCategoryMap, toCategoryMap } from './enums';
import { ChangeSpec } from './payloads';
import { PoolLoan, RegistrySnapshot, UnitState } from './registry';
import { RuleViolation } from './violations';

// The effect of each change type on the registry (组织实施), as a pure function of the registry before.
// Invariants are checked separately (rules.ts) on the registry after, so one check serves every type.

export interface AppliedEffect {
  after: RegistrySnapshot;
  /** Rules broken by the shape of the change itself (a missing unit, a duplicate name plate, …). */
  violations: RuleViolation[];
  loansCreated: PoolLoan[];
  loansEnded: PoolLoan[];
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function addMaps(into: CategoryMap, from: CategoryMap): void {
  for (const c of CATEGORIES) into[c] += from[c];
}

/** Unit ids the change names; each must exist and be active (docs/domain.md, invariant 6). */
export function referencedUnitIds(spec: ChangeSpec): string[] {
  const p = spec.payload;
  switch (spec.type) {
    case 'ESTABLISH_UNIT':
      return spec.payload.parentId ? [spec.payload.parentId] : [];
    case 'ABOLISH_UNIT':
      return [spec.payload.unitId, spec.payload.quotaTo, spec.payload.peopleTo].filter((x): x is string => !!x);
    case 'MERGE_UNITS':
      return [...spec.payload.sourceIds, spec.payload.targetId];
    case 'TRANSFER_QUOTA':
      return spec.payload.lines.flatMap((l) => [l.fromUnitId, l.toUnitId]);
    case 'LEND_POOL_QUOTA':
      return spec.payload.loans.map((l) => l.unitId);
    default:
      return [(p as { unitId: string }).unitId];
  }
}

function checkReferences(before: RegistrySnapshot, spec: ChangeSpec): RuleViolation[] {
  const out: RuleViolation[] = [];
  const ids = [...new Set([spec.unitId, ...referencedUnitIds(spec)])];
  for (const id of ids) {
    const unit = before.units[id];
    if (!unit) out.push({ rule: 'UNIT_NOT_FOUND', unitId: id, message: `unit ${id} does not exist` });
    else if (unit.status !== 'active')
      out.push({
        rule: 'UNIT_NOT_ACTIVE',
        unitId: id,
        status: unit.status,
        message: `${unit.name} is ${unit.status}, not active`,
      });
  }
  return out;
}

/** Moves every quota, person and loan of `source` into `target` (or quota back to the county when target is null). */
function foldInto(
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

export function applyEffect(before: RegistrySnapshot, spec: ChangeSpec): AppliedEffect {
  const refViolations = checkReferences(before, spec);
  if (refViolations.length) return { after: before, violations: refViolations, loansCreated: [], loansEnded: [] };
  // Copy on write: a change touches a few units of a county's hundreds, so only those are copied (on first
  // access through unit()); the others stay the very objects of `before`, which the invariant check and the
  // diff then skip by identity.
  const s: RegistrySnapshot = {
    ...before,
    units: { ...before.units },
    totals: { ...before.totals },
    poolSize: { ...before.poolSize },
    loans: before.loans.map((l) => ({ ...l })),
  };
  const violations: RuleViolation[] = [];
  const loansCreated: PoolLoan[] = [];
  const loansEnded: PoolLoan[] = [];
  const unit = (id: string) => {
    if (s.units[id] && s.units[id] === before.units[id]) s.units[id] = clone(before.units[id]);
    return s.units[id];
  };

  switch (spec.type) {
    case 'ESTABLISH_UNIT': {
      const p = spec.payload;
      const id = spec.newUnitId ?? `new:${spec.requestId}`;
      const taken = Object.values(s.units).find((u) => u.status === 'active' && u.name === p.name);
      if (taken)
        violations.push({
          rule: 'UNIT_NAME_TAKEN',
          unitId: taken.id,
          message: `an active unit is already named ${p.name}`,
        });
      s.units[id] = {
        id,
        name: p.name,
        kind: p.kind,
        grade: p.grade,
        parentId: p.parentId ?? null,
        funding: p.funding ?? null,
        creditCode: null,
        status: 'active',
        mergedInto: null,
        quotas: toCategoryMap(p.quotas),
        occupied: emptyCategoryMap(),
        pending: emptyCategoryMap(),
        loaned: emptyCategoryMap(),
        leadershipPosts: clone(p.leadershipPosts),
        sections: [...(p.sections ?? [])],
        namePlates: [...(p.namePlates ?? [])],
      };
      break;
    }
    case 'ABOLISH_UNIT': {
      const p = spec.payload;
      const u = unit(p.unitId);
      if (p.quotaTo === p.unitId || p.peopleTo === p.unitId)
        violations.push({
          rule: 'SAME_UNIT',
          unitId: p.unitId,
          message: 'an abolished unit cannot receive its own quota or people',
        });
      const people = CATEGORIES.reduce((n, c) => n + u.occupied[c] + u.pending[c], 0);
      if (people > 0 && !p.peopleTo)
        violations.push({
          rule: 'PEOPLE_NOT_PLACED',
          unitId: u.id,
          people,
          message: `${u.name} has ${people} people; name the unit they move to (peopleTo)`,
        });
      foldInto(s, u, p.quotaTo ? unit(p.quotaTo) : null, p.peopleTo ? unit(p.peopleTo) : null, loansEnded);
      u.status = 'abolished';
      break;
    }
    case 'MERGE_UNITS': {
      const p = spec.payload;
      const target = unit(p.targetId);
      for (const sourceId of new Set(p.sourceIds)) {
        if (sourceId === p.targetId) {
          violations.push({ rule: 'SAME_UNIT', unitId: sourceId, message: 'a unit cannot be merged into itself' });
          continue;
        }
        const source = unit(sourceId);
        foldInto(s, source, target, target, loansEnded);
        source.status = 'merged';
        source.mergedInto = target.id;
      }
      break;
    }
    case 'RENAME_UNIT': {
      const u = unit(spec.payload.unitId);
      const taken = Object.values(s.units).find(
        (x) => x.status === 'active' && x.id !== u.id && x.name === spec.payload.newName,
      );
      if (taken)
        violations.push({
          rule: 'UNIT_NAME_TAKEN',
          unitId: taken.id,
          message: `an active unit is already named ${spec.payload.newName}`,
        });
      if (u.name === spec.payload.newName)
        violations.push({ rule: 'NO_CHANGE', unitId: u.id, message: 'the new name is the current name' });
      u.name = spec.payload.newName;
      break;
    }
    case 'ADD_NAME_PLATE': {
      const u = unit(spec.payload.unitId);
      if (u.namePlates.includes(spec.payload.namePlate) || u.name === spec.payload.namePlate)
        violations.push({
          rule: 'NAME_PLATE_EXISTS',
          unitId: u.id,
          message: `${u.name} already carries ${spec.payload.namePlate}`,
        });
      else u.namePlates.push(spec.payload.namePlate);
      break;
    }
    case 'CHANGE_GRADE': {
      const u = unit(spec.payload.unitId);
      if (u.grade === spec.payload.grade)
        violations.push({ rule: 'NO_CHANGE', unitId: u.id, message: `${u.name} is already graded ${u.grade}` });
      u.grade = spec.payload.grade;
      break;
    }
    case 'ADJUST_SECTIONS': {
      const u = unit(spec.payload.unitId);
      for (const name of spec.payload.remove) {
        if (!u.sections.includes(name))
          violations.push({
            rule: 'SECTION_NOT_FOUND',
            unitId: u.id,
            section: name,
            message: `${u.name} has no section ${name}`,
          });
        u.sections = u.sections.filter((x) => x !== name);
      }
      for (const name of spec.payload.add) {
        if (u.sections.includes(name))
          violations.push({
            rule: 'SECTION_EXISTS',
            unitId: u.id,
            section: name,
            message: `${u.name} already has section ${name}`,
          });
        else u.sections.push(name);
      }
      break;
    }
    case 'ADJUST_QUOTA': {
      const p = spec.payload;
      unit(p.unitId).quotas[p.category] += p.delta; // from, or back to, the county's free quota
      break;
    }
    case 'TRANSFER_QUOTA': {
      for (const line of spec.payload.lines) {
        if (line.fromUnitId === line.toUnitId)
          violations.push({
            rule: 'SAME_UNIT',
            unitId: line.fromUnitId,
            message: 'a transfer line must move quota between two different units',
          });
        unit(line.fromUnitId).quotas[line.category] -= line.count;
        unit(line.toUnitId).quotas[line.category] += line.count;
      }
      break;
    }
    case 'CONVERT_QUOTA': {
      const p = spec.payload;
      const u = unit(p.unitId);
      if (p.fromCategory === p.toCategory)
        violations.push({ rule: 'NO_CHANGE', unitId: u.id, message: 'fromCategory and toCategory are the same' });
      u.quotas[p.fromCategory] -= p.count;
      u.quotas[p.toCategory] += p.count;
      // 置换 converts quota in use too (seed 002: the mass organisations' administrative quota they used): the
      // people on the converted places are registered under the new category with it (实名制 follow-up).
      for (const m of ['occupied', 'pending'] as const) {
        const room = Math.max(0, u.quotas[p.fromCategory] - (m === 'pending' ? u.occupied[p.fromCategory] : 0));
        const moved = Math.min(Math.max(0, u[m][p.fromCategory] - room), p.count);
        u[m][p.fromCategory] -= moved;
        u[m][p.toCategory] += moved;
      }
      break;
    }
    case 'ADJUST_LEADERSHIP': {
      unit(spec.payload.unitId).leadershipPosts = clone(spec.payload.posts);
      break;
    }
    case 'LEND_POOL_QUOTA': {
      for (const l of spec.payload.loans) {
        const loan: PoolLoan = {
          requestId: spec.requestId,
          unitId: l.unitId,
          category: l.category,
          count: l.count,
          dueDate: spec.payload.dueDate,
        };
        unit(l.unitId).loaned[l.category] += l.count;
        s.loans.push(loan);
        loansCreated.push(loan);
      }
      break;
    }
    case 'USE_QUOTA': {
      const p = spec.payload;
      unit(p.unitId).pending[p.category] += p.count; // permission to recruit: the places become 待入编
      break;
    }
  }
  return { after: s, violations, loansCreated, loansEnded };
}

/** A loan comes back to the pool at its due date, whether or not the unit still fills the places. */
export function returnLoan(
  before: RegistrySnapshot,
  loan: Pick<PoolLoan, 'requestId' | 'unitId' | 'category'>,
): RegistrySnapshot {
  const s = clone(before);
  const match = s.loans.filter(
    (l) => l.requestId === loan.requestId && l.unitId === loan.unitId && l.category === loan.category,
  );
  for (const l of match) {
    const u = s.units[l.unitId];
    if (u) u.loaned[l.category as Category] = Math.max(0, u.loaned[l.category as Category] - l.count);
  }
  s.loans = s.loans.filter((l) => !match.includes(l));
  return s;
}
