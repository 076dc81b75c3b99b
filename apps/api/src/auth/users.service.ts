import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { appendAudit } from '@bianzhi/audit';
import { AuthUser, hashPassword, verifyPassword } from '@bianzhi/auth';
import { Role, roleConflict } from '@bianzhi/domain';
import { RegistryRepository, SecurityRepository, UserEntity, UsersRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { ChangePasswordDto, CreateUserDto, LoginResponseDto, UpdateUserDto, UserDto } from './auth.dto';
import { checkPasswordPolicy } from './password-policy';
import { newTotpSecret, openSecret, otpauthUrl, sealSecret, stepOf } from './totp';
import { SecurityLogService } from './security-log.service';

/** Five failures in 15 minutes lock the account name for 15 minutes (docs/api.md, "Sign-in and accounts"). */
/** The roles that must use the second factor when REQUIRE_TOTP=1: the privileged and the deciding ones. */
export const TOTP_ROLES: Role[] = [
  'admin',
  'security_admin',
  'audit_admin',
  'reviewer',
  'office_director',
  'committee_member',
  'committee_chair',
  'auditor',
];

export function totpRequiredFor(roles: Role[], requireTotp: boolean): boolean {
  return requireTotp && roles.some((r) => TOTP_ROLES.includes(r));
}

export const LOCKOUT = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export function toUserDto(u: UserEntity): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    unitId: u.unitId,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
  };
}

function checkRoles(roles: Role[]): void {
  const conflict = roleConflict(roles);
  if (conflict) throw new ApiError(400, 'ROLE_CONFLICT', `roles: ${conflict}`, [{ field: 'roles', problem: conflict }]);
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly registry: RegistryRepository,
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
    private readonly security: SecurityRepository,
    private readonly log: SecurityLogService,
    private readonly clock: Clock,
  ) {}

  /**
   * A real bcrypt hash of the same cost, compared against when the username is unknown, so that an unknown
   * username costs the same time as a wrong password.
   */
  private readonly dummyHash = hashPassword(randomBytes(18).toString('base64'));

  /** The first administrator, `admin`, with the password in ADMIN_PASSWORD (docs/api.md, "Sign-in"). */
  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.usernameTaken('admin')) return;
    const password = this.config.get<string>('ADMIN_PASSWORD');
    if (!password) throw new Error('ADMIN_PASSWORD must be set to create the first administrator');
    await this.users.transaction(async (users, em) => {
      await users.lockAdminSeeding();
      if (await users.usernameTaken('admin')) return;
      const admin = await users.insert({
        username: 'admin',
        passwordHash: await hashPassword(password),
        displayName: '系统管理员',
        roles: ['admin'],
        unitId: null,
      });
      await appendAudit(em, {
        actor: 'system',
        role: 'system',
        action: 'user_created',
        after: toUserDto(admin),
        comment: 'first administrator from ADMIN_PASSWORD',
      });
    });
    this.logger.log('created the first administrator, admin');
  }

  /**
   * Sign-in. Unknown usernames and wrong passwords take the same path (one bcrypt comparison, the same failure
   * count and lock), so that neither the answer nor its time tells whether the account exists.
   */
  async login(username: string, password: string, address: string | null, totp?: string): Promise<LoginResponseDto> {
    const now = this.clock.now();
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    const lockedUntil = await this.security.lockedUntil(username);
    if (lockedUntil && lockedUntil > now) {
      await this.log.record({ type: 'sign_in_locked', username, address });
      throw new ApiError(423, 'ACCOUNT_LOCKED', `too many failed sign-ins: locked until ${lockedUntil.toISOString()}`, [
        { field: 'username', problem: 'locked', lockedUntil: lockedUntil.toISOString() },
      ]);
    }
    const totpProblem = user && ok && !user.disabled ? await this.totpProblem(user, totp, now) : null;
    if (totpProblem === 'TOTP_REQUIRED')
      throw new ApiError(401, 'TOTP_REQUIRED', 'this account signs in with a TOTP code: send it as "totp"', [
        { field: 'totp', problem: 'required' },
      ]);
    if (!user || !ok || user.disabled || totpProblem) {
      await this.security.recordFailure(username, address, now);
      await this.log.record({ type: totpProblem ? 'totp_failed' : 'sign_in_failed', username, address });
      const failures = await this.security.failuresSince(username, new Date(now.getTime() - LOCKOUT.windowMs));
      if (failures >= LOCKOUT.failures) {
        const until = new Date(now.getTime() + LOCKOUT.lockMs);
        await this.security.lock(username, until);
        await this.security.clearFailures(username);
        await this.log.record({ type: 'account_locked', username, address, detail: { until: until.toISOString() } });
      }
      if (totpProblem)
        throw new ApiError(401, 'TOTP_INVALID', 'the TOTP code is wrong or was used before', [
          { field: 'totp', problem: 'wrong or replayed' },
        ]);
      throw new ApiError(401, 'UNAUTHORIZED', 'wrong username or password');
    }
    await this.security.clearFailures(username);
    await this.log.record({ type: 'sign_in', username: user.username, actor: user.username, address });
    const expiresIn = Number(this.config.get('JWT_EXPIRES_IN') ?? 3600);
    return {
      accessToken: await this.jwt.signAsync(
        { sub: user.id, username: user.username },
        { expiresIn, jwtid: randomUUID() },
      ),
      expiresIn,
      ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
      ...(!user.totpEnabled && totpRequiredFor(user.roles, this.requireTotp) ? { totpEnrolmentRequired: true } : {}),
    };
  }

  get requireTotp(): boolean {
    return this.config.get('REQUIRE_TOTP') === '1';
  }

  private get totpKey(): string | undefined {
    return this.config.get<string>('TOTP_ENCRYPTION_KEY') || undefined;
  }

  /** Null when the second factor is satisfied or not in use; else why not. */
  private async totpProblem(user: UserEntity, code: string | undefined, now: Date) {
    if (!user.totpEnabled || !user.totpSecret) return null;
    if (!code) return 'TOTP_REQUIRED' as const;
    const step = stepOf(openSecret(user.totpSecret, this.totpKey), code, now);
    return step !== null && (await this.users.claimTotpStep(user.id, step)) ? null : ('TOTP_INVALID' as const);
  }

  /** Starts TOTP enrolment: a new secret, not in use until a code from it is confirmed. */
  async enrolTotp(caller: AuthUser): Promise<{ otpauthUrl: string }> {
    const user = await this.users.findById(caller.id);
    if (!user) throw ApiError.notFound('the user');
    if (user.totpEnabled)
      throw new ApiError(409, 'TOTP_ALREADY_ENABLED', 'the second factor is in use; a security admin resets it');
    const secret = newTotpSecret();
    await this.users.setTotpSecret(user.id, sealSecret(secret, this.totpKey));
    return { otpauthUrl: otpauthUrl(user.username, secret) };
  }

  /** Confirms enrolment with a code from the new secret; from then on sign-in needs a code. */
  async confirmTotp(caller: AuthUser, code: string, address: string | null): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (!user?.totpSecret || user.totpEnabled)
      throw new ApiError(409, 'CONFLICT', 'no enrolment to confirm: POST /v1/auth/totp first');
    const step = stepOf(openSecret(user.totpSecret, this.totpKey), code, this.clock.now());
    if (step === null || !(await this.users.claimTotpStep(user.id, step))) {
      await this.log.record({ type: 'totp_failed', username: user.username, actor: user.username, address });
      throw ApiError.validation([{ field: 'code', problem: 'wrong or used before' }]);
    }
    await this.log.record({ type: 'totp_enrolled', username: user.username, actor: user.username, address });
  }

  /** The caller's own password change; the new one follows the policy and differs from the current one. */
  async changePassword(caller: AuthUser, dto: ChangePasswordDto, address: string | null): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (!user) throw ApiError.notFound('the user');
    if (!(await verifyPassword(dto.currentPassword, user.passwordHash))) {
      await this.log.record({ type: 'password_change_failed', username: user.username, actor: user.username, address });
      throw ApiError.validation([{ field: 'currentPassword', problem: 'is not the current password' }]);
    }
    checkPasswordPolicy(dto.newPassword, user.username, 'newPassword');
    if (dto.newPassword === dto.currentPassword)
      throw new ApiError(400, 'PASSWORD_POLICY', 'newPassword must differ from the current password', [
        { field: 'newPassword', problem: 'must differ from the current password' },
      ]);
    await this.users.setPassword(user.id, await hashPassword(dto.newPassword), false);
    await this.log.record({ type: 'password_changed', username: user.username, actor: user.username, address });
  }

  /** Revokes the caller's token (its jti) until it would have expired anyway. */
  async logout(caller: AuthUser, address: string | null): Promise<void> {
    if (caller.jti) await this.security.revoke(caller.jti, new Date((caller.exp ?? 0) * 1000));
    await this.log.record({ type: 'logout', username: caller.username, actor: caller.username, address });
  }

  /** Security admin: lifts a lock and forgets the failures. */
  async unlock(securityAdmin: AuthUser, id: string, address: string | null): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw ApiError.notFound('the user');
    await this.security.unlock(user.username);
    await this.log.record({
      type: 'account_unlocked',
      username: user.username,
      actor: securityAdmin.username,
      address,
    });
  }

  /** Security admin: sets a new password that the user must change at the next sign-in. */
  async resetPassword(securityAdmin: AuthUser, id: string, password: string, address: string | null): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw ApiError.notFound('the user');
    if (user.id === securityAdmin.id)
      throw ApiError.forbidden('FORBIDDEN', 'change your own password with POST /v1/auth/password');
    checkPasswordPolicy(password, user.username, 'password');
    await this.users.setPassword(user.id, await hashPassword(password), true);
    await this.security.unlock(user.username);
    await this.log.record({ type: 'password_reset', username: user.username, actor: securityAdmin.username, address });
  }

  private async checkUnit(unitId: string | null | undefined): Promise<void> {
    if (unitId && !(await this.registry.unitExists(unitId)))
      throw ApiError.validation([{ field: 'unitId', problem: `unit ${unitId} does not exist` }]);
  }

  async create(admin: AuthUser, dto: CreateUserDto, address: string | null = null): Promise<UserDto> {
    checkRoles(dto.roles);
    checkPasswordPolicy(dto.password, dto.username, 'password');
    await this.checkUnit(dto.unitId);
    if ((dto.roles.includes('clerk') || dto.roles.includes('consultee')) && !dto.unitId)
      throw ApiError.validation([
        { field: 'unitId', problem: 'a clerk or a consultee belongs to a unit: unitId is required' },
      ]);
    return this.users.transaction(async (users, em) => {
      if (await users.usernameTaken(dto.username))
        throw new ApiError(409, 'USERNAME_TAKEN', `username ${dto.username} is taken`);
      // A password an administrator set is changed by its user at the first sign-in.
      const user = await users.insert({
        username: dto.username,
        passwordHash: await hashPassword(dto.password),
        displayName: dto.displayName,
        roles: dto.roles,
        unitId: dto.unitId ?? null,
        mustChangePassword: true,
      });
      await appendAudit(em, {
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'user_created',
        after: toUserDto(user),
      });
      await this.log.record({
        type: 'user_created',
        username: user.username,
        actor: admin.username,
        address,
        detail: { roles: user.roles, unitId: user.unitId },
      });
      return toUserDto(user);
    });
  }

  async update(admin: AuthUser, id: string, dto: UpdateUserDto, address: string | null = null): Promise<UserDto> {
    if (dto.roles) checkRoles(dto.roles);
    if (dto.roles && id === admin.id)
      throw ApiError.forbidden('FORBIDDEN', 'nobody changes their own roles: another administrator must');
    await this.checkUnit(dto.unitId);
    return this.users.transaction(async (users, em) => {
      const user = await users.findForUpdate(id);
      if (!user) throw ApiError.notFound('the user');
      const before = toUserDto(user);
      if (dto.roles) user.roles = dto.roles;
      if (dto.unitId !== undefined) user.unitId = dto.unitId;
      if (dto.disabled !== undefined) user.disabled = dto.disabled;
      if (dto.displayName !== undefined) user.displayName = dto.displayName;
      if (user.username === 'admin' && (user.disabled || !user.roles.includes('admin')))
        throw ApiError.forbidden('FORBIDDEN', 'the first administrator cannot be disabled or lose the admin role');
      await users.save(user);
      await appendAudit(em, {
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'user_updated',
        before,
        after: toUserDto(user),
      });
      const rolesChanged = dto.roles && before.roles.join() !== user.roles.join();
      await this.log.record({
        type: rolesChanged ? 'roles_changed' : 'user_updated',
        username: user.username,
        actor: admin.username,
        address,
        detail: { before, after: toUserDto(user) },
      });
      return toUserDto(user);
    });
  }

  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map(toUserDto);
  }

  async get(id: string): Promise<UserDto> {
    const u = await this.users.findById(id);
    if (!u) throw ApiError.notFound('the user');
    return toUserDto(u);
  }

  /** The committee's active members (编委会成员). */
  async committee(): Promise<{ id: string; username: string; displayName: string; unitId?: string }[]> {
    const members = await this.users.activeCommitteeMembers();
    return members.map((m) => ({
      id: m.id,
      username: m.username,
      displayName: m.displayName,
      ...(m.unitId ? { unitId: m.unitId } : {}),
    }));
  }
}
