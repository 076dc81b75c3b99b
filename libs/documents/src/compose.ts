import type { DocumentFacts, DocumentKind, Issuer, MinutesFacts, RequestDocumentFacts } from './index';
import { changeWords, ChangeWords } from './change-words';
import {
  ACTION_WORDS,
  arabicDate,
  arabicDateTime,
  chinaDate,
  chineseDate,
  joinNames,
  ordinal,
  RESULT_WORDS,
  ROLE_WORDS,
  ruleSentence,
  TYPE_WORDS,
} from './words';

// A document's words, composed from its facts into the plain model the Typst template lays out
// (docs/domain.md, "Official documents"). Every string here is data to the template, never markup.

/** A paragraph of the body: ordinary text (仿宋, first line indented two characters) or a heading (黑体). */
export interface Paragraph {
  style: 'text' | 'heading';
  text: string;
}

/** What the template lays out. */
export interface DocumentModel {
  metaTitle: string;
  author: string;
  date: [number, number, number];
  /** 版头: the red 发文机关标志 (null for a 审批表). */
  header: string | null;
  number: string | null;
  title: string;
  /** 主送机关, without the colon. */
  addressee: string | null;
  body: Paragraph[];
  /** 出席/请假 lines of minutes. */
  attendance: { label: string; names: string }[];
  /** 发文机关署名 and 成文日期 (Chinese numerals). */
  signature: { name: string; date: string } | null;
  /** 版记. */
  copyTo: string | null;
  printer: string | null;
  printDate: string | null;
  /** A 审批表's table. */
  form: { rows: [string, string][]; steps: string[][] } | null;
}

/** Who decided: the committee (编委) or the office (编办), as the procedure's `decidedBy`. */
export type DecidedBy = 'COMMITTEE' | 'OFFICE';

/**
 * The issuer of a document (docs/domain.md, "Official documents"): the committee (编委) issues its replies and
 * notices and the minutes of its meetings; the office (编办) issues quota-use notices, its own decisions' replies
 * and notices and the 审批表. The committee's documents are printed by its office (印发机关).
 */
export function issuerFor(kind: DocumentKind, countyName: string, decidedBy: DecidedBy = 'COMMITTEE'): Issuer {
  const committee = `${countyName}机构编制委员会`;
  const office = `中共${countyName}委机构编制委员会办公室`;
  if (kind === 'MINUTES') return { name: committee, header: `${committee}会议纪要`, printer: office };
  const byOffice = kind === 'QUOTA_USE_NOTICE' || kind === 'APPROVAL_FORM' || decidedBy === 'OFFICE';
  if (byOffice) return { name: office, header: `${office}文件`, printer: office };
  return { name: committee, header: `${committee}文件`, printer: office };
}

/** The request's own subject: 关于将甲…划转乙的请示 → 将甲…划转乙 (null when its title is not of that form). */
function subjectOf(title: string): string | null {
  const m = /^关于(.+)的(请示|报告|申请|函)$/su.exec(title.trim());
  if (!m) return null;
  return m[1].replace(/^(申请|请求|拟)/u, '');
}

function wordsOf(facts: RequestDocumentFacts): ChangeWords {
  return changeWords({
    type: facts.request.type,
    unitName: facts.request.unitName,
    payload: facts.request.payload ?? {},
    diff: facts.diff ?? [],
    unitNames: facts.unitNames ?? {},
  });
}

/** A document's title as printed: 关于同意…的批复, 关于不予批准…的通知, …; a meeting's minutes: its title. */
export function documentTitle(facts: DocumentFacts): string {
  if (facts.kind === 'MINUTES') return `${facts.meeting.title}纪要`.replace(/纪要纪要$/u, '纪要');
  const subject = subjectOf(facts.request.title) ?? wordsOf(facts).phrase;
  switch (facts.kind) {
    case 'APPROVAL_REPLY':
      return `关于同意${subject}的批复`;
    case 'REJECTION_NOTICE':
      return `关于不予批准${subject}的通知`;
    case 'QUOTA_USE_NOTICE':
      return `关于同意${wordsOf(facts).phrase}的通知`;
    case 'APPROVAL_FORM':
      return '机构编制事项审批表';
  }
}

/** Control characters (a pasted form feed, a NUL) as spaces: Typst would print them as boxes or breaks. */
function withoutControls(text: string): string {
  return Array.from(text, (ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch)).join('');
}

/** User text as paragraphs: one per line of it, control characters out, long unbreakable runs made breakable. */
export function userText(text: string | null | undefined): string[] {
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => breakable(withoutControls(line).trim()))
    .filter((line) => line.length > 0);
}

/**
 * Typst breaks Chinese anywhere but a Latin word only at a space or hyphen: a zero-width space every 20
 * characters of a long run lets a pasted URL or a row of letters wrap inside the text block instead of running off it.
 */
export function breakable(text: string): string {
  return text.replace(/[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]{24,}/gu, (run) =>
    run.replace(/(.{20})/gsu, '$1\u200b'),
  );
}

const one = (text: string) => breakable(withoutControls(text).trim());

function receivedSentence(facts: RequestDocumentFacts): string {
  const ref = facts.request.referenceNumber?.trim();
  return `你单位《${one(facts.request.title)}》${ref ? `（${one(ref)}）` : ''}收悉。`;
}

/** 经…研究 and, when the request went up, the higher authority's approval. */
function decidedSentence(facts: RequestDocumentFacts, decidedBy: DecidedBy): string {
  const by = decidedBy === 'OFFICE' ? '经研究' : `经${facts.issuer.name}研究`;
  const higher = facts.higherDecision?.approved
    ? `，并报经上级机构编制部门批准（${one(facts.higherDecision.documentNumber)}）`
    : '';
  return `${by}${higher}`;
}

function decidedByOf(facts: RequestDocumentFacts): DecidedBy {
  if (facts.decidedBy) return facts.decidedBy;
  return facts.issuer.name.endsWith('办公室') ? 'OFFICE' : 'COMMITTEE';
}

function approvedParagraphs(words: ChangeWords, lead: string): Paragraph[] {
  if (words.approved.length === 1) return [{ style: 'text', text: `${lead}，同意${words.approved[0]}。` }];
  return [
    { style: 'text', text: `${lead}，同意：` },
    ...words.approved.map((a, i) => ({ style: 'text' as const, text: `${ordinal(i + 1)}、${a}。` })),
  ];
}

function rejectionParagraphs(facts: RequestDocumentFacts): Paragraph[] {
  const r = facts.rejection;
  const named = new Map((facts.diff ?? []).map((d) => [d.unitId, d.unitName]));
  const unit = (id?: string) =>
    id ? ((facts.unitNames ?? {})[id] ?? named.get(id) ?? '有关单位') : facts.request.unitName;
  const out: Paragraph[] = [];
  const reason = r?.reason?.trim() ? `理由：${one(r.reason)}${/[。！？]$/u.test(r.reason.trim()) ? '' : '。'}` : '';
  const higher = facts.higherDecision && !facts.higherDecision.approved ? facts.higherDecision : null;
  switch (r?.stage ?? (higher ? 'awaiting_higher_approval' : '')) {
    case 'committee':
      out.push({ style: 'text', text: `经${facts.issuer.name}审议表决，该事项未获通过。${reason}` });
      break;
    case 'office_decision':
      out.push({ style: 'text', text: `经研究，不同意该事项。${reason}` });
      break;
    case 'demonstration':
      out.push({ style: 'text', text: `经审核，该事项不符合办理条件，不予提请审议。${reason}` });
      break;
    case 'awaiting_higher_approval': {
      const number = higher?.documentNumber ? `（${one(higher.documentNumber)}）` : '';
      const comment = higher?.comment?.trim() ? `上级意见：${one(higher.comment)}` : reason;
      out.push({
        style: 'text',
        text: `该事项经报上级机构编制部门审批，上级机构编制部门不予批准${number}。${comment}`,
      });
      break;
    }
    case 'implementing':
      out.push({ style: 'text', text: `该事项在组织实施时经复核，不符合机构编制管理规定，不予实施。${reason}` });
      break;
    default:
      out.push({ style: 'text', text: `经研究，不予批准该事项。${reason}` });
  }
  const rules = r?.rules ?? [];
  if (rules.length === 1) out.push({ style: 'text', text: `不符合的规定：${ruleSentence(rules[0], unit)}。` });
  else if (rules.length > 1) {
    out.push({ style: 'text', text: '不符合的规定如下：' });
    rules.forEach((v, i) => out.push({ style: 'text', text: `${ordinal(i + 1)}、${ruleSentence(v, unit)}。` }));
  }
  return out;
}

/** The months a 编制使用通知 gives to recruit, stated in it (the office's practice; the registry keeps no deadline). */
export const QUOTA_USE_VALIDITY_MONTHS = 6;

function requestModel(facts: RequestDocumentFacts): DocumentModel {
  const title = documentTitle(facts);
  const decidedBy = decidedByOf(facts);
  const words = wordsOf(facts);
  const base: DocumentModel = {
    metaTitle: title,
    author: facts.issuer.name,
    date: chinaDate(facts.issuedAt),
    header: facts.issuer.header,
    number: facts.documentNumber,
    title: one(title),
    addressee: one(facts.request.unitName),
    body: [],
    attendance: [],
    signature: { name: facts.issuer.name, date: chineseDate(facts.issuedAt) },
    copyTo: facts.copyTo?.length ? facts.copyTo.map(one).join('，') : null,
    printer: facts.issuer.printer ?? facts.issuer.name,
    printDate: `${arabicDate(facts.issuedAt)}印发`,
    form: null,
  };
  const text = (t: string): Paragraph => ({ style: 'text', text: t });
  switch (facts.kind) {
    case 'APPROVAL_REPLY':
      base.body = [
        text(receivedSentence(facts)),
        ...approvedParagraphs(words, decidedSentence(facts, decidedBy)),
        ...words.after.map(text),
        text('请按规定做好相关工作。'),
        text('此复。'),
      ];
      return base;
    case 'QUOTA_USE_NOTICE':
      base.body = [
        text(receivedSentence(facts)),
        ...approvedParagraphs(words, decidedSentence(facts, decidedBy)),
        ...words.after.map(text),
        text(
          `请自本通知印发之日起${QUOTA_USE_VALIDITY_MONTHS}个月内，严格按照核定的编制和岗位，` +
            '按规定程序组织招录（聘），及时办理入编手续。',
        ),
        text('特此通知。'),
      ];
      return base;
    case 'REJECTION_NOTICE':
      base.body = [text(receivedSentence(facts)), ...rejectionParagraphs(facts), text('特此通知。')];
      return base;
    case 'APPROVAL_FORM':
      return formModel(facts, words, base);
  }
}

function formModel(facts: RequestDocumentFacts, words: ChangeWords, base: DocumentModel): DocumentModel {
  const r = facts.request;
  const rows: [string, string][] = [
    ['事项类型', TYPE_WORDS[r.type] ?? r.type],
    ['申请单位', one(r.unitName)],
    ['事项名称', one(r.title)],
    ['来文号', r.referenceNumber ? one(r.referenceNumber) : '无'],
    ['申请日期', arabicDate(r.createdAt)],
    ['申请理由', userText(r.justification).join('\n') || '无'],
    ['调整内容', [...words.approved.map((a) => `${a}。`), ...words.after].join('\n')],
  ];
  if (facts.higherDecision)
    rows.push([
      '上级审批',
      `${facts.higherDecision.approved ? '批准' : '不予批准'}（${one(facts.higherDecision.documentNumber)}）` +
        (facts.higherDecision.comment ? `：${one(facts.higherDecision.comment)}` : ''),
    ]);
  const steps = (facts.procedure ?? []).map((s, i) => [
    String(i + 1),
    ACTION_WORDS[s.action] ?? one(s.action),
    one(s.actor),
    ROLE_WORDS[s.role] ?? one(s.role),
    arabicDateTime(s.at),
    s.comment ? userText(s.comment).join('\n') : '',
  ]);
  return {
    ...base,
    header: null,
    number: null,
    title: `${facts.issuer.name}\n机构编制事项审批表`,
    addressee: null,
    signature: null,
    copyTo: null,
    printer: null,
    printDate: `制表日期：${arabicDate(facts.issuedAt)}`,
    form: { rows, steps },
  };
}

function minutesModel(facts: MinutesFacts): DocumentModel {
  const m = facts.meeting;
  const title = documentTitle(facts);
  const body: Paragraph[] = [
    {
      style: 'text',
      text:
        `${arabicDate(m.heldAt)}，${facts.issuer.name}召开${one(m.title)}，审议了${m.items.length}项议题。` +
        '现将会议议定事项纪要如下：',
    },
  ];
  m.items.forEach((item, i) => {
    body.push({ style: 'heading', text: `${ordinal(i + 1)}、${one(item.title)}（${one(item.unitName)}）` });
    const t = item.tally;
    const recused = item.recused.length ? `${joinNames(item.recused.map(one))}回避表决。` : '';
    const result = RESULT_WORDS[item.result] ?? one(item.result);
    const tally =
      item.result === 'WITHDRAWN'
        ? ''
        : `应参加表决${t.eligible}人，赞成${t.approve}票，反对${t.reject}票，弃权${t.abstain}票。`;
    body.push({ style: 'text', text: `${recused}${tally}该议题${result}。` });
  });
  return {
    metaTitle: title,
    author: facts.issuer.name,
    date: chinaDate(facts.issuedAt),
    header: facts.issuer.header,
    number: facts.documentNumber,
    title: one(title),
    addressee: null,
    body,
    attendance: [
      { label: '出席', names: m.present.length ? m.present.map(one).join('，') : '无' },
      { label: '缺席', names: m.absent.length ? m.absent.map(one).join('，') : '无' },
    ],
    signature: { name: facts.issuer.name, date: chineseDate(facts.issuedAt) },
    copyTo: null,
    printer: facts.issuer.printer ?? facts.issuer.name,
    printDate: `${arabicDate(facts.issuedAt)}印发`,
    form: null,
  };
}

export function composeDocument(facts: DocumentFacts): DocumentModel {
  return facts.kind === 'MINUTES' ? minutesModel(facts) : requestModel(facts);
}
