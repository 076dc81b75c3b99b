import { CATEGORIES, Category, CategoryMap, emptyCategoryMap } from './enums';
import { RegistrySnapshot, totalPosts, UnitState } from './registry';
import { RuleViolation } from './violations';

// The invariants of docs/domain.md, checked on the registry as it would be after a change. Each check looks
// only at what the change made worse, so an old breach elsewhere does not block an unrelated request.

/** Quota held by active units, per category (编制 allocated). */
export function allocated(s: RegistrySnapshot): CategoryMap {
  const sum = emptyCategoryMap();
  for (const u of Object.values(s.units)) if (u.status === 'active') for (const c of CATEGORIES) sum[c] += u.quotas[c];
  return sum;
}

/** The county's free quota: total − what units hold. */
export function freeQuota(s: RegistrySnapshot): CategoryMap {
  const held = allocated(s);
  const free = emptyCategoryMap();
  for (const c of CATEGORIES) free[c] = s.totals[c] - held[c];
  return free;
}

/** Turnover-pool quota out on loan, per category. */
export function poolLent(s: RegistrySnapshot): CategoryMap {
  const lent = emptyCategoryMap();
  for (const l of s.loans) lent[l.category] += l.count;
  return lent;
}

/** 空编 = 核定 − 实有 − 待入编: what a unit may give up or transfer (invariant 4). */
export function vacantToGive(u: UnitState, c: Category): number {
  return u.quotas[c] - u.occupied[c] - u.pending[c];
}

/** What a unit may still fill: approved + loaned − occupied − pending (invariant 2). */
export function fillable(u: UnitState, c: Category): number {
  return u.quotas[c] + u.loaned[c] - u.occupied[c] - u.pending[c];
}

/** Bodies count leadership posts against administrative quota; public institutions against theirs (invariant 3). */
export function leadershipLimit(u: UnitState): {
  limit: number;
  rule: 'LEADERSHIP_EXCEEDS_ADMIN_QUOTA' | 'LEADERSHIP_EXCEEDS_QUOTA';
} {
  return u.kind === 'PUBLIC_INSTITUTION'
    ? { limit: u.quotas.PUBLIC_INSTITUTION + u.quotas.SCHOOL_STAFF, rule: 'LEADERSHIP_EXCEEDS_QUOTA' }
    : { limit: u.quotas.ADMIN + u.quotas.POLITICAL_LEGAL, rule: 'LEADERSHIP_EXCEEDS_ADMIN_QUOTA' };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function checkInvariants(before: RegistrySnapshot, after: RegistrySnapshot): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const u of Object.values(after.units)) {
    const was = before.units[u.id];
    if (was && (was === u || sameJson(was, u))) continue; // untouched by the effect (copy on write), or equal
    if (u.status !== 'active') {
      // Invariant 6: an abolished or merged unit holds nothing.
      const held = CATEGORIES.reduce((n, c) => n + u.quotas[c] + u.occupied[c] + u.pending[c] + u.loaned[c], 0);
      if (held > 0)
        out.push({
          rule: 'PEOPLE_NOT_PLACED',
          unitId: u.id,
          held,
          message: `${u.name} would be closed still holding ${held} quota or people`,
        });
      continue;
    }
    for (const c of CATEGORIES) {
      const quotaBefore = was ? was.quotas[c] : 0;
      if (u.quotas[c] < quotaBefore && u.quotas[c] < u.occupied[c] + u.pending[c]) {
        // Invariant 4: only vacant quota is given up.
        out.push({
          rule: 'QUOTA_INSUFFICIENT',
          unitId: u.id,
          category: c,
          approved: quotaBefore,
          occupied: u.occupied[c],
          pending: u.pending[c],
          vacant: was ? vacantToGive(was, c) : 0,
          requested: quotaBefore - u.quotas[c],
          message:
            `${u.name} has ${was ? Math.max(0, vacantToGive(was, c)) : 0} vacant ${c} quota ` +
            `and cannot give up ${quotaBefore - u.quotas[c]}`,
        });
      }
      const peopleBefore = was ? was.occupied[c] + was.pending[c] : 0;
      const peopleAfter = u.occupied[c] + u.pending[c];
      if (peopleAfter > peopleBefore && peopleAfter > u.quotas[c] + u.loaned[c]) {
        // Invariant 2: a full or over-quota unit takes nobody on (满编、超编单位一律不得进人).
        const room = was ? fillable(was, c) : 0;
        out.push({
          rule: 'QUOTA_FULL',
          unitId: u.id,
          category: c,
          approved: u.quotas[c],
          loaned: u.loaned[c],
          occupied: was ? was.occupied[c] : 0,
          pending: was ? was.pending[c] : 0,
          fillable: Math.max(0, room),
          requested: peopleAfter - peopleBefore,
          message:
            room <= 0
              ? `${u.name} is full in ${c} quota (approved ${u.quotas[c]}, loaned ${u.loaned[c]}, ` +
                `occupied and pending ${peopleBefore}): it may not take people on`
              : `${u.name} may fill ${room} more ${c} places, not ${peopleAfter - peopleBefore}`,
        });
      }
    }
    // Invariant 3: leadership posts within the unit's quota; flagged only where the change makes the excess worse.
    const posts = totalPosts(u.leadershipPosts);
    const { limit, rule } = leadershipLimit(u);
    const excessBefore = was ? totalPosts(was.leadershipPosts) - leadershipLimit(was).limit : 0;
    if (posts > limit && posts - limit > excessBefore) {
      out.push({
        rule,
        unitId: u.id,
        posts,
        quota: limit,
        message:
          `${u.name} would have ${posts} leadership posts but only ${limit} ` +
          (rule === 'LEADERSHIP_EXCEEDS_ADMIN_QUOTA'
            ? 'administrative (ADMIN + POLITICAL_LEGAL)'
            : 'public-institution (PUBLIC_INSTITUTION + SCHOOL_STAFF)') +
          ' quota',
      });
    }
    for (const c of CATEGORIES) {
      if (u.quotas[c] < 0)
        out.push({
          rule: 'QUOTA_INSUFFICIENT',
          unitId: u.id,
          category: c,
          approved: u.quotas[c],
          message: `${u.name} would hold negative ${c} quota`,
        });
    }
  }
  // Invariant 1 and 4: nothing takes more than the county's free quota; invariants 4 and 5: the turnover
  // pool lends only what it has. Each is flagged only where the change takes more.
  const grewBeyond = (
    before: CategoryMap,
    after: CategoryMap,
    limit: CategoryMap,
    violation: (c: Category, taken: number, available: number) => RuleViolation,
  ) => {
    for (const c of CATEGORIES)
      if (after[c] > before[c] && after[c] > limit[c])
        out.push(violation(c, after[c] - before[c], Math.max(0, limit[c] - before[c])));
  };
  const heldBefore = allocated(before);
  grewBeyond(heldBefore, allocated(after), after.totals, (c, requested, free) => ({
    rule: 'TOTAL_EXCEEDED',
    category: c,
    total: after.totals[c],
    allocated: heldBefore[c],
    free: before.totals[c] - heldBefore[c],
    requested,
    message: `the county has ${free} free ${c} quota, not ${requested}`,
  }));
  const lentBefore = poolLent(before);
  grewBeyond(lentBefore, poolLent(after), after.poolSize, (c, requested, available) => ({
    rule: 'POOL_INSUFFICIENT',
    category: c,
    size: after.poolSize[c],
    lent: lentBefore[c],
    available: after.poolSize[c] - lentBefore[c],
    requested,
    message: `the turnover pool has ${available} ${c} places available, not ${requested}`,
  }));
  return out;
}
