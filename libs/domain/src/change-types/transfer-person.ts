import { TransferPersonPayload } from '../payloads';
import { transferLines } from '../people/person';
import { ChangeTypeDefinition } from './definition';
import { freePlace, PEOPLE_FOLLOW_UP, personOn, placePerson } from './people';

/**
 * 调动: people move to another unit's category, each needing a place there (a promised 待入编 place first, else a
 * vacancy: QUOTA_FULL). Filed by the unit the person leaves; the receiving unit, which gives the place, is heard.
 */
export const transferPerson: ChangeTypeDefinition<TransferPersonPayload> = {
  chineseName: '调动',
  setsUpUnit: false,
  referencedUnitIds: (p) => transferLines(p).map((l) => l.toUnitId),
  ownUnitIds: (p) => transferLines(p).flatMap((l) => (l.person ? [l.person.unitId] : [])),
  // Not quota taken, but a place given: the receiving unit is heard like a unit that gives (docs/domain.md).
  takesFrom: (p) => transferLines(p).map((l) => l.toUnitId),
  peopleInPayload: 'PEOPLE_ON_RECORD',
  peopleNamed: (p) => ({ ids: transferLines(p).map((l) => l.personId), idHashes: [] }),
  apply: (draft, p) => {
    const seen = new Set<string>();
    transferLines(p).forEach((line, index) => {
      const person = personOn(draft, line.personId, line.person, seen);
      if (!person) return;
      if (person.unitId === line.toUnitId && person.category === line.category) {
        draft.violations.push({
          rule: 'NO_CHANGE',
          line: index,
          personId: person.id,
          message: `${person.name} (${person.idNumberMasked}) is already on that place`,
        });
        return;
      }
      freePlace(draft, person.unitId!, person.category!);
      const tookPendingPlace = placePerson(draft, line.toUnitId, line.category);
      draft.personMoves.push({
        action: 'TRANSFERRED',
        personId: person.id,
        name: person.name,
        idHash: person.idHash,
        idNumberMasked: person.idNumberMasked,
        unitId: line.toUnitId,
        category: line.category,
        fromUnitId: person.unitId!,
        fromCategory: person.category!,
        tookPendingPlace,
      });
    });
  },
  higherApprovalReasons: () => [],
  followUpTasks: () => [PEOPLE_FOLLOW_UP],
};
