import { UseQuotaPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';

/** 用编申请: permission to fill vacancies (编制使用通知); refused for a full unit (QUOTA_FULL). */
export const useQuota: ChangeTypeDefinition<UseQuotaPayload> = {
  chineseName: '用编申请',
  // The office decides it within the unit's actual vacancy in the tiers to come (docs/domain.md); not yet.
  decidedBy: 'COMMITTEE',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  apply: (draft, p) => {
    draft.unit(p.unitId).pending[p.category] += p.count; // permission to recruit: the places become 待入编
  },
  higherApprovalReasons: () => [],
  followUpTasks: () => ['编制使用通知 issued; 实名制 update when people come on'],
};
