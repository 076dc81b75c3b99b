import type { RequestType } from '../enums';

// The series an office decision's document is numbered from, where the type has its own (docs/domain.md,
// "Document numbers"): a USE_QUOTA decided by the office gives a 编制使用通知 of the 编用 series; any other
// office decision a reply or notice of the 编办 series.

export const OFFICE_SERIES_BY_TYPE: Partial<Record<RequestType, 'QUOTA_USE'>> = {
  USE_QUOTA: 'QUOTA_USE',
};
