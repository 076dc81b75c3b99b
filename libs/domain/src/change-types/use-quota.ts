import { UseQuotaPayload } from '../payloads';
import { vacantToGive } from '../rules';
import { ChangeTypeDefinition } from './definition';

/** 用编申请: permission to fill vacancies (编制使用通知); refused for a full unit (QUOTA_FULL). */
export const useQuota: ChangeTypeDefinition<UseQuotaPayload> = {
  chineseName: '用编申请',
  setsUpUnit: false,
  // The office decides it within the unit's actual vacancy (核定 − 实有 − 待入编; loans are not the unit's own).
  officeDocumentSeries: 'QUOTA_USE', // 编制使用通知
  withinOfficeAuthority: (before, p) => {
    const u = before.units[p.unitId];
    return !!u && p.count <= vacantToGive(u, p.category);
  },
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: () => [],
  apply: (draft, p) => {
    draft.unit(p.unitId).pending[p.category] += p.count; // permission to recruit: the places become 待入编
  },
  higherApprovalReasons: () => [],
  followUpTasks: () => ['编制使用通知 issued; 实名制 update when people come on'],
};
