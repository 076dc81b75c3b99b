import { Category } from '../enums';
import { PersonOnFile } from '../payloads';
import { PersonState } from '../people/person';
import { RegistryDraft } from './definition';

// What the three people types (实名制: 上编, 下编, 调动) share: placing a person on a unit's category, and finding
// the person a line names as the records hold them now (docs/domain.md, "People on the establishment").

export const PEOPLE_FOLLOW_UP = '工资、社保 and 实名制 records of the unit updated (编制使用 ledger)';

/**
 * A person goes on `unitId`'s `category`: a place promised by an earlier USE_QUOTA (待入编) is taken first, else a
 * vacancy; the invariants then refuse a full unit (QUOTA_FULL). Returns whether a promised place was taken.
 */
export function placePerson(draft: RegistryDraft, unitId: string, category: Category): boolean {
  const u = draft.unit(unitId);
  u.occupied[category] += 1;
  if (u.pending[category] > 0) {
    u.pending[category] -= 1;
    return true;
  }
  return false;
}

/** The person's place is freed (空编). */
export function freePlace(draft: RegistryDraft, unitId: string, category: Category): void {
  draft.unit(unitId).occupied[category] -= 1;
}

/**
 * The person a line names, on, and where the request found them: PERSON_NOT_FOUND, PERSON_NOT_ON, PERSON_MOVED
 * (moved since the request was filed, so that what was decided is not what would be done) or a second line for
 * the same person (DUPLICATE_PERSON). Null with the violation recorded when the line cannot go on.
 */
export function personOn(
  draft: RegistryDraft,
  personId: string,
  filed: PersonOnFile | undefined,
  seen: Set<string>,
): PersonState | null {
  const person = draft.before.people?.[personId];
  if (!person) {
    draft.violations.push({ rule: 'PERSON_NOT_FOUND', personId, message: `no person ${personId} is on record` });
    return null;
  }
  if (seen.has(personId)) {
    draft.violations.push({
      rule: 'DUPLICATE_PERSON',
      personId,
      message: `${person.name} (${person.idNumberMasked}) is named twice`,
    });
    return null;
  }
  seen.add(personId);
  if (person.status !== 'on' || !person.unitId || !person.category) {
    draft.violations.push({
      rule: 'PERSON_NOT_ON',
      personId,
      message: `${person.name} (${person.idNumberMasked}) is not on the establishment`,
    });
    return null;
  }
  if (filed && (filed.unitId !== person.unitId || filed.category !== person.category)) {
    draft.violations.push({
      rule: 'PERSON_MOVED',
      personId,
      unitId: person.unitId,
      category: person.category,
      filedUnitId: filed.unitId,
      filedCategory: filed.category,
      message: `${person.name} (${person.idNumberMasked}) has moved since the request was filed`,
    });
    return null;
  }
  return person;
}
