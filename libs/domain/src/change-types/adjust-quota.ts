import { AdjustQuotaPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { POLITICAL_LEGAL, REAL_NAME_UPDATE } from './helpers';

/** 核增/核减编制: a category's quota raised from the county's free quota or lowered back into it. */
export const adjustQuota: ChangeTypeDefinition<AdjustQuotaPayload> = {
  chineseName: '核增/核减编制',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: (p) => (p.delta < 0 ? [p.unitId] : []),
  apply: (draft, p) => {
    draft.unit(p.unitId).quotas[p.category] += p.delta; // from, or back to, the county's free quota
  },
  higherApprovalReasons: (_before, p) => (p.category === POLITICAL_LEGAL ? ['adjusts 政法专项编制'] : []),
  followUpTasks: () => [REAL_NAME_UPDATE],
};
