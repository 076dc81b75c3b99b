import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { Type } from 'class-transformer';
import { Role, ROLES } from '@bianzhi/domain';
import { SECURITY_EVENT_TYPES } from './security-log.service';

export class LoginDto {
  @ApiProperty() @IsString() @Length(1, 64) username: string;
  @ApiProperty() @IsString() @Length(1, 256) password: string;
  @ApiPropertyOptional({ description: 'the six-digit TOTP code, once the account uses the second factor' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'totp must be six digits' })
  totp?: string;
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'otpauth://totp/… for an authenticator app (as a QR code)' }) otpauthUrl: string;
}

export class TotpConfirmDto {
  @ApiProperty() @IsString() @Matches(/^[0-9]{6}$/, { message: 'code must be six digits' }) code: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'seconds' }) expiresIn: number;
  @ApiPropertyOptional({
    description:
      'an administrator set the password: this token is good only for POST /v1/auth/password and GET /v1/users/me',
  })
  mustChangePassword?: boolean;
  @ApiPropertyOptional({
    description: 'REQUIRE_TOTP=1 and no second factor yet: this token is good only for enrolling (POST /v1/auth/totp…)',
  })
  totpEnrolmentRequired?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @Length(1, 256) currentPassword: string;
  @ApiProperty({ description: 'at least 10 characters of three kinds (lower, upper, digit, other), not the username' })
  @IsString()
  @Length(1, 256)
  newPassword: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'a temporary password, following the policy; the user must change it at sign-in' })
  @IsString()
  @Length(1, 256)
  password: string;
}

export class CreateUserDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{2,64}$/, { message: 'username must be 2 to 64 letters, digits, _ . or -' })
  username: string;
  @ApiProperty({ description: 'the policy of POST /v1/auth/password; changed by the user at the first sign-in' })
  @IsString()
  @Length(1, 256)
  password: string;
  @ApiProperty() @IsString() @Length(1, 100) displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(8)
  @IsIn(ROLES, { each: true })
  roles: Role[];
  @ApiPropertyOptional() @IsOptional() @IsUUID() unitId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(8)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsUUID() unitId?: string | null;
  // Absent leaves the field as it is; null is no value for these.
  @ApiPropertyOptional() @ValidateIf((_, v) => v !== undefined) @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional() @ValidateIf((_, v) => v !== undefined) @IsString() @Length(1, 100) displayName?: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiPropertyOptional({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ description: 'the password was set by an administrator and is not changed yet' })
  mustChangePassword: boolean;
}

export class SecurityEventsQueryDto {
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ enum: SECURITY_EVENT_TYPES }) @IsOptional() @IsIn(SECURITY_EVENT_TYPES) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) username?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class SecurityEventDto {
  @ApiProperty() seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: SECURITY_EVENT_TYPES }) type: string;
  @ApiProperty({ type: String, nullable: true, description: 'the account concerned' }) username: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'who did it, when signed in' }) actor: string | null;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class SecurityLogVerificationDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() records: number;
  @ApiProperty({ type: Number, nullable: true, description: 'the first kept record (older ones are past retention)' })
  firstSeq: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the first record whose hash or link fails' })
  brokenAt: number | null;
}
