import { ApiError } from '../common/api-error';

// The password policy (docs/api.md, "Sign-in and accounts"): at least 10 characters of three of the four kinds
// (lower case, upper case, digit, other), and not the username.

export const PASSWORD_MIN_LENGTH = 10;

export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((k) => k.test(password)).length;
  if (kinds < 3) return 'must mix three of: lower case, upper case, digits, other characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username';
  return null;
}

/** 400 PASSWORD_POLICY naming the field, or nothing. */
export function checkPasswordPolicy(password: string, username: string, field: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new ApiError(400, 'PASSWORD_POLICY', `${field} ${problem}`, [{ field, problem }]);
}
