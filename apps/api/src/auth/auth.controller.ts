import { Body, Controller, Get, HttpCode, Ip, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { AuthUser } from '@bianzhi/auth';
import { ApiErrors } from '../common/api.responses';
import {
  Access,
  AllowedWhileMustChangePassword,
  AllowedWhileTotpEnrolment,
  CurrentUser,
  Public,
} from './auth.decorators';
import {
  ChangePasswordDto,
  CreateUserDto,
  LoginDto,
  LoginResponseDto,
  ResetPasswordDto,
  SecurityEventDto,
  SecurityEventsQueryDto,
  SecurityLogVerificationDto,
  TotpConfirmDto,
  TotpEnrolmentDto,
  UpdateUserDto,
  UserDto,
} from './auth.dto';
import { SecurityLogService } from './security-log.service';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @Throttle({ login: {} })
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401, 423, 429, 503)
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    return this.users.login(dto.username, dto.password, ip ?? null, dto.totp);
  }

  @ApiBearerAuth()
  @Access('POST /v1/auth/password')
  @AllowedWhileMustChangePassword()
  @Throttle({ login: {} })
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'changed' })
  @ApiErrors(400, 401, 403, 429, 503)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto, @Ip() ip: string): Promise<void> {
    return this.users.changePassword(user, dto, ip ?? null);
  }

  @ApiBearerAuth()
  @Access('POST /v1/auth/totp')
  @AllowedWhileTotpEnrolment()
  @Post('totp')
  @HttpCode(200)
  @ApiOkResponse({ type: TotpEnrolmentDto })
  @ApiErrors(401, 403, 409, 503)
  enrolTotp(@CurrentUser() user: AuthUser): Promise<TotpEnrolmentDto> {
    return this.users.enrolTotp(user);
  }

  @ApiBearerAuth()
  @Access('POST /v1/auth/totp/confirm')
  @AllowedWhileTotpEnrolment()
  @Throttle({ login: {} })
  @Post('totp/confirm')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the second factor is in use from now on' })
  @ApiErrors(400, 401, 403, 409, 429, 503)
  confirmTotp(@CurrentUser() user: AuthUser, @Body() dto: TotpConfirmDto, @Ip() ip: string): Promise<void> {
    return this.users.confirmTotp(user, dto.code, ip ?? null);
  }

  @ApiBearerAuth()
  @Access('POST /v1/auth/logout')
  @AllowedWhileMustChangePassword()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'signed out: the token no longer works' })
  @ApiErrors(401, 403, 503)
  logout(@CurrentUser() user: AuthUser, @Ip() ip: string): Promise<void> {
    return this.users.logout(user, ip ?? null);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Access('GET /v1/users/me')
  @AllowedWhileMustChangePassword()
  @AllowedWhileTotpEnrolment()
  @Get('me')
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(401, 403, 404, 503)
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.get(user.id);
  }

  @Access('GET /v1/users')
  @Get()
  @ApiOkResponse({ type: [UserDto] })
  @ApiErrors(401, 403, 503)
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Access('POST /v1/users')
  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 409, 503)
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto, @Ip() ip: string): Promise<UserDto> {
    return this.users.create(admin, dto, ip ?? null);
  }

  @Access('PATCH /v1/users/:id')
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 503)
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateUserDto,
    @Ip() ip: string,
  ): Promise<UserDto> {
    return this.users.update(admin, id, dto, ip ?? null);
  }

  @Access('POST /v1/users/:id/unlock')
  @Post(':id/unlock')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'unlocked; its failed sign-ins forgotten' })
  @ApiErrors(400, 401, 403, 404, 503)
  unlock(
    @CurrentUser() securityAdmin: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Ip() ip: string,
  ): Promise<void> {
    return this.users.unlock(securityAdmin, id, ip ?? null);
  }

  @Access('POST /v1/users/:id/reset-password')
  @Post(':id/reset-password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'reset; the user must change it at the next sign-in' })
  @ApiErrors(400, 401, 403, 404, 503)
  resetPassword(
    @CurrentUser() securityAdmin: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResetPasswordDto,
    @Ip() ip: string,
  ): Promise<void> {
    return this.users.resetPassword(securityAdmin, id, dto.password, ip ?? null);
  }
}

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/security-events')
export class SecurityEventsController {
  constructor(private readonly log: SecurityLogService) {}

  @Access('GET /v1/security-events')
  @Get()
  @ApiOkResponse({ type: [SecurityEventDto] })
  @ApiErrors(400, 401, 403, 503)
  async list(@Query() q: SecurityEventsQueryDto): Promise<SecurityEventDto[]> {
    const rows = await this.log.list({
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      type: q.type,
      username: q.username,
      limit: q.limit,
    });
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  @Access('GET /v1/security-events/verify')
  @Get('verify')
  @ApiOkResponse({ type: SecurityLogVerificationDto })
  @ApiErrors(401, 403, 503)
  verify(): Promise<SecurityLogVerificationDto> {
    return this.log.verify();
  }
}
