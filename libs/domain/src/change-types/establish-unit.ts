import { emptyCategoryMap, toCategoryMap } from '../enums';
import { EstablishUnitPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { clone, isHighGrade, isPartyGovernmentMass, POLITICAL_LEGAL } from './helpers';

/** 设立机构: a new unit with kind, grade, parent, funding, quota and leadership posts. */
export const establishUnit: ChangeTypeDefinition<EstablishUnitPayload> = {
  chineseName: '设立机构',
  setsUpUnit: true,
  referencedUnitIds: (p) => (p.parentId ? [p.parentId] : []),
  ownUnitIds: () => [],
  takesFrom: () => [],
  apply: (draft, p) => {
    const s = draft.after;
    const id = draft.newUnitId;
    const taken = Object.values(s.units).find((u) => u.status === 'active' && u.name === p.name);
    if (taken)
      draft.violations.push({
        rule: 'UNIT_NAME_TAKEN',
        unitId: taken.id,
        message: `an active unit is already named ${p.name}`,
      });
    s.units[id] = {
      id,
      name: p.name,
      kind: p.kind,
      grade: p.grade,
      parentId: p.parentId ?? null,
      funding: p.funding ?? null,
      creditCode: null,
      status: 'active',
      mergedInto: null,
      quotas: toCategoryMap(p.quotas),
      occupied: emptyCategoryMap(),
      pending: emptyCategoryMap(),
      loaned: emptyCategoryMap(),
      leadershipPosts: clone(p.leadershipPosts),
      sections: [...(p.sections ?? [])],
      namePlates: [...(p.namePlates ?? [])],
    };
  },
  higherApprovalReasons: (_before, p) => [
    ...(isHighGrade(p.grade) ? ['sets up a unit graded 副处 or above'] : []),
    ...(p.leadershipPosts.some((x) => isHighGrade(x.grade) && x.principal + x.deputy > 0)
      ? ['sets leadership posts graded 副处 or above']
      : []),
    ...((p.quotas[POLITICAL_LEGAL] ?? 0) > 0 ? ['allocates 政法专项编制'] : []),
    ...(isPartyGovernmentMass(p.kind) ? ['sets up a 党政群机关 (party, government or mass body)'] : []),
  ],
  followUpTasks: (_before, p) => [
    ...(p.kind === 'PUBLIC_INSTITUTION' ? ['事业单位设立登记 (public-institution registration)'] : []),
    '统一社会信用代码 赋码 (assign a unified social credit code)',
  ],
};
