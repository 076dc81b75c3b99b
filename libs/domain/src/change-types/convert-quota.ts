import { ConvertQuotaPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { POLITICAL_LEGAL, REAL_NAME_UPDATE } from './helpers';

/** 编制置换: quota of one category exchanged for another within a unit (e.g. 行政 → 事业). */
export const convertQuota: ChangeTypeDefinition<ConvertQuotaPayload> = {
  chineseName: '编制置换',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: (p) => [p.unitId],
  apply: (draft, p) => {
    const u = draft.unit(p.unitId);
    if (p.fromCategory === p.toCategory)
      draft.violations.push({ rule: 'NO_CHANGE', unitId: u.id, message: 'fromCategory and toCategory are the same' });
    u.quotas[p.fromCategory] -= p.count;
    u.quotas[p.toCategory] += p.count;
    // 置换 converts quota in use too (seed 002: the mass organisations' administrative quota they used): the
    // people on the converted places are registered under the new category with it (实名制 follow-up).
    for (const m of ['occupied', 'pending'] as const) {
      const room = Math.max(0, u.quotas[p.fromCategory] - (m === 'pending' ? u.occupied[p.fromCategory] : 0));
      const moved = Math.min(Math.max(0, u[m][p.fromCategory] - room), p.count);
      u[m][p.fromCategory] -= moved;
      u[m][p.toCategory] += moved;
    }
  },
  higherApprovalReasons: (_before, p) =>
    p.fromCategory === POLITICAL_LEGAL || p.toCategory === POLITICAL_LEGAL ? ['converts 政法专项编制'] : [],
  followUpTasks: () => [REAL_NAME_UPDATE],
};
