import bcrypt from 'bcryptjs';
import type { Role } from '@bianzhi/domain';

// Shared auth pieces: the password hash and the signed-in user as every layer sees it.

const COST = Number(process.env.BCRYPT_COST ?? 10);

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** The caller, as verified from the token and the users table on every request. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  /** An administrator set the password: only changing it (and reading oneself) is allowed. */
  mustChangePassword?: boolean;
  /** REQUIRE_TOTP=1, a privileged or deciding role, no second factor yet: only enrolment is allowed. */
  totpEnrolmentRequired?: boolean;
  /** The token's id and expiry (seconds), for logout. */
  jti?: string;
  exp?: number;
}

export interface JwtClaims {
  sub: string;
  username: string;
  jti?: string;
  exp?: number;
}

export function hasRole(user: AuthUser, ...roles: Role[]): boolean {
  return roles.some((r) => user.roles.includes(r));
}
