import { CHANGE_TYPES, Decider } from '../change-types';
import type { RequestType } from '../enums';

// Document numbers (文号): each kind of document has its own gap-free series per year (docs/domain.md,
// "Document numbers"), `{机关代字}{mark}〔{year}〕{n}号` with the 六角括号 GB/T 9704 requires.

export const DOCUMENT_SERIES = ['COMMITTEE', 'OFFICE', 'QUOTA_USE', 'MINUTES'] as const;
export type DocumentSeries = (typeof DOCUMENT_SERIES)[number];

/** The series' mark between the office's code and the year. */
export const DOCUMENT_SERIES_MARK: Record<DocumentSeries, string> = {
  COMMITTEE: '编', // the committee's replies (编委会批复)
  OFFICE: '编办', // the office's replies and notices
  QUOTA_USE: '编用', // quota-use notices (编制使用通知)
  MINUTES: '编委纪', // committee meetings' minutes (会议纪要)
};

/** The series a decision's document is numbered from: who decided, and for the office what it decided. */
export function documentSeriesOf(type: RequestType, decidedBy: Decider | undefined): DocumentSeries {
  if (decidedBy !== 'OFFICE') return 'COMMITTEE';
  return CHANGE_TYPES[type].officeDocumentSeries ?? 'OFFICE';
}

/** A document number: {机关代字}编〔{year}〕{n}号 for the committee's series, 编办, 编用 or 编委纪 for the others. */
export function formatDocumentNumber(
  officeCode: string,
  year: number,
  n: number,
  series: DocumentSeries = 'COMMITTEE',
): string {
  return `${officeCode}${DOCUMENT_SERIES_MARK[series]}〔${year}〕${n}号`;
}

/** Today's date (YYYY-MM-DD) in the office's time zone, `utcOffsetHours` east of UTC (China Standard Time: 8). */
export function officeDate(nowMs: number, utcOffsetHours: number): string {
  return new Date(nowMs + utcOffsetHours * 3600_000).toISOString().slice(0, 10);
}

/** The year a document issued at `nowMs` is numbered in: the office's, not UTC's (清编〔2027〕1号 on New Year's night). */
export function officeYear(nowMs: number, utcOffsetHours: number): number {
  return Number(officeDate(nowMs, utcOffsetHours).slice(0, 4));
}

/** The documents a request's decision produces (公文); a meeting's minutes and the 审批表 are not a request's own. */
export type RequestDocumentKind = 'APPROVAL_REPLY' | 'REJECTION_NOTICE' | 'QUOTA_USE_NOTICE';

/**
 * The document a request's outcome calls for (docs/domain.md, "Official documents"): a 批复 when implemented (a
 * 编制使用通知 for an office-decided use of quota), a 不予批准 notice when refused at any stage; none otherwise.
 */
export function documentKindOf(
  type: RequestType,
  state: { status: string; decidedBy?: Decider },
): RequestDocumentKind | null {
  if (state.status === 'implemented')
    return documentSeriesOf(type, state.decidedBy) === 'QUOTA_USE' ? 'QUOTA_USE_NOTICE' : 'APPROVAL_REPLY';
  if (state.status === 'rejected') return 'REJECTION_NOTICE';
  return null;
}

/**
 * Who refused, and so whose series numbers the notice and who issues it: the office when it refused at review or
 * decided the request itself, else the committee (its vote, or the higher authority or the rules after its vote).
 */
export function refusedBy(state: { decidedBy?: Decider; rejection?: { stage: string } }): Decider {
  if (state.rejection?.stage === 'demonstration' || state.decidedBy === 'OFFICE') return 'OFFICE';
  return 'COMMITTEE';
}
