import { LendPoolQuotaPayload } from '../payloads';
import { PoolLoan } from '../registry';
import { ChangeTypeDefinition } from './definition';
import { POLITICAL_LEGAL, REAL_NAME_UPDATE } from './helpers';

/** 使用周转池编制: turnover-pool quota lent to units until a date, kept apart from their approved quota. */
export const lendPoolQuota: ChangeTypeDefinition<LendPoolQuotaPayload> = {
  chineseName: '使用周转池编制',
  setsUpUnit: false,
  referencedUnitIds: (p) => p.loans.map((l) => l.unitId),
  ownUnitIds: () => [],
  takesFrom: () => [],
  apply: (draft, p) => {
    for (const l of p.loans) {
      const loan: PoolLoan = {
        requestId: draft.requestId,
        unitId: l.unitId,
        category: l.category,
        count: l.count,
        dueDate: p.dueDate,
      };
      draft.unit(l.unitId).loaned[l.category] += l.count;
      draft.after.loans.push(loan);
      draft.loansCreated.push(loan);
    }
  },
  higherApprovalReasons: (_before, p) =>
    p.loans.some((l) => l.category === POLITICAL_LEGAL) ? ['lends 政法专项编制'] : [],
  followUpTasks: () => [REAL_NAME_UPDATE],
  poolLoanDueDate: (p) => p.dueDate,
};
