import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser, JwtClaims } from '@bianzhi/auth';
import { SecurityRepository, UsersRepository } from '@bianzhi/persistence';
import { totpRequiredFor } from './users.service';

/**
 * Verifies the token and reloads the user, so a disabled user's tokens stop working at once; a token signed out
 * (its jti revoked) stops too. Tokens from before jti existed carry none and expire within the hour.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    private readonly config: ConfigService,
    private readonly users: UsersRepository,
    private readonly security: SecurityRepository,
  ) {
    // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public key on every
    // request (createPublicKey, which throws), a few milliseconds of CPU each. The typings predate KeyObject.
    const key = createSecretKey(Buffer.from(config.getOrThrow<string>('JWT_SECRET'), 'utf8'));
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      algorithms: ['HS256'], // pinned: the algorithm tokens are signed with (security review M10)
      secretOrKey: key as unknown as Buffer,
    });
  }

  async validate(claims: JwtClaims): Promise<AuthUser | null> {
    if (claims.jti && (await this.security.isRevoked(claims.jti))) return null;
    const u = await this.users.findById(claims.sub);
    if (!u || u.disabled) return null;
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      roles: u.roles,
      unitId: u.unitId,
      ...(u.mustChangePassword ? { mustChangePassword: true } : {}),
      ...(!u.totpEnabled && totpRequiredFor(u.roles, this.config.get('REQUIRE_TOTP') === '1')
        ? { totpEnrolmentRequired: true }
        : {}),
      ...(claims.jti ? { jti: claims.jti, exp: claims.exp } : {}),
    };
  }
}
