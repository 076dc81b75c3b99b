import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  Funding,
  FUNDING_FORMS,
  Grade,
  GRADES,
  UNIT_KINDS,
  UNIT_STATUSES,
  UnitKind,
  UnitStatus,
} from '@bianzhi/domain';

/** A count per category; a category left out counts 0. */
export class CategoryCountsDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) ADMIN?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) POLITICAL_LEGAL?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) PUBLIC_INSTITUTION?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) SCHOOL_STAFF?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) CONTRACT?: number;
}

export class LeadershipPostsDto {
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
  @ApiProperty() @IsInt() @Min(0) @Max(100) principal: number;
  @ApiProperty() @IsInt() @Min(0) @Max(100) deputy: number;
}

export class CreateUnitDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: UNIT_KINDS }) @IsIn(UNIT_KINDS) kind: UnitKind;
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
  @ApiPropertyOptional() @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ enum: FUNDING_FORMS }) @IsOptional() @IsIn(FUNDING_FORMS) funding?: Funding;
  @ApiPropertyOptional({ description: '统一社会信用代码 (GB 32100-2015)' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, {
    message: 'creditCode must be 18 characters of 0-9 and A-Z without I, O, S, V, Z',
  })
  creditCode?: string;
  @ApiPropertyOptional({ type: CategoryCountsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoryCountsDto)
  quotas?: CategoryCountsDto;
  @ApiPropertyOptional({ type: CategoryCountsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoryCountsDto)
  occupied?: CategoryCountsDto;
  @ApiPropertyOptional({ type: CategoryCountsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoryCountsDto)
  pending?: CategoryCountsDto;
  @ApiPropertyOptional({ type: LeadershipPostsDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => LeadershipPostsDto)
  leadershipPosts?: LeadershipPostsDto[];
  @ApiPropertyOptional({ type: String, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  sections?: string[];
  @ApiPropertyOptional({ type: String, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  namePlates?: string[];
}

export class TotalsDto {
  @ApiProperty() @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ type: CategoryCountsDto }) @ValidateNested() @Type(() => CategoryCountsDto) totals: CategoryCountsDto;
  @ApiPropertyOptional({ type: CategoryCountsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoryCountsDto)
  turnoverPool?: CategoryCountsDto;
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: '机构限额: the most active PARTY + GOVERNMENT units; null lifts it, left out keeps the current one',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  bodyLimit?: number | null;
}

export class UnitQueryDto {
  @ApiPropertyOptional({ enum: UNIT_KINDS }) @IsOptional() @IsIn(UNIT_KINDS) kind?: UnitKind;
  @ApiPropertyOptional({ enum: UNIT_STATUSES }) @IsOptional() @IsIn(UNIT_STATUSES) status?: UnitStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
  @ApiPropertyOptional({ description: 'ISO 8601 timestamp: the units as they stood then (台账 as of a date)' })
  @IsOptional()
  @IsDateString({ strict: true })
  asOf?: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601 timestamp' })
  @IsOptional()
  @IsDateString({ strict: true })
  asOf?: string;
}
