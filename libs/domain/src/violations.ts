import { Category } from './enums';

/** The rule codes (docs/domain.md, "Rules and rule codes"). */
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
  | 'INVALID_DUE_DATE'
  | 'CATEGORY_NOT_FOR_KIND'
  | 'BODY_LIMIT_EXCEEDED'
  | 'POST_GRADE_ABOVE_UNIT'
  | 'TOTAL_BELOW_ALLOCATED'
  | 'PERSON_ALREADY_ON'
  | 'PERSON_NOT_FOUND'
  | 'PERSON_NOT_ON'
  | 'PERSON_MOVED'
  | 'DUPLICATE_PERSON'
  | 'INVALID_ID_NUMBER'
  | 'INVALID_DATE';

/** One broken rule, with the numbers involved, as the 422's `details` list it (docs/api.md, "Errors"). */
export interface RuleViolation {
  rule: RuleCode;
  message: string;
  unitId?: string;
  category?: Category;
  [number: string]: unknown;
}
