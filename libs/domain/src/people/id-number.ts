// 公民身份号码 (citizen ID number, GB 11643-1999), for the people on the establishment (实名制, docs/domain.md
// "People on the establishment"): 6 digits of region, 8 of birth date, 3 of order, and a check character computed by
// ISO 7064 MOD 11-2 over the first 17. Checked here, once, for the import, the requests and the console alike.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The number as stored and compared: trimmed, the check character X upper case. */
export function normaliseIdNumber(id: string): string {
  return id.trim().toUpperCase();
}

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * Why an ID number is not one (a sentence naming the part at fault), or null when it is: 18 characters, a region
 * code, a real birth date not after `today` (YYYY-MM-DD) and not before 1800 (the standard's examples go back to
 * 1880), and the right check character.
 */
export function idNumberProblem(id: string, today: string): string | null {
  const n = normaliseIdNumber(id);
  if (!/^\d{17}[\dX]$/.test(n)) return 'an ID number is 17 digits and a check character (a digit or X)';
  if (!/^[1-9]\d{5}$/.test(n.slice(0, 6)) || Number(n.slice(0, 2)) < 11 || Number(n.slice(0, 2)) > 91)
    return `${n.slice(0, 6)} is no region code`;
  const y = Number(n.slice(6, 10));
  const m = Number(n.slice(10, 12));
  const d = Number(n.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const born = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (y < 1800 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return `${n.slice(6, 14)} is no birth date`;
  if (born > today) return `the birth date ${born} is after today`;
  const check = idNumberCheckCharacter(n.slice(0, 17));
  if (n[17] !== check) return `the check character is ${n[17]}, the number's is ${check} (GB 11643)`;
  return null;
}

/** The form everyone but the office sees, in logs and audit bodies too: 3301**********1234 (first four, last four). */
export function maskIdNumber(id: string): string {
  const n = normaliseIdNumber(id);
  if (n.length !== 18) return '*'.repeat(n.length);
  return `${n.slice(0, 4)}${'*'.repeat(10)}${n.slice(14)}`;
}
