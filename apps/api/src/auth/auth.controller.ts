import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { AuthUser } from '@bianzhi/auth';
import { ApiErrors } from '../common/api.responses';
import { Access, CurrentUser, Public } from './auth.decorators';
import { CreateUserDto, LoginDto, LoginResponseDto, UpdateUserDto, UserDto } from './auth.dto';
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
  @ApiErrors(400, 401, 429, 503)
  login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    return this.users.login(dto.username, dto.password);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Access('GET /v1/users/me')
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
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(admin, dto);
  }

  @Access('PATCH /v1/users/:id')
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 503)
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(admin, id, dto);
  }
}
