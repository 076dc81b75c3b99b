import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, Category, PERSON_STATUSES, PersonStatus } from '@bianzhi/domain';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class PersonQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional({ enum: PERSON_STATUSES }) @IsOptional() @IsIn(PERSON_STATUSES) status?: PersonStatus;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) category?: Category;
  @ApiPropertyOptional({ description: 'part of a name, or a whole ID number (found by its keyed hash)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class ImportPersonDto {
  @ApiProperty({ example: '张三' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: '$property must not contain control characters' })
  name: string;
  @ApiProperty({ example: '11010519491231002X' })
  @Transform(trimmed)
  @IsString()
  @Length(18, 18, { message: '$property must be 18 characters: 17 digits and a check character (GB 11643)' })
  idNumber: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() unitId: string;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
}

export class PeopleImportDto {
  @ApiProperty({ type: [ImportPersonDto], maxItems: 200000 })
  @IsArray()
  @ArrayMaxSize(200000)
  @ValidateNested({ each: true })
  @Type(() => ImportPersonDto)
  people: ImportPersonDto[];
}

export class ReconcileQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "only this unit's people on (and those under it)" })
  @IsOptional()
  @IsUUID()
  unitId?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class MonthlyQueryDto {
  @ApiProperty({ example: '2026-11', description: 'YYYY-MM, the office time zone' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be a month YYYY-MM' })
  month: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
