import { CATEGORIES, CategoryMap, UnitKind } from './enums';
import { RegistrySnapshot, UnitState } from './registry';
import { allocated, poolLent } from './rules';
import { RuleViolation } from './violations';

// The admin's initial load (POST /v1/units, the import, PUT /v1/establishment/totals) checked against the county's
// totals as a change request is (docs/domain.md, "Admin loads"): a loaded unit takes only free quota, totals are
// never set below what units hold nor the pool below what is lent, and the body limit (机构限额) holds.

/** The kinds of unit the body limit (机构限额) counts: party and government bodies (党政机构). */
export const BODY_LIMIT_KINDS: readonly UnitKind[] = ['PARTY', 'GOVERNMENT'];

/** Active PARTY + GOVERNMENT units: what the body limit counts. */
export function bodiesAgainstLimit(s: RegistrySnapshot): number {
  return Object.values(s.units).filter((u) => u.status === 'active' && BODY_LIMIT_KINDS.includes(u.kind)).length;
}

/** Units loaded by an admin: together they take only the county's free quota and stay within the body limit. */
export function unitsLoadViolations(before: RegistrySnapshot, units: UnitState[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  const held = allocated(before);
  const active = units.filter((u) => u.status === 'active');
  for (const c of CATEGORIES) {
    const requested = active.reduce((n, u) => n + u.quotas[c], 0);
    const free = before.totals[c] - held[c];
    if (requested > 0 && requested > free)
      out.push({
        rule: 'TOTAL_EXCEEDED',
        category: c,
        total: before.totals[c],
        allocated: held[c],
        free,
        requested,
        message: `the county has ${Math.max(0, free)} free ${c} quota, not ${requested}`,
      });
  }
  const limit = before.bodyLimit;
  const added = active.filter((u) => BODY_LIMIT_KINDS.includes(u.kind)).length;
  const bodies = bodiesAgainstLimit(before);
  if (limit != null && added > 0 && bodies + added > limit)
    out.push({
      rule: 'BODY_LIMIT_EXCEEDED',
      bodyLimit: limit,
      bodies,
      requested: added,
      message: `the county may have ${limit} party and government bodies and has ${bodies}: not ${added} more`,
    });
  return out;
}

/** One unit loaded by an admin (POST /v1/units). */
export function unitLoadViolations(before: RegistrySnapshot, unit: UnitState): RuleViolation[] {
  return unitsLoadViolations(before, [unit]);
}

/**
 * New county totals, turnover-pool size and body limit: none below what the registry holds now. The pool is kept
 * apart from the totals (lent places are counted against the pool, not the total), so each is checked on its own:
 * a total against what active units hold, the pool against what is lent. One violation per category at fault,
 * `field` saying which of the two it is.
 */
export function totalsViolations(
  before: RegistrySnapshot,
  totals: CategoryMap,
  poolSize: CategoryMap,
  bodyLimit: number | null,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  const held = allocated(before);
  const lent = poolLent(before);
  for (const c of CATEGORIES) {
    if (totals[c] < held[c])
      out.push({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'totals',
        category: c,
        total: totals[c],
        allocated: held[c],
        message: `units hold ${held[c]} ${c} quota: the county total may not be ${totals[c]}`,
      });
    if (poolSize[c] < lent[c])
      out.push({
        rule: 'TOTAL_BELOW_ALLOCATED',
        field: 'turnoverPool',
        category: c,
        size: poolSize[c],
        lent: lent[c],
        message: `${lent[c]} ${c} places of the turnover pool are lent: its size may not be ${poolSize[c]}`,
      });
  }
  const bodies = bodiesAgainstLimit(before);
  if (bodyLimit != null && bodyLimit < bodies)
    out.push({
      rule: 'BODY_LIMIT_EXCEEDED',
      bodyLimit,
      bodies,
      message: `the county has ${bodies} party and government bodies: the body limit may not be ${bodyLimit}`,
    });
  return out;
}
