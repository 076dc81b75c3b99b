import { AdjustSectionsPayload } from '../payloads';
import { ChangeTypeDefinition } from './definition';
import { isPartyGovernmentMassUnit, REAL_NAME_UPDATE } from './helpers';

/** 内设机构调整: internal sections removed, then added (e.g. 11 → 9). */
export const adjustSections: ChangeTypeDefinition<AdjustSectionsPayload> = {
  chineseName: '内设机构调整',
  setsUpUnit: false,
  referencedUnitIds: (p) => [p.unitId],
  ownUnitIds: (p) => [p.unitId],
  takesFrom: () => [],
  apply: (draft, p) => {
    const u = draft.unit(p.unitId);
    for (const name of p.remove) {
      if (!u.sections.includes(name))
        draft.violations.push({
          rule: 'SECTION_NOT_FOUND',
          unitId: u.id,
          section: name,
          message: `${u.name} has no section ${name}`,
        });
      u.sections = u.sections.filter((x) => x !== name);
    }
    for (const name of p.add) {
      if (u.sections.includes(name))
        draft.violations.push({
          rule: 'SECTION_EXISTS',
          unitId: u.id,
          section: name,
          message: `${u.name} already has section ${name}`,
        });
      else u.sections.push(name);
    }
  },
  higherApprovalReasons: (before, p) =>
    isPartyGovernmentMassUnit(before, p.unitId)
      ? ['changes the internal sections of a 党政群机关 (party, government or mass body)']
      : [],
  followUpTasks: () => [REAL_NAME_UPDATE],
};
