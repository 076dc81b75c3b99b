import { ChangeGradePayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { isHighGrade, isPartyGovernmentMassUnit, registrationChangeTasks } from './helpers';

/** 规格调整: a new grade. */
export const changeGrade: ChangeTypeDefinition<ChangeGradePayload> = {
  chineseName: '规格调整',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: () => [],
  apply: (draft, p) => {
    const u = draft.unit(p.unitId);
    if (u.grade === p.grade)
      draft.violations.push({ rule: 'NO_CHANGE', unitId: u.id, message: `${u.name} is already graded ${u.grade}` });
    u.grade = p.grade;
  },
  higherApprovalReasons: (before, p) => [
    ...(isHighGrade(p.grade) || isHighGrade(before.units[p.unitId]?.grade)
      ? ['changes a grade at or to 副处 or above']
      : []),
    ...(isPartyGovernmentMassUnit(before, p.unitId) ? ['regrades a 党政群机关 (party, government or mass body)'] : []),
  ],
  followUpTasks: (before, p) => registrationChangeTasks(before, p.unitId),
};
