import { ChangeSpec, evaluateChange, PersonState, RegistrySnapshot, toCategoryMap, unitsToHear } from '../src';
import { county, unit } from './fixtures';

// The three people types (实名制, docs/domain.md "People on the establishment"): their effects on the registry and
// the records, and the rules that refuse them.

const PI = 'PUBLIC_INSTITUTION' as const;

function school(): RegistrySnapshot {
  const s = county();
  // 县第一中学: 10 places, 6 on (2 of them on record), 3 promised by a USE_QUOTA.
  s.units.sch = unit('sch', {
    name: '县第一中学',
    kind: 'PUBLIC_INSTITUTION',
    parentId: 'a',
    quotas: toCategoryMap({ PUBLIC_INSTITUTION: 10 }),
    occupied: toCategoryMap({ PUBLIC_INSTITUTION: 7 }),
    pending: toCategoryMap({ PUBLIC_INSTITUTION: 3 }),
  });
  const on = (id: string, n: number, unitId: string): PersonState => ({
    id,
    name: `人${n}`,
    idHash: `h${n}`,
    idNumberMasked: `3301**********000${n}`,
    status: 'on',
    unitId,
    category: unitId === 'sch' || unitId === 'cdc' ? PI : 'ADMIN',
  });
  s.people = { p1: on('p1', 1, 'sch'), p2: on('p2', 2, 'sch'), p3: on('p3', 3, 'cdc') };
  return s;
}

const newcomer = (n: number) => ({ name: `新${n}`, idHash: `n${n}`, idNumberMasked: `3301**********100${n}` });
const enrol = (n: number, unitId = 'sch'): ChangeSpec => ({
  type: 'ENROL_PERSON',
  unitId: 'a',
  requestId: `e${n}`,
  payload: { unitId, category: PI, person: newcomer(n), channel: 'RECRUITED' },
});

/** Applies a passed evaluation's moves to the records, as the records' writer does. */
function applied(s: RegistrySnapshot, spec: ChangeSpec): RegistrySnapshot {
  const r = evaluateChange(s, spec);
  expect(r.violations).toEqual([]);
  const people = { ...s.people };
  for (const m of r.personMoves) {
    const id = m.personId ?? `id-${m.idHash}`;
    people[id] = { ...m, id, status: m.action === 'DISENROLLED' ? 'off' : 'on' };
  }
  return { ...r.after, people };
}

describe('people on the establishment (实名制)', () => {
  it('takes the places a USE_QUOTA promised, then refuses a full unit (QUOTA_FULL)', () => {
    let s = school();
    for (const n of [1, 2, 3]) {
      const r = evaluateChange(s, enrol(n));
      expect(r.personMoves).toEqual([expect.objectContaining({ action: 'ENROLLED', tookPendingPlace: true })]);
      s = applied(s, enrol(n));
    }
    expect(s.units.sch.occupied[PI]).toBe(10);
    expect(s.units.sch.pending[PI]).toBe(0);
    const fourth = evaluateChange(s, enrol(4));
    expect(fourth.violations.map((v) => v.rule)).toEqual(['QUOTA_FULL']);
    expect(fourth.violations[0]).toMatchObject({ unitId: 'sch', category: PI, fillable: 0, requested: 1 });
  });

  it('puts a person on a vacancy when nothing was promised, and never twice (PERSON_ALREADY_ON)', () => {
    const s = school();
    s.units.sch.pending[PI] = 0;
    const r = evaluateChange(s, enrol(1));
    expect(r.ok).toBe(true);
    expect(r.personMoves[0].tookPendingPlace).toBe(false);
    expect(r.diff).toContainEqual(
      expect.objectContaining({ field: 'occupied.PUBLIC_INSTITUTION', before: 7, after: 8 }),
    );
    const again: ChangeSpec = {
      type: 'ENROL_PERSON',
      unitId: 'a',
      requestId: 'e9',
      payload: { unitId: 'sch', category: PI, person: { ...newcomer(1), idHash: 'h3' }, channel: 'RECRUITED' },
    };
    expect(evaluateChange(s, again).violations).toEqual([
      expect.objectContaining({ rule: 'PERSON_ALREADY_ON', personId: 'p3', unitId: 'cdc' }),
    ]);
  });

  it('checks a batch whole: one bad line refuses all, a person named twice is refused', () => {
    const s = school();
    const lines = [1, 2, 3, 4].map((n) => ({
      unitId: 'sch',
      category: PI,
      person: newcomer(n),
      channel: 'RECRUITED' as const,
    }));
    const batch: ChangeSpec = { type: 'ENROL_PERSON', unitId: 'a', requestId: 'b', payload: { lines } };
    const r = evaluateChange(s, batch);
    expect(r.ok).toBe(false);
    expect(r.violations.map((v) => v.rule)).toEqual(['QUOTA_FULL']);
    const twice: ChangeSpec = { ...batch, payload: { lines: [lines[0], lines[0]] } };
    expect(evaluateChange(s, twice).violations.map((v) => v.rule)).toEqual(['DUPLICATE_PERSON']);
    expect(evaluateChange(s, { ...batch, payload: { lines: lines.slice(0, 3) } }).ok).toBe(true);
  });

  it('frees a place when a person retires, and refuses one not on or moved since filing', () => {
    let s = school();
    s.units.sch.pending[PI] = 0;
    s.units.sch.occupied[PI] = 10;
    expect(evaluateChange(s, enrol(1)).violations.map((v) => v.rule)).toEqual(['QUOTA_FULL']);
    const retire: ChangeSpec = {
      type: 'DISENROL_PERSON',
      unitId: 'sch',
      requestId: 'd1',
      payload: {
        personId: 'p1',
        reason: 'RETIRED',
        date: '2026-11-30',
        person: { name: '人1', idNumberMasked: '3301**********0001', unitId: 'sch', category: PI },
      },
    };
    s = applied(s, retire);
    expect(s.units.sch.occupied[PI]).toBe(9);
    expect(s.people!.p1.status).toBe('off');
    expect(evaluateChange(s, enrol(1)).ok).toBe(true);
    expect(evaluateChange(s, retire).violations.map((v) => v.rule)).toEqual(['PERSON_NOT_ON']);
    const moved = {
      ...retire,
      payload: { ...retire.payload, personId: 'p2', person: { ...retire.payload.person!, unitId: 'cdc' } },
    } as ChangeSpec;
    expect(evaluateChange(s, moved).violations.map((v) => v.rule)).toEqual(['NOT_YOUR_UNIT_CHANGE', 'PERSON_MOVED']);
    const nobody = { ...retire, payload: { ...retire.payload, personId: 'p9' } } as ChangeSpec;
    expect(evaluateChange(s, nobody).violations.map((v) => v.rule)).toEqual(['PERSON_NOT_FOUND']);
    const badDate = { ...retire, payload: { ...retire.payload, personId: 'p2', date: '2026-02-30' } } as ChangeSpec;
    expect(evaluateChange(s, badDate).violations.map((v) => v.rule)).toEqual(['INVALID_DATE']);
  });

  it('moves a person and both counts, needs a place at the receiving unit, and hears it', () => {
    const s = school();
    s.units.cdc.occupied[PI] = 29; // one vacancy at the CDC
    const transfer = (personId: string): ChangeSpec => ({
      type: 'TRANSFER_PERSON',
      unitId: 'sch',
      requestId: 't1',
      payload: {
        personId,
        toUnitId: 'cdc',
        category: PI,
        person: { name: '人', idNumberMasked: '', unitId: 'sch', category: PI },
      },
    });
    const r = evaluateChange(s, transfer('p1'));
    expect(r.violations).toEqual([]);
    expect(r.after.units.sch.occupied[PI]).toBe(6);
    expect(r.after.units.cdc.occupied[PI]).toBe(30);
    expect(r.personMoves).toEqual([
      expect.objectContaining({ action: 'TRANSFERRED', personId: 'p1', unitId: 'cdc', fromUnitId: 'sch' }),
    ]);
    // The receiving unit, in another department, is heard before the office decides.
    expect(unitsToHear(s, transfer('p1'))).toEqual(['cdc']);
    const full = applied(s, transfer('p1'));
    expect(evaluateChange(full, transfer('p2')).violations.map((v) => v.rule)).toEqual(['QUOTA_FULL']);
    // Only the unit the person leaves (or its department) files it.
    expect(evaluateChange(s, { ...transfer('p1'), unitId: 'b' }).violations.map((v) => v.rule)).toEqual([
      'NOT_YOUR_UNIT_CHANGE',
    ]);
  });
});
