import { RenameUnitPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { isPartyGovernmentMassUnit, registrationChangeTasks } from './helpers';

/** 更名/重组: a new name (扶贫开发局 → 乡村振兴局). */
export const renameUnit: ChangeTypeDefinition<RenameUnitPayload> = {
  chineseName: '更名/重组',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: () => [],
  apply: (draft, p) => {
    const u = draft.unit(p.unitId);
    const taken = Object.values(draft.after.units).find(
      (x) => x.status === 'active' && x.id !== u.id && x.name === p.newName,
    );
    if (taken)
      draft.violations.push({
        rule: 'UNIT_NAME_TAKEN',
        unitId: taken.id,
        message: `an active unit is already named ${p.newName}`,
      });
    if (u.name === p.newName)
      draft.violations.push({ rule: 'NO_CHANGE', unitId: u.id, message: 'the new name is the current name' });
    u.name = p.newName;
  },
  higherApprovalReasons: (before, p) =>
    isPartyGovernmentMassUnit(before, p.unitId) ? ['renames a 党政群机关 (party, government or mass body)'] : [],
  followUpTasks: (before, p) => registrationChangeTasks(before, p.unitId),
};
