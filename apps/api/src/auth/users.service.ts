import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { appendAudit } from '@bianzhi/audit';
import { AuthUser, hashPassword, verifyPassword } from '@bianzhi/auth';
import { RegistryRepository, UserEntity, UsersRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';
import { CreateUserDto, LoginResponseDto, UpdateUserDto, UserDto } from './auth.dto';

export function toUserDto(u: UserEntity): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    unitId: u.unitId,
    disabled: u.disabled,
  };
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly registry: RegistryRepository,
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
  ) {}

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

  async login(username: string, password: string): Promise<LoginResponseDto> {
    const user = await this.users.findByUsername(username);
    // Same answer for an unknown user and a wrong password; compare anyway to keep the timing alike.
    const ok = await verifyPassword(
      password,
      user?.passwordHash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinv',
    );
    if (!user || !ok || user.disabled) throw new ApiError(401, 'UNAUTHORIZED', 'wrong username or password');
    const expiresIn = Number(this.config.get('JWT_EXPIRES_IN') ?? 3600);
    return {
      accessToken: await this.jwt.signAsync({ sub: user.id, username: user.username }, { expiresIn }),
      expiresIn,
    };
  }

  private async checkUnit(unitId: string | null | undefined): Promise<void> {
    if (unitId && !(await this.registry.unitExists(unitId)))
      throw ApiError.validation([{ field: 'unitId', problem: `unit ${unitId} does not exist` }]);
  }

  async create(admin: AuthUser, dto: CreateUserDto): Promise<UserDto> {
    await this.checkUnit(dto.unitId);
    if ((dto.roles.includes('clerk') || dto.roles.includes('consultee')) && !dto.unitId)
      throw ApiError.validation([
        { field: 'unitId', problem: 'a clerk or a consultee belongs to a unit: unitId is required' },
      ]);
    return this.users.transaction(async (users, em) => {
      if (await users.usernameTaken(dto.username))
        throw new ApiError(409, 'USERNAME_TAKEN', `username ${dto.username} is taken`);
      const user = await users.insert({
        username: dto.username,
        passwordHash: await hashPassword(dto.password),
        displayName: dto.displayName,
        roles: dto.roles,
        unitId: dto.unitId ?? null,
      });
      await appendAudit(em, {
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'user_created',
        after: toUserDto(user),
      });
      return toUserDto(user);
    });
  }

  async update(admin: AuthUser, id: string, dto: UpdateUserDto): Promise<UserDto> {
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
