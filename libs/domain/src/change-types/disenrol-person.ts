import { DisenrolPersonPayload } from '../payloads';
import { disenrolLines } from '../people/person';
import { isCalendarDate } from '../rules';
import { ChangeTypeDefinition } from './definition';
import { freePlace, PEOPLE_FOLLOW_UP, personOn } from './people';

/** 下编: people come off (退休、辞职、辞退、死亡、调出); each place becomes vacant. */
export const disenrolPerson: ChangeTypeDefinition<DisenrolPersonPayload> = {
  chineseName: '下编',
  setsUpUnit: false,
  referencedUnitIds: () => [], // a person's unit may have closed since; their place is freed wherever it is
  ownUnitIds: (p) => disenrolLines(p).flatMap((l) => (l.person ? [l.person.unitId] : [])),
  takesFrom: () => [],
  peopleInPayload: 'PEOPLE_ON_RECORD',
  peopleNamed: (p) => ({ ids: disenrolLines(p).map((l) => l.personId), idHashes: [] }),
  apply: (draft, p) => {
    const seen = new Set<string>();
    disenrolLines(p).forEach((line, index) => {
      if (!isCalendarDate(line.date ?? '')) {
        draft.violations.push({
          rule: 'INVALID_DATE',
          line: index,
          date: line.date,
          message: `${line.date} is not a calendar date`,
        });
        return;
      }
      const person = personOn(draft, line.personId, line.person, seen);
      if (!person) return;
      freePlace(draft, person.unitId!, person.category!);
      draft.personMoves.push({
        action: 'DISENROLLED',
        personId: person.id,
        name: person.name,
        idHash: person.idHash,
        idNumberMasked: person.idNumberMasked,
        unitId: person.unitId!,
        category: person.category!,
        reason: line.reason,
        date: line.date,
      });
    });
  },
  higherApprovalReasons: () => [],
  followUpTasks: () => [PEOPLE_FOLLOW_UP],
};
