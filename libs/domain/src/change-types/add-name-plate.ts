import { AddNamePlatePayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { registrationChangeTasks } from './helpers';

/** 加挂牌子: an extra name on a unit (县文旅广电局加挂县文物局牌子). */
export const addNamePlate: ChangeTypeDefinition<AddNamePlatePayload> = {
  chineseName: '加挂牌子',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: () => [],
  apply: (draft, p) => {
    const u = draft.unit(p.unitId);
    if (u.namePlates.includes(p.namePlate) || u.name === p.namePlate)
      draft.violations.push({
        rule: 'NAME_PLATE_EXISTS',
        unitId: u.id,
        message: `${u.name} already carries ${p.namePlate}`,
      });
    else u.namePlates.push(p.namePlate);
  },
  higherApprovalReasons: () => [],
  followUpTasks: (before, p) => registrationChangeTasks(before, p.unitId),
};
