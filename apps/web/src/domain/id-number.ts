// 公民身份号码 (GB 11643-1999), checked in the browser before a request is sent: the same check as
// libs/domain/src/people/id-number.ts (the console may not import the libraries, dependency-cruiser "web-is-alone"),
// which the API applies again and has the last word. 6 digits of region, 8 of birth date, 3 of order and a check
// character computed by ISO 7064 MOD 11-2 over the first 17.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The number as the API compares it: trimmed, full-width digits and X made half-width, X upper case. */
export function normaliseIdNumber(id: string): string {
  return id
    .trim()
    .replace(/[０-９Ｘｘ]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * What is wrong with an ID number, as a clerk reads it, or null when it is one: 18 characters, a region code, a
 * real birth date not after `today` (YYYY-MM-DD) and not before 1800, and the right check character.
 */
export function idNumberProblem(id: string, today: string): string | null {
  const n = normaliseIdNumber(id);
  if (n.length !== 18) return `公民身份号码应为 18 位，现为 ${n.length} 位`;
  if (!/^\d{17}[\dX]$/.test(n)) return '公民身份号码由 17 位数字和 1 位校验码（数字或 X）组成';
  if (!/^[1-9]\d{5}$/.test(n.slice(0, 6)) || Number(n.slice(0, 2)) < 11 || Number(n.slice(0, 2)) > 91)
    return `前 6 位 ${n.slice(0, 6)} 不是行政区划代码`;
  const y = Number(n.slice(6, 10));
  const m = Number(n.slice(10, 12));
  const d = Number(n.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return `第 7 至 14 位 ${n.slice(6, 14)} 不是有效的出生日期`;
  const born = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (born > today) return `出生日期 ${born} 晚于今天`;
  const check = idNumberCheckCharacter(n.slice(0, 17));
  if (n[17] !== check) return `校验码不符：末位是 ${n[17]}，按前 17 位应为 ${check}，请核对号码`;
  return null;
}

/** The form everyone but the office sees: first four and last four, 3301**********1234. */
export function maskIdNumber(id: string): string {
  const n = normaliseIdNumber(id);
  if (n.length !== 18) return '*'.repeat(n.length);
  return `${n.slice(0, 4)}${'*'.repeat(10)}${n.slice(14)}`;
}

/** Today in the office's time zone (东八区), YYYY-MM-DD: a birth date is checked against the office's day. */
export function officeToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}
