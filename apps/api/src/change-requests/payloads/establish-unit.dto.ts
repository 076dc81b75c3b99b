import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { Funding, FUNDING_FORMS, Grade, GRADES, UNIT_KINDS, UnitKind } from '@bianzhi/domain';
import { CategoryCountsDto, LeadershipPostsDto } from '../../registry/registry.dto';

/** ESTABLISH_UNIT (设立机构). */
export class EstablishUnitPayloadDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: UNIT_KINDS }) @IsIn(UNIT_KINDS) kind: UnitKind;
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ enum: FUNDING_FORMS }) @IsOptional() @IsIn(FUNDING_FORMS) funding?: Funding;
  @ApiProperty({ type: CategoryCountsDto, description: 'quota per category; a category left out counts 0' })
  @ValidateNested()
  @Type(() => CategoryCountsDto)
  quotas: CategoryCountsDto;
  @ApiProperty({ type: [LeadershipPostsDto], maxItems: 12 })
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => LeadershipPostsDto)
  leadershipPosts: LeadershipPostsDto[];
  @ApiPropertyOptional({ type: [String], maxItems: 100, uniqueItems: true, description: '内设机构' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  sections?: string[];
  @ApiPropertyOptional({ type: [String], maxItems: 20, uniqueItems: true, description: '加挂牌子' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  namePlates?: string[];
}
