import { Category } from './enums';
import { CHANGE_TYPES, RegistryDraft, withDefinition } from './change-types';
import { clone } from './change-types/helpers';
import { ChangeSpec } from './payloads';
import { PeopleNamed, PersonMove } from './people/person';
import { PoolLoan, RegistrySnapshot } from './registry';
import { isSelfOrUnder } from './rules';
import { RuleViolation } from './violations';

// The effect of a change on the registry (组织实施), as a pure function of the registry before; each type's
// own effect is in change-types/. Invariants are checked separately (rules.ts) on the registry after, so one
// check serves every type.

export interface AppliedEffect {
  after: RegistrySnapshot;
  /** Rules broken by the shape of the change itself (a missing unit, a duplicate name plate, …). */
  violations: RuleViolation[];
  loansCreated: PoolLoan[];
  loansEnded: PoolLoan[];
  personMoves: PersonMove[];
}

/** Unit ids the change names; each must exist and be active (invariant 6, docs/domain.md). */
export function referencedUnitIds(spec: ChangeSpec): string[] {
  return withDefinition(spec, (type, payload) => type.referencedUnitIds(payload));
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

/**
 * NOT_YOUR_UNIT_CHANGE: a change altering one named unit (a rename, a regrade, its quota, posts, sections, …) is
 * proposed by that unit or by the department it is under (docs/domain.md, "Who decides"); another department's
 * unit is heard instead where a change takes from it (transfer, abolition, merger).
 */
function checkOwnUnits(before: RegistrySnapshot, spec: ChangeSpec): RuleViolation[] {
  const ids = [...new Set(withDefinition(spec, (type, payload) => type.ownUnitIds(payload)))];
  return ids
    .filter((id) => !isSelfOrUnder(before, id, spec.unitId))
    .map((id) => ({
      rule: 'NOT_YOUR_UNIT_CHANGE' as const,
      unitId: id,
      requestingUnitId: spec.unitId,
      message: `${before.units[id]?.name ?? id} is neither the requesting unit nor under it`,
    }));
}

export function applyEffect(before: RegistrySnapshot, spec: ChangeSpec): AppliedEffect {
  const refViolations = checkReferences(before, spec);
  if (refViolations.length)
    return { after: before, violations: refViolations, loansCreated: [], loansEnded: [], personMoves: [] };
  const after: RegistrySnapshot = {
    ...before,
    units: { ...before.units },
    totals: { ...before.totals },
    poolSize: { ...before.poolSize },
    loans: before.loans.map((l) => ({ ...l })),
  };
  const draft: RegistryDraft = {
    before,
    after,
    unit: (id) => {
      if (after.units[id] && after.units[id] === before.units[id]) after.units[id] = clone(before.units[id]);
      return after.units[id];
    },
    violations: [],
    loansCreated: [],
    loansEnded: [],
    personMoves: [],
    requestId: spec.requestId,
    newUnitId: spec.newUnitId ?? `new:${spec.requestId}`,
  };
  draft.violations.push(...checkOwnUnits(before, spec));
  withDefinition(spec, (type, payload) => type.apply(draft, payload));
  return {
    after: draft.after,
    violations: draft.violations,
    loansCreated: draft.loansCreated,
    loansEnded: draft.loansEnded,
    personMoves: draft.personMoves,
  };
}

/** The people a request names (实名制), which the records load beside the registry to check it. */
export function peopleNamed(spec: ChangeSpec): PeopleNamed {
  return withDefinition(spec, (type, payload) => type.peopleNamed?.(payload) ?? { ids: [], idHashes: [] });
}

/** What the API does with the people a request of this type names before it is kept (see the definition). */
export function peopleInPayload(type: ChangeSpec['type']): 'NEW_PEOPLE' | 'PEOPLE_ON_RECORD' | undefined {
  return CHANGE_TYPES[type].peopleInPayload;
}

/** Where the people on record of the units a change closes go (with the units' `occupied`). */
export function peopleFollow(spec: ChangeSpec): { fromUnitId: string; toUnitId: string }[] {
  return withDefinition(spec, (type, payload) => type.peopleFollow?.(payload) ?? []);
}

/** True when a request of this type sets up a unit, whose id is then fixed when the request is created. */
export function setsUpUnit(type: ChangeSpec['type']): boolean {
  return CHANGE_TYPES[type].setsUpUnit;
}

/** The due date of the turnover-pool loans the change makes, or undefined when it lends nothing. */
export function poolLoanDueDate(spec: ChangeSpec): string | undefined {
  return withDefinition(spec, (type, payload) => type.poolLoanDueDate?.(payload));
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
