import { Category } from './enums';

/** The rule codes of DOMAIN.md and API.md. */
export type RuleCode =
  | 'QUOTA_FULL'
  | 'QUOTA_INSUFFICIENT'
  | 'TOTAL_EXCEEDED'
  | 'POOL_INSUFFICIENT'
  | 'LEADERSHIP_EXCEEDS_ADMIN_QUOTA'
  | 'LEADERSHIP_EXCEEDS_QUOTA'
  | 'UNIT_NOT_ACTIVE'
  | 'UNIT_NOT_FOUND'
  | 'NOT_YOUR_UNIT_CHANGE'
  | 'PEOPLE_NOT_PLACED'
  | 'UNIT_NAME_TAKEN'
  | 'NAME_PLATE_EXISTS'
  | 'SECTION_EXISTS'
  | 'SECTION_NOT_FOUND'
  | 'NO_CHANGE'
  | 'SAME_UNIT'
  | 'INVALID_DUE_DATE';

/** One broken rule, with the numbers involved, as API.md's 422 `details` lists it. */
export interface RuleViolation {
  rule: RuleCode;
  message: string;
  unitId?: string;
  category?: Category;
  [number: string]: unknown;
}
