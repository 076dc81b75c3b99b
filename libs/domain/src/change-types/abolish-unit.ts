import { CATEGORIES } from '../enums';
import { AbolishUnitPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import {
  closeStructure,
  foldInto,
  holdsPoliticalLegal,
  isHighGrade,
  isPartyGovernmentMassUnit,
  isPublicInstitution,
} from './helpers';

/**
 * 撤销机构: the unit closes; its quota goes to the county or a named unit, its people to a named unit; its posts,
 * sections and name plates go, and the units under it move to its parent.
 */
export const abolishUnit: ChangeTypeDefinition<AbolishUnitPayload> = {
  chineseName: '撤销机构',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId, p.quotaTo, p.peopleTo].filter((x): x is string => !!x),
  ownUnitIds: () => [],
  takesFrom: (p) => [p.unitId],
  apply: (draft, p) => {
    const u = draft.unit(p.unitId);
    if (p.quotaTo === p.unitId || p.peopleTo === p.unitId)
      draft.violations.push({
        rule: 'SAME_UNIT',
        unitId: p.unitId,
        message: 'an abolished unit cannot receive its own quota or people',
      });
    const people = CATEGORIES.reduce((n, c) => n + u.occupied[c] + u.pending[c], 0);
    if (people > 0 && !p.peopleTo)
      draft.violations.push({
        rule: 'PEOPLE_NOT_PLACED',
        unitId: u.id,
        people,
        message: `${u.name} has ${people} people; name the unit they move to (peopleTo)`,
      });
    foldInto(
      draft.after,
      u,
      p.quotaTo ? draft.unit(p.quotaTo) : null,
      p.peopleTo ? draft.unit(p.peopleTo) : null,
      draft.loansEnded,
    );
    u.status = 'abolished';
    const parentId = draft.before.units[p.unitId].parentId;
    closeStructure(draft, u, () => parentId);
  },
  peopleFollow: (p) => (p.peopleTo ? [{ fromUnitId: p.unitId, toUnitId: p.peopleTo }] : []),
  higherApprovalReasons: (before, p) => [
    ...(holdsPoliticalLegal(before, p.unitId) ? ['abolishes a unit holding 政法专项编制'] : []),
    ...(isHighGrade(before.units[p.unitId]?.grade) ? ['abolishes a unit graded 副处 or above'] : []),
    ...(isPartyGovernmentMassUnit(before, p.unitId) ? ['abolishes a 党政群机关 (party, government or mass body)'] : []),
  ],
  followUpTasks: (before, p) => [
    ...(isPublicInstitution(before, p.unitId) ? ['事业单位注销登记 (deregistration)'] : []),
    '统一社会信用代码 注销 (cancel the credit code)',
    '实名制 update: move people',
  ],
};
