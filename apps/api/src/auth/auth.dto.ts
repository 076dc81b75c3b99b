import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { Role, ROLES } from '@bianzhi/domain';

export class LoginDto {
  @ApiProperty() @IsString() @Length(1, 64) username: string;
  @ApiProperty() @IsString() @Length(1, 256) password: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'seconds' }) expiresIn: number;
}

export class CreateUserDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{2,64}$/, { message: 'username must be 2 to 64 letters, digits, _ . or -' })
  username: string;
  @ApiProperty() @IsString() @Length(8, 256) password: string;
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
}
