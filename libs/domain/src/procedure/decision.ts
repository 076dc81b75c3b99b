import { withDefinition } from '../change-types';
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

/** The county's approval document number: {机关代字}编〔{year}〕{n}号. */
export function formatDocumentNumber(officeCode: string, year: number, n: number): string {
  return `${officeCode}编〔${year}〕${n}号`;
}

/** Follow-up tasks recorded at implementation (事业单位登记, 统一社会信用代码, 实名制); per type in change-types/. */
export function followUpTasks(spec: ChangeSpec, before: RegistrySnapshot): string[] {
  return withDefinition(spec, (type, payload) => type.followUpTasks(before, payload));
}
