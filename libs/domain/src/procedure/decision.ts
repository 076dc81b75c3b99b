import { Decider, withDefinition } from '../change-types';
import { isSelfOrUnder } from '../rules';
import { RequestType } from '../enums';
import { ChangeSpec } from '../payloads';
import { RegistrySnapshot } from '../registry';

// What follows a decision: whether it must go up (报批), the document number, the follow-up tasks; each
// type's part is in change-types/ (docs/domain.md, "Implementation").

/**
 * Why a request is beyond the county's authority and needs the higher authority's approval (上级编办),
 * or an empty list when the county decides alone; each type's triggers are in change-types/.
 */
export function higherApprovalReasons(before: RegistrySnapshot, spec: ChangeSpec): string[] {
  return withDefinition(spec, (type, payload) => type.higherApprovalReasons(before, payload));
}

/** Follow-up tasks recorded at implementation (事业单位登记, 统一社会信用代码, 实名制); per type in change-types/. */
export function followUpTasks(spec: ChangeSpec, before: RegistrySnapshot): string[] {
  return withDefinition(spec, (type, payload) => type.followUpTasks(before, payload));
}

/** The types the office may decide (编办主任办公会议) by default; an office configures its own (OFFICE_DECIDED_TYPES). */
export const DEFAULT_OFFICE_DECIDED_TYPES: readonly RequestType[] = [
  'USE_QUOTA',
  'ENROL_PERSON',
  'DISENROL_PERSON',
  'TRANSFER_PERSON',
];

/**
 * Who decides the request (docs/domain.md, "Who decides"): the office director for a type the office decides
 * when the change stays within the office's authority (USE_QUOTA within the unit's actual vacancy), else the
 * committee.
 */
export function decidedBy(
  before: RegistrySnapshot,
  spec: ChangeSpec,
  officeTypes: readonly RequestType[] = DEFAULT_OFFICE_DECIDED_TYPES,
): Decider {
  if (!officeTypes.includes(spec.type)) return 'COMMITTEE';
  const within = withDefinition(spec, (type, payload) => type.withinOfficeAuthority?.(before, payload) ?? true);
  return within ? 'OFFICE' : 'COMMITTEE';
}

/**
 * The units to be heard (征求意见) without the reviewer asking: those the change takes quota from, abolishes or
 * merges away that are neither the requesting unit nor under it (docs/domain.md, "Who decides").
 */
export function unitsToHear(before: RegistrySnapshot, spec: ChangeSpec): string[] {
  const taken = withDefinition(spec, (type, payload) => type.takesFrom(payload));
  return [...new Set(taken)].filter((id) => before.units[id] && !isSelfOrUnder(before, id, spec.unitId));
}
