import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@bianzhi/domain';
import type { AuthUser } from '@bianzhi/auth';
import { ACCESS, RouteKey } from './access';

export const IS_PUBLIC = 'isPublic';
export const ROLES = 'roles';
export const WHILE_MUST_CHANGE = 'allowedWhileMustChangePassword';
export const WHILE_TOTP_ENROLMENT = 'allowedWhileTotpEnrolment';

/** A route anyone may call (sign-in, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on a route; a signed-in caller without one of them gets 403 FORBIDDEN. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest().user,
);

/** The route's roles from the access table (auth/access.ts). */
export const Access = (route: RouteKey) => SetMetadata(ROLES, ACCESS[route]);

/** A route a must-change-password token may call (the password change and GET /v1/users/me). */
export const AllowedWhileMustChangePassword = () => SetMetadata(WHILE_MUST_CHANGE, true);

/** A route a token awaiting compulsory TOTP enrolment may call (REQUIRE_TOTP=1). */
export const AllowedWhileTotpEnrolment = () => SetMetadata(WHILE_TOTP_ENROLMENT, true);
