import { idNumberProblem, maskIdNumber, normaliseIdNumber } from '../domain/id-number';

// A batch of people pasted into the 上编 form (ENROL_PERSON `lines`): one person a row, "姓名,身份证号" — commas
// (either width), a tab (cells copied from Excel) or spaces between. Each row is checked here as the API will check
// it (the ID number's check character, a person twice), so the clerk corrects the paste before anything is sent.

/** The most people one request may carry (the API's ArrayMaxSize on `lines`). */
export const BATCH_LIMIT = 500;

export interface RosterRow {
  /** 1-based: the person's number in the batch (the API's lines[index] is index + 1). */
  index: number;
  /** The pasted text's line, 1-based, for the clerk to find it. */
  line: number;
  name: string;
  idNumber: string;
  idNumberMasked: string;
  problem?: string;
}

export interface Roster {
  rows: RosterRow[];
  /** Sentences for the whole paste (too many rows). */
  problems: string[];
}

const HEADER = /姓名|名字|name/i;

/** Splits one pasted line into its name and its ID number. */
function cells(text: string): [string, string] {
  if (/[,，\t;；]/.test(text)) {
    const [name, ...rest] = text.split(/[,，\t;；]/).map((p) => p.trim());
    return [name, rest.find(Boolean) ?? '']; // further columns (a unit, a post) are not read
  }
  // "张三 110105…" : the last run of digits (and X) is the number, what comes before it the name.
  const m = text.trim().match(/^(.*?)\s*([0-9０-９]+[0-9Xx０-９Ｘｘ]?)$/);
  return m ? [m[1].trim(), m[2]] : [text.trim(), ''];
}

/** The pasted rows, each checked: name present, a valid ID number, nobody twice. */
export function parseRoster(text: string, today: string): Roster {
  const rows: RosterRow[] = [];
  const seen = new Map<string, number>();
  const lines = (text ?? '').replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    const [name, id] = cells(raw);
    if (rows.length === 0 && HEADER.test(name) && !/\d{6}/.test(id)) return; // a header row
    const idNumber = normaliseIdNumber(id);
    const row: RosterRow = {
      index: rows.length + 1,
      line: i + 1,
      name,
      idNumber,
      idNumberMasked: maskIdNumber(idNumber),
    };
    if (!name) row.problem = '缺少姓名';
    else if (name.length > 100) row.problem = '姓名过长（不超过 100 个字）';
    else if (!idNumber) row.problem = '缺少公民身份号码';
    else row.problem = idNumberProblem(idNumber, today) ?? undefined;
    if (!row.problem) {
      const first = seen.get(idNumber);
      if (first !== undefined) row.problem = `与第 ${first} 人是同一公民身份号码`;
      else seen.set(idNumber, row.index);
    }
    rows.push(row);
  });
  const problems: string[] = [];
  if (rows.length > BATCH_LIMIT) problems.push(`一次最多 ${BATCH_LIMIT} 人，现有 ${rows.length} 人，请分成几次申请。`);
  return { rows, problems };
}

/** The sentences a form shows under the paste: each row at fault, then the whole paste's. */
export function rosterErrors(roster: Roster, most = 10): string[] {
  const bad = roster.rows.filter((r) => r.problem);
  const lines = bad.slice(0, most).map((r) => `第 ${r.line} 行（${r.name || '无姓名'}）：${r.problem}`);
  if (bad.length > most) lines.push(`另有 ${bad.length - most} 行有问题，见下表。`);
  return [...lines, ...roster.problems];
}
