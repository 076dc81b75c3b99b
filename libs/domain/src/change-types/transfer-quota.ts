import { TransferQuotaPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { POLITICAL_LEGAL, REAL_NAME_UPDATE } from './helpers';

/** 编制调剂/划转: quota moved between units, any number of lines; it moves and is never created. */
export const transferQuota: ChangeTypeDefinition<TransferQuotaPayload> = {
  chineseName: '编制调剂/划转',
  setsUpUnit: false,
  referencedUnitIds: (p) => p.lines.flatMap((l) => [l.fromUnitId, l.toUnitId]),
  ownUnitIds: () => [],
  takesFrom: (p) => p.lines.map((l) => l.fromUnitId),
  apply: (draft, p) => {
    for (const line of p.lines) {
      if (line.fromUnitId === line.toUnitId)
        draft.violations.push({
          rule: 'SAME_UNIT',
          unitId: line.fromUnitId,
          message: 'a transfer line must move quota between two different units',
        });
      draft.unit(line.fromUnitId).quotas[line.category] -= line.count;
      draft.unit(line.toUnitId).quotas[line.category] += line.count;
    }
  },
  higherApprovalReasons: (_before, p) =>
    p.lines.some((l) => l.category === POLITICAL_LEGAL) ? ['transfers 政法专项编制'] : [],
  followUpTasks: () => [REAL_NAME_UPDATE],
};
