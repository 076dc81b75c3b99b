import {
  CATEGORIES,
  Category,
  categoryAllowedFor,
  CategoryMap,
  emptyCategoryMap,
  gradeRank,
  LIMITED_BODY_KINDS,
} from './enums';
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

/** What a unit must correct (超编, 超职数): shown by the registry and counted by the summary, from one rule. */
export interface UnitCorrections {
  /** Categories where people on (实有) and places promised (待入编) exceed approved + loaned quota, and by how many. */
  overQuota: { category: Category; by: number }[];
  /** Leadership posts (all grades, principal and deputy) beyond the quota they count against (invariant 3). */
  overPosts: { posts: number; limit: number; by: number } | null;
}

export function unitCorrections(u: UnitState): UnitCorrections {
  const overQuota = CATEGORIES.map((category) => ({ category, by: -fillable(u, category) })).filter((o) => o.by > 0);
  const posts = totalPosts(u.leadershipPosts);
  const { limit } = leadershipLimit(u);
  return { overQuota, overPosts: posts > limit ? { posts, limit, by: posts - limit } : null };
}

/** Leadership posts graded above the unit itself (POST_GRADE_ABOVE_UNIT), counted principal and deputy. */
export function postsAboveUnitGrade(u: UnitState): number {
  return u.leadershipPosts
    .filter((p) => gradeRank(p.grade) > gradeRank(u.grade))
    .reduce((n, p) => n + p.principal + p.deputy, 0);
}

/** Active units counted against the 机构限额 (PARTY + GOVERNMENT). */
export function limitedBodies(s: RegistrySnapshot): number {
  return Object.values(s.units).filter((u) => u.status === 'active' && LIMITED_BODY_KINDS.includes(u.kind)).length;
}

/**
 * True when `unitId` is `ancestorId` or under it, following parentId upwards: a department speaks for the units
 * under it (docs/domain.md, "Who decides"). A unit not in the registry is under nothing.
 */
export function isSelfOrUnder(s: RegistrySnapshot, unitId: string, ancestorId: string): boolean {
  const seen = new Set<string>();
  for (let id: string | null = unitId; id !== null && !seen.has(id); id = s.units[id]?.parentId ?? null) {
    if (id === ancestorId) return true;
    seen.add(id);
  }
  return false;
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 and 2026-13-01 are not). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The day `years` years after a YYYY-MM-DD date; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const y = String(Number(date.slice(0, 4)) + years).padStart(4, '0');
  const same = `${y}${date.slice(4)}`;
  return isCalendarDate(same) ? same : `${y}-02-28`;
}

/** The longest a turnover-pool loan may run (docs/domain.md, "More rules"). */
export const MAX_LOAN_YEARS = 3;

/**
 * INVALID_DUE_DATE: a loan's due date is a real calendar date, and, when today is known (office time), after it and
 * within three years of it. Null when the date is right.
 */
export function dueDateViolation(dueDate: string, today?: string): RuleViolation | null {
  if (!isCalendarDate(dueDate))
    return { rule: 'INVALID_DUE_DATE', dueDate, message: `${dueDate} is not a calendar date` };
  if (today === undefined) return null;
  const latest = addYears(today, MAX_LOAN_YEARS);
  if (dueDate <= today)
    return {
      rule: 'INVALID_DUE_DATE',
      dueDate,
      today,
      message: `the due date ${dueDate} is not after today (${today})`,
    };
  if (dueDate > latest)
    return {
      rule: 'INVALID_DUE_DATE',
      dueDate,
      today,
      latest,
      message: `the due date ${dueDate} is more than ${MAX_LOAN_YEARS} years after today (latest ${latest})`,
    };
  return null;
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
    // 专编专用: a category the unit's kind may not hold, flagged where the change gives it more (approved or lent).
    for (const c of CATEGORIES) {
      if (categoryAllowedFor(u.kind, c)) continue;
      const grew = (f: 'quotas' | 'loaned') => u[f][c] > 0 && u[f][c] > (was ? was[f][c] : 0);
      if (grew('quotas') || grew('loaned'))
        out.push({
          rule: 'CATEGORY_NOT_FOR_KIND',
          unitId: u.id,
          category: c,
          kind: u.kind,
          approved: u.quotas[c],
          loaned: u.loaned[c],
          message: `${u.name} (${u.kind}) may not hold ${c} quota (专编专用)`,
        });
    }
    // A leadership post is graded no higher than its unit, flagged where the change adds posts above the unit's grade.
    const above = postsAboveUnitGrade(u);
    if (above > 0 && above > (was ? postsAboveUnitGrade(was) : 0))
      out.push({
        rule: 'POST_GRADE_ABOVE_UNIT',
        unitId: u.id,
        grade: u.grade,
        postsAbove: above,
        message: `${u.name} (graded ${u.grade}) would have ${above} leadership posts graded above it`,
      });
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
  // 机构限额: the active PARTY + GOVERNMENT units, flagged where the change adds to a count above the limit.
  if (typeof before.bodyLimit === 'number') {
    const countBefore = limitedBodies(before);
    const countAfter = limitedBodies(after);
    if (countAfter > before.bodyLimit && countAfter > countBefore)
      out.push({
        rule: 'BODY_LIMIT_EXCEEDED',
        limit: before.bodyLimit,
        bodies: countBefore,
        requested: countAfter - countBefore,
        message:
          `the county may have ${before.bodyLimit} party and government bodies; ` +
          `it has ${countBefore}, this would make ${countAfter}`,
      });
  }
  return out;
}
