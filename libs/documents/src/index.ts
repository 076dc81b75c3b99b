import { delimiter } from 'node:path';
import type { DiffEntry, RequestType, RuleViolation } from '@bianzhi/domain';
import { render } from './render';

// Official documents (公文, docs/domain.md "Official documents"): the PDFs a decision produces, laid out to
// GB/T 9704-2012 and rendered with Typst, byte for byte the same from the same facts (reproducible), so an
// auditor can regenerate one from the audit trail and compare its SHA-256.
// CONTRACT (issue 14): the types below are what the worker and the API hand over; the rendering is built here.

export const DOCUMENT_KINDS = [
  'APPROVAL_REPLY', // 批复 (the committee's; the office's reply for other office decisions)
  'REJECTION_NOTICE', // 不予批准 notice
  'QUOTA_USE_NOTICE', // 编制使用通知 (an office-decided USE_QUOTA)
  'MINUTES', // 会议纪要
  'APPROVAL_FORM', // 审批表: the request, every opinion and vote, names and dates
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Who issues a document: the county's committee (编委) or its office (编办). */
export interface Issuer {
  /** e.g. 枫渚县机构编制委员会 or 中共枫渚县委机构编制委员会办公室. */
  name: string;
  /** The red header's line, e.g. 枫渚县机构编制委员会文件. */
  header: string;
  /** 印发机关 of the 版记 (the committee's documents are printed by its office); absent: `name`. */
  printer?: string;
}

/** One step of a request's procedure, as the 审批表 lists it. */
export interface ProcedureEntry {
  action: string; // the audit trail's action (submitted, opinion_given, voted, …)
  actor: string; // display name or username
  role: string;
  at: string; // ISO
  comment: string | null;
}

/** Everything a request's document says: taken from the read model and the audit trail, nothing else. */
export interface RequestDocumentFacts {
  kind: Exclude<DocumentKind, 'MINUTES'>;
  issuer: Issuer;
  /** Who decided (the procedure's decidedBy): 经{committee}研究 or the office's 经研究; absent: told from the issuer. */
  decidedBy?: 'COMMITTEE' | 'OFFICE';
  /** The document's own number (from its series), or null for a 审批表. */
  documentNumber: string | null;
  /** When it was issued (ISO): the date printed in Chinese (二〇二六年十二月一日), in China Standard Time. */
  issuedAt: string;
  request: {
    id: string;
    type: RequestType;
    title: string;
    justification: string;
    /** 来文号 of the requesting unit's 请示, quoted in the reply's first sentence when present. */
    referenceNumber: string | null;
    unitName: string; // 主送
    payload: Record<string, unknown>;
    createdAt: string;
  };
  /** The registry change decided (before/after per unit and field). */
  diff: DiffEntry[];
  /** Unit names by id, for the diff and the payload. */
  unitNames: Record<string, string>;
  /** 抄送: unit names. */
  copyTo: string[];
  /** For a rejection notice: why (by vote, by the office, by rule at implementation, by the higher authority). */
  rejection?: { stage: string; reason: string; rules?: RuleViolation[] };
  /** The higher authority's decision, when the request went up. */
  higherDecision?: { approved: boolean; documentNumber: string; comment: string } | null;
  /** For the 审批表: every step, oldest first. */
  procedure?: ProcedureEntry[];
}

/** A committee meeting's minutes (会议纪要). */
export interface MinutesFacts {
  kind: 'MINUTES';
  issuer: Issuer;
  documentNumber: string;
  issuedAt: string;
  meeting: {
    id: string;
    title: string;
    heldAt: string;
    present: string[];
    absent: string[];
    items: {
      title: string;
      unitName: string;
      recused: string[];
      tally: { eligible: number; approve: number; reject: number; abstain: number };
      result: string; // APPROVED | REJECTED | NO_QUORUM | WITHDRAWN
    }[];
  };
}

export type DocumentFacts = RequestDocumentFacts | MinutesFacts;

export interface RenderedDocument {
  pdf: Uint8Array;
  /** The document's title as printed (关于同意…的批复). */
  title: string;
  /** SHA-256 of `pdf`, hex. */
  sha256: string;
  /**
   * SHA-256 (hex) of the fonts used (files, sizes): the same bytes come back only with the same fonts, so a
   * verifier can tell other fonts from a changed document.
   */
  fonts?: string;
}

export interface RenderOptions {
  /** Folders of fonts to use first (an office's licensed 方正小标宋, 仿宋_GB2312); then Debian's or npm's Noto CJK. */
  fontDirs?: string[];
}

/**
 * Renders a document to a PDF/A-2b laid out to GB/T 9704-2012 (docs/domain.md, "Official documents"): the same
 * facts and fonts give the same bytes. Throws when no CJK font is found.
 */
export async function renderDocument(facts: DocumentFacts, options: RenderOptions = {}): Promise<RenderedDocument> {
  if (!DOCUMENT_KINDS.includes(facts.kind)) throw new Error(`renderDocument: no such kind of document: ${facts.kind}`);
  return render(facts, options);
}

export { issuerFor, documentTitle, QUOTA_USE_VALIDITY_MONTHS } from './compose';
export type { DecidedBy } from './compose';
export { CATEGORY_WORDS, chineseDate, KIND_WORDS } from './words';
export { PDF_STANDARD } from './render';
export { requestFacts, requestPart } from './facts';
export type { RequestFactsInput, RequestSource } from './facts';

/** DOCUMENT_FONT_DIRS as folders: separated by the platform's path delimiter (':' here), empty ones left out. */
export function fontDirsFrom(value: string | undefined): string[] {
  return (value ?? '').split(delimiter).filter((d: string) => d.trim());
}
