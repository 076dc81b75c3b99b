import { EnrolPersonPayload } from '../payloads';
import { enrolLines, personByHash } from '../people/person';
import { ChangeTypeDefinition } from './definition';
import { PEOPLE_FOLLOW_UP, placePerson } from './people';

/**
 * 上编/落编: people go on a unit's category, each taking a place an earlier USE_QUOTA promised (待入编), else a
 * vacancy (QUOTA_FULL when none); a person is on at most one place (PERSON_ALREADY_ON). A batch is checked whole.
 */
export const enrolPerson: ChangeTypeDefinition<EnrolPersonPayload> = {
  chineseName: '上编',
  setsUpUnit: false,
  referencedUnitIds: (p) => enrolLines(p).map((l) => l.unitId),
  ownUnitIds: (p) => enrolLines(p).map((l) => l.unitId),
  takesFrom: () => [],
  peopleInPayload: 'NEW_PEOPLE',
  peopleNamed: (p) => ({
    ids: [],
    idHashes: enrolLines(p)
      .map((l) => l.person?.idHash)
      .filter((h): h is string => !!h),
  }),
  apply: (draft, p) => {
    const seen = new Set<string>();
    enrolLines(p).forEach((line, index) => {
      const { idHash, idNumberMasked = '', name } = line.person ?? { name: '' };
      if (!idHash) {
        // The API seals every ID number before a request is kept; a payload without the hash was never sealed.
        draft.violations.push({
          rule: 'INVALID_ID_NUMBER',
          line: index,
          message: `line ${index + 1} has no sealed ID number`,
        });
        return;
      }
      if (seen.has(idHash)) {
        draft.violations.push({
          rule: 'DUPLICATE_PERSON',
          line: index,
          idNumberMasked,
          message: `${name} (${idNumberMasked}) is named twice`,
        });
        return;
      }
      seen.add(idHash);
      const known = personByHash(draft.before.people, idHash);
      if (known?.status === 'on') {
        draft.violations.push({
          rule: 'PERSON_ALREADY_ON',
          line: index,
          personId: known.id,
          unitId: known.unitId ?? undefined,
          idNumberMasked,
          message: `${name} (${idNumberMasked}) is already on the establishment of ${
            (known.unitId && draft.before.units[known.unitId]?.name) || 'another unit'
          }`,
        });
        return;
      }
      const tookPendingPlace = placePerson(draft, line.unitId, line.category);
      draft.personMoves.push({
        action: 'ENROLLED',
        personId: known?.id ?? null,
        name,
        idHash,
        idNumberMasked,
        unitId: line.unitId,
        category: line.category,
        channel: line.channel,
        tookPendingPlace,
      });
    });
  },
  higherApprovalReasons: () => [],
  followUpTasks: () => [PEOPLE_FOLLOW_UP],
};
