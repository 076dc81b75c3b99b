import { MergeUnitsPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import {
  closeStructure,
  foldInto,
  holdsPoliticalLegal,
  isHighGrade,
  isPartyGovernmentMassUnit,
  nearestAncestorOutside,
} from './helpers';
import { isSelfOrUnder } from '../rules';

/**
 * 合并/整合: units folded into one; quotas, people and loans summed into the target. The merged units' posts,
 * sections and name plates go, and the units under them move to the target (or, for the target itself and a unit
 * above it, to the nearest unit above the merged one that is not merged: no unit ends up under itself).
 */
export const mergeUnits: ChangeTypeDefinition<MergeUnitsPayload> = {
  chineseName: '合并/整合',
  setsUpUnit: false,
  referencedUnitIds: (p) => [...p.sourceIds, p.targetId],
  ownUnitIds: () => [],
  takesFrom: (p) => p.sourceIds,
  apply: (draft, p) => {
    const target = draft.unit(p.targetId);
    const sources = new Set(p.sourceIds.filter((id) => id !== p.targetId));
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
    // After every source is closed, so that a merged unit under another is not moved itself.
    for (const sourceId of sources)
      closeStructure(draft, draft.unit(sourceId), (childId) =>
        isSelfOrUnder(draft.before, target.id, childId)
          ? nearestAncestorOutside(draft.before, sourceId, sources)
          : target.id,
      );
  },
  peopleFollow: (p) =>
    [...new Set(p.sourceIds)].filter((id) => id !== p.targetId).map((id) => ({ fromUnitId: id, toUnitId: p.targetId })),
  higherApprovalReasons: (before, p) => [
    ...([...p.sourceIds, p.targetId].some((id) => holdsPoliticalLegal(before, id))
      ? ['merges units holding 政法专项编制']
      : []),
    ...(p.sourceIds.some((id) => isHighGrade(before.units[id]?.grade))
      ? ['merges away a unit graded 副处 or above']
      : []),
    ...([...p.sourceIds, p.targetId].some((id) => isPartyGovernmentMassUnit(before, id))
      ? ['merges 党政群机关 (party, government or mass bodies)']
      : []),
  ],
  followUpTasks: () => ['统一社会信用代码 注销 for merged units', '实名制 update: move people'],
};
