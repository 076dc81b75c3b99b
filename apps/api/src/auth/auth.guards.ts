import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Role } from '@bianzhi/domain';
import type { AuthUser } from '@bianzhi/auth';
import { ApiError } from '../common/api-error';
import { isUnavailableError } from '../common/unavailable';
import { IS_PUBLIC, ROLES, WHILE_MUST_CHANGE, WHILE_TOTP_ENROLMENT } from './auth.decorators';

/** Every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(ctx: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    return super.canActivate(ctx);
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err && isUnavailableError(err)) throw ApiError.unavailable('the database is unavailable; retry later');
    if (err || !user) throw new ApiError(401, 'UNAUTHORIZED', 'sign in first: no, expired or revoked credentials');
    return user;
  }
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const user: AuthUser | undefined = ctx.switchToHttp().getRequest().user;
    if (user?.mustChangePassword && !this.reflector.get<boolean>(WHILE_MUST_CHANGE, ctx.getHandler()))
      throw ApiError.forbidden(
        'PASSWORD_CHANGE_REQUIRED',
        'an administrator set your password: change it first (POST /v1/auth/password)',
      );
    if (user?.totpEnrolmentRequired && !this.reflector.get<boolean>(WHILE_TOTP_ENROLMENT, ctx.getHandler()))
      throw ApiError.forbidden(
        'TOTP_ENROLMENT_REQUIRED',
        'this account must use a second factor: enrol first (POST /v1/auth/totp, then /v1/auth/totp/confirm)',
      );
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES, [ctx.getHandler(), ctx.getClass()]);
    if (!roles?.length) return true;
    if (user && roles.some((r) => user.roles.includes(r))) return true;
    throw ApiError.forbidden('FORBIDDEN', `this action needs one of the roles: ${roles.join(', ')}`);
  }
}
