import { MergeUnitsPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { foldInto, holdsPoliticalLegal, isHighGrade } from './helpers';

/** 合并/整合: units folded into one; quotas, people and loans summed into the target. */
export const mergeUnits: ChangeTypeDefinition<MergeUnitsPayload> = {
  chineseName: '合并/整合',
  decidedBy: 'COMMITTEE',
  setsUpUnit: false,
  referencedUnitIds: (p) => [...p.sourceIds, p.targetId],
  apply: (draft, p) => {
    const target = draft.unit(p.targetId);
    for (const sourceId of new Set(p.sourceIds)) {
      if (sourceId === p.targetId) {
        draft.violations.push({ rule: 'SAME_UNIT', unitId: sourceId, message: 'a unit cannot be merged into itself' });
        continue;
      }
      const source = draft.unit(sourceId);
      foldInto(draft.after, source, target, target, draft.loansEnded);
      source.status = 'merged';
      source.mergedInto = target.id;
    }
  },
  higherApprovalReasons: (before, p) => [
    ...([...p.sourceIds, p.targetId].some((id) => holdsPoliticalLegal(before, id))
      ? ['merges units holding 政法专项编制']
      : []),
    ...(p.sourceIds.some((id) => isHighGrade(before.units[id]?.grade))
      ? ['merges away a unit graded 副处 or above']
      : []),
  ],
  followUpTasks: () => ['统一社会信用代码 注销 for merged units', '实名制 update: move people'],
};
