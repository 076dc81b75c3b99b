import { isDeputyCountyOrAbove } from '../enums';
import { AdjustLeadershipPayload } from '../payloads';
import { LeadershipPosts } from '../registry';
import { ChangeTypeDefinition } from './definition';
import { clone, REAL_NAME_UPDATE } from './helpers';

/** The posts graded 副处 or above, in a canonical form to compare. */
function deputyCountyPosts(posts: LeadershipPosts[]): string {
  return JSON.stringify(
    posts
      .filter((p) => isDeputyCountyOrAbove(p.grade))
      .map((p) => [p.grade, p.principal, p.deputy])
      .sort(),
  );
}

/** 领导职数调整: a unit's leadership posts replaced by the payload's. */
export const adjustLeadership: ChangeTypeDefinition<AdjustLeadershipPayload> = {
  chineseName: '领导职数调整',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: () => [],
  apply: (draft, p) => {
    draft.unit(p.unitId).leadershipPosts = clone(p.posts);
  },
  higherApprovalReasons: (before, p) =>
    deputyCountyPosts(before.units[p.unitId]?.leadershipPosts ?? []) !== deputyCountyPosts(p.posts)
      ? ['changes leadership posts graded 副处 or above']
      : [],
  followUpTasks: () => [REAL_NAME_UPDATE],
};
