import fc from 'fast-check';
import {
  allocated,
  CATEGORIES,
  Category,
  CHANGE_TYPES,
  ChangeSpec,
  evaluateChange,
  followUpTasks,
  freeQuota,
  GRADES,
  higherApprovalReasons,
  PayloadByType,
  peopleFollow,
  poolLent,
  poolLoanDueDate,
  REQUEST_TYPES,
  RequestType,
  setsUpUnit,
  UNIT_KINDS,
  DISENROL_REASONS,
  ENROL_CHANNELS,
  PersonMove,
  PersonState,
  RegistrySnapshot,
  toCategoryMap,
} from '../src';
import { county, unit } from './fixtures';

// Every change type of the registry (change-types/), checked alike: the office's name, and an effect that moves
// quota, people and loans without creating or losing any (invariants 1, 5 and 6, docs/domain.md).

const IDS = ['a', 'b', 'cdc', 'sub', 'bsub'];
const id = fc.constantFrom(...IDS);
const category = fc.constantFrom(...CATEGORIES);
const count = fc.integer({ min: 1, max: 12 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5'];
const personId = fc.constantFrom(...PEOPLE);
const channel = fc.constantFrom(...ENROL_CHANNELS);
const reason = fc.constantFrom(...DISENROL_REASONS);
/** A person as the API stores them: hashes h1…h8, of which h1…h3 belong to people on record. */
const newcomer = fc
  .integer({ min: 1, max: 8 })
  .map((n) => ({ name: `人${n}`, idHash: `h${n}`, idNumberMasked: `3301**********000${n}` }));

/** A payload generator per type: a type added to the registry without one here does not compile. */
const PAYLOADS: { [T in RequestType]: fc.Arbitrary<PayloadByType[T]> } = {
  ESTABLISH_UNIT: fc.record({
    name: fc.constantFrom('县数据资源局', '县住建局'),
    kind: fc.constantFrom(...UNIT_KINDS),
    grade: fc.constantFrom(...GRADES),
    parentId: maybe(id),
    quotas: fc.record({ ADMIN: fc.nat(8), PUBLIC_INSTITUTION: fc.nat(8) }, { requiredKeys: [] }),
    leadershipPosts: fc.array(
      fc.record({ grade: fc.constantFrom(...GRADES), principal: fc.nat(1), deputy: fc.nat(2) }),
      {
        maxLength: 1,
      },
    ),
    sections: maybe(fc.subarray(['综合股', '业务股'])),
  }),
  ABOLISH_UNIT: fc.record({ unitId: id, quotaTo: maybe(id), peopleTo: maybe(id) }),
  MERGE_UNITS: fc.record({ sourceIds: fc.subarray(IDS, { minLength: 1 }), targetId: id }),
  RENAME_UNIT: fc.record({ unitId: id, newName: fc.constantFrom('县乡村振兴局', '县自然资源局') }),
  ADD_NAME_PLATE: fc.record({ unitId: id, namePlate: fc.constantFrom('县文物局', '县档案馆') }),
  CHANGE_GRADE: fc.record({ unitId: id, grade: fc.constantFrom(...GRADES) }),
  ADJUST_SECTIONS: fc.record({ unitId: id, add: fc.subarray(['综合股', '财务股']), remove: fc.subarray(['综合股']) }),
  ADJUST_QUOTA: fc.record({ unitId: id, category, delta: fc.integer({ min: -12, max: 12 }).filter((n) => n !== 0) }),
  TRANSFER_QUOTA: fc.record({
    lines: fc.array(fc.record({ fromUnitId: id, toUnitId: id, category, count: fc.integer({ min: 1, max: 4 }) }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  CONVERT_QUOTA: fc.record({ unitId: id, fromCategory: category, toCategory: category, count }),
  ADJUST_LEADERSHIP: fc.record({
    unitId: id,
    posts: fc.array(fc.record({ grade: fc.constantFrom(...GRADES), principal: fc.nat(2), deputy: fc.nat(3) }), {
      maxLength: 2,
    }),
  }),
  LEND_POOL_QUOTA: fc.record({
    loans: fc.array(fc.record({ unitId: id, category, count }), { minLength: 1, maxLength: 2 }),
    dueDate: fc.constant('2030-01-01'),
  }),
  USE_QUOTA: fc.record({ unitId: id, category, count }),
  ENROL_PERSON: fc.oneof(
    fc.record({ unitId: id, category, person: newcomer, channel }),
    fc.record({
      lines: fc.array(fc.record({ unitId: id, category, person: newcomer, channel }), { minLength: 1, maxLength: 3 }),
    }),
  ),
  DISENROL_PERSON: fc.record({ personId, reason, date: fc.constant('2026-11-30') }),
  TRANSFER_PERSON: fc.oneof(
    fc.record({ personId, toUnitId: id, category }),
    fc.record({ lines: fc.array(fc.record({ personId, toUnitId: id, category }), { minLength: 1, maxLength: 2 }) }),
  ),
};

/** A change of any type, requested by any unit (a department proposes for itself and the units under it). */
const anyChange = fc.oneof(
  ...REQUEST_TYPES.map((type) =>
    fc
      .tuple(PAYLOADS[type] as fc.Arbitrary<PayloadByType[RequestType]>, id)
      .map(([payload, requester]) => ({ type, payload, requester })),
  ),
);

/** The types that neither draw on the county's free quota nor give back to it, nor exchange categories. */
const MOVES_QUOTA_ONLY = REQUEST_TYPES.filter(
  (t) => !['ESTABLISH_UNIT', 'ADJUST_QUOTA', 'ABOLISH_UNIT', 'CONVERT_QUOTA'].includes(t),
);

/**
 * The fixture county with vacant quota in every unit, so that changes of every type can pass, and a public
 * institution under each bureau with posts, a section and a name plate, so that abolitions and mergers move them.
 */
function roomy(): RegistrySnapshot {
  const s = county();
  s.units.b.quotas.ADMIN = 12;
  s.units.cdc.quotas.PUBLIC_INSTITUTION = 40;
  s.units.sub = unit('sub', {
    name: '县建设工程质量监督站',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'DEPUTY_SECTION',
    parentId: 'a',
    quotas: toCategoryMap({ PUBLIC_INSTITUTION: 10 }),
    occupied: toCategoryMap({ PUBLIC_INSTITUTION: 4 }),
    leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 0 }],
    sections: ['质量股'],
    namePlates: ['县建筑安全监督站'],
  });
  s.units.bsub = unit('bsub', {
    name: '县不动产登记中心',
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parentId: 'b',
    quotas: toCategoryMap({ PUBLIC_INSTITUTION: 6 }),
    occupied: toCategoryMap({ PUBLIC_INSTITUTION: 2 }),
  });
  // People on record: the named part of `occupied` (p5 is off, h4… are nobody yet).
  const person = (id: string, n: number, unitId: string | null, category: Category | null): PersonState => ({
    id,
    name: `人${n}`,
    idHash: `h${n}`,
    idNumberMasked: `3301**********000${n}`,
    status: unitId ? 'on' : 'off',
    unitId,
    category,
  });
  s.people = {
    p1: person('p1', 1, 'sub', 'PUBLIC_INSTITUTION'),
    p2: person('p2', 2, 'sub', 'PUBLIC_INSTITUTION'),
    p3: person('p3', 3, 'bsub', 'PUBLIC_INSTITUTION'),
    p4: person('p4', 9, 'a', 'ADMIN'),
    p5: person('p5', 10, null, null),
  };
  return s;
}

/** The people records after a change's moves, as the records write them (a newcomer gets an id of their hash). */
function withMoves(s: RegistrySnapshot, moves: PersonMove[]): RegistrySnapshot {
  const people = { ...s.people };
  for (const m of moves) {
    const id = m.personId ?? `new-${m.idHash}`;
    people[id] = {
      id,
      name: m.name,
      idHash: m.idHash,
      idNumberMasked: m.idNumberMasked,
      status: m.action === 'DISENROLLED' ? 'off' : 'on',
      unitId: m.unitId,
      category: m.category,
    };
  }
  return { ...s, people };
}

/** Where people on record follow their closed unit (the records move them with `peopleFollow`). */
function following(s: RegistrySnapshot, spec: ChangeSpec): RegistrySnapshot {
  const people = { ...s.people };
  for (const { fromUnitId, toUnitId } of peopleFollow(spec))
    for (const p of Object.values(people))
      if (p.status === 'on' && p.unitId === fromUnitId) people[p.id] = { ...p, unitId: toUnitId };
  return { ...s, people };
}

/** Every active unit is at the top or under an active unit, and no unit is under itself. */
function treeIsWhole(s: RegistrySnapshot): void {
  for (const u of Object.values(s.units)) {
    if (u.status !== 'active') {
      // A closed unit keeps no posts, sections or name plates (invariant 6).
      expect([u.leadershipPosts, u.sections, u.namePlates]).toEqual([[], [], []]);
      continue;
    }
    if (u.parentId !== null) expect(s.units[u.parentId]?.status).toBe('active');
    const seen = new Set<string>();
    for (let x: string | null = u.id; x !== null; x = s.units[x]?.parentId ?? null) {
      expect(seen.has(x)).toBe(false);
      seen.add(x);
    }
  }
}

const sum = (s: RegistrySnapshot, field: 'quotas' | 'occupied' | 'pending' | 'loaned', c: Category) =>
  Object.values(s.units).reduce((n, u) => n + u[field][c], 0);

describe('the change types', () => {
  it('has one definition per request type, each with its Chinese name and a decider', () => {
    expect(Object.keys(CHANGE_TYPES).sort()).toEqual([...REQUEST_TYPES].sort());
    const names = REQUEST_TYPES.map((t) => CHANGE_TYPES[t].chineseName);
    for (const name of names) expect(name).toMatch(/^[\u4e00-\u9fff/]+$/);
    expect(new Set(names).size).toBe(REQUEST_TYPES.length);
    expect(CHANGE_TYPES.ESTABLISH_UNIT.chineseName).toBe('设立机构');
    expect(CHANGE_TYPES.USE_QUOTA.chineseName).toBe('用编申请');
    expect(CHANGE_TYPES.ENROL_PERSON.chineseName).toBe('上编');
    // Only USE_QUOTA bounds the office's authority by the registry (docs/domain.md, "Who decides").
    expect(REQUEST_TYPES.filter((t) => 'withinOfficeAuthority' in CHANGE_TYPES[t])).toEqual(['USE_QUOTA']);
    expect(REQUEST_TYPES.filter((t) => CHANGE_TYPES[t].setsUpUnit)).toEqual(['ESTABLISH_UNIT']);
    expect(REQUEST_TYPES.filter(setsUpUnit)).toEqual(['ESTABLISH_UNIT']);
  });

  it('names the due date of the loans a change makes, and only for a change that lends', () => {
    const lend: ChangeSpec = {
      type: 'LEND_POOL_QUOTA',
      unitId: 'a',
      requestId: 'r1',
      payload: { loans: [{ unitId: 'a', category: 'PUBLIC_INSTITUTION', count: 2 }], dueDate: '2027-06-30' },
    };
    expect(poolLoanDueDate(lend)).toBe('2027-06-30');
    expect(evaluateChange(roomy(), lend).loansCreated.map((l) => l.dueDate)).toEqual(['2027-06-30']);
    const use: ChangeSpec = {
      type: 'USE_QUOTA',
      unitId: 'a',
      requestId: 'r2',
      payload: { unitId: 'a', category: 'ADMIN', count: 1 },
    };
    expect(poolLoanDueDate(use)).toBeUndefined();
  });

  it('moves quota, people and loans without creating or losing any, whatever the type', () => {
    const applied = new Set<RequestType>();
    const start = roomy();
    fc.assert(
      fc.property(fc.array(anyChange, { minLength: 1, maxLength: 20 }), (changes) => {
        let s = roomy();
        changes.forEach(({ type, payload, requester }, i) => {
          const spec = { type, payload, unitId: requester, requestId: `r${i}`, newUnitId: `n${i}` } as ChangeSpec;
          expect(followUpTasks(spec, s).length).toBeGreaterThan(0);
          expect(Array.isArray(higherApprovalReasons(s, spec))).toBe(true);
          const r = evaluateChange(s, spec);
          if (!r.ok) return;
          applied.add(type);
          const after = r.after;
          expect(after.totals).toEqual(start.totals); // no request alters a total
          expect(after.poolSize).toEqual(start.poolSize);
          for (const c of CATEGORIES) {
            // Quota is held by an active unit or free: a closed unit keeps none, and none appears from nowhere.
            expect(sum(after, 'quotas', c) + freeQuota(after)[c]).toBe(after.totals[c]);
            expect(freeQuota(after)[c]).toBeGreaterThanOrEqual(Math.min(0, freeQuota(s)[c]));
            if (MOVES_QUOTA_ONLY.includes(type)) expect(allocated(after)[c]).toBe(allocated(s)[c]);
            // What is lent is booked on the units it is lent to, and the pool lends only what it has.
            expect(sum(after, 'loaned', c)).toBe(poolLent(after)[c]);
            expect(poolLent(after)[c]).toBeLessThanOrEqual(after.poolSize[c]);
          }
          // 置换 exchanges one category for another within the unit: the sum over categories stays.
          const held = (x: RegistrySnapshot) => CATEGORIES.reduce((n, c) => n + allocated(x)[c], 0);
          if (type === 'CONVERT_QUOTA') expect(held(after)).toBe(held(s));
          // People move (merge, abolish, convert) but are never lost; only USE_QUOTA adds places to fill.
          const people = (x: RegistrySnapshot, f: 'occupied' | 'pending') =>
            CATEGORIES.reduce((n, c) => n + sum(x, f, c), 0);
          // Only the people types put people on or take them off; each takes a promised place first.
          const moves = r.personMoves;
          const on = moves.filter((m) => m.action === 'ENROLLED').length;
          const off = moves.filter((m) => m.action === 'DISENROLLED').length;
          expect(people(after, 'occupied')).toBe(people(s, 'occupied') + on - off);
          const added = spec.type === 'USE_QUOTA' ? spec.payload.count : 0;
          const promisedTaken = moves.filter((m) => m.tookPendingPlace).length;
          expect(people(after, 'pending')).toBe(people(s, 'pending') + added - promisedTaken);
          // A person is on at most one place, and people on record never outnumber a unit's 实有.
          const next = following(withMoves({ ...s, ...after, people: s.people }, moves), spec);
          const onRecord = Object.values(next.people!).filter((p) => p.status === 'on');
          expect(new Set(onRecord.map((p) => p.idHash)).size).toBe(onRecord.length);
          for (const p of onRecord) {
            expect(next.units[p.unitId!].status).toBe('active');
            const named = onRecord.filter((q) => q.unitId === p.unitId && q.category === p.category).length;
            expect(named).toBeLessThanOrEqual(next.units[p.unitId!].occupied[p.category!]);
          }
          // Nobody is taken on beyond approved + loaned quota (满编不进人) where the unit had room before.
          for (const m of moves.filter((x) => x.action !== 'DISENROLLED')) {
            const u = after.units[m.unitId];
            const was = s.units[m.unitId];
            if (was.occupied[m.category] + was.pending[m.category] <= was.quotas[m.category] + was.loaned[m.category])
              expect(u.occupied[m.category] + u.pending[m.category]).toBeLessThanOrEqual(
                u.quotas[m.category] + u.loaned[m.category],
              );
          }
          // Abolitions and mergers move the units under the closed ones: none is left under a closed unit.
          treeIsWhole(after);
          s = next;
        });
      }),
      { numRuns: 300, seed: 20261201 },
    );
    // Not vacuous: every type passed its rules at least once.
    expect([...applied].sort()).toEqual([...REQUEST_TYPES].sort());
  });
});
