import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import { LeadershipPostsDto } from '../../registry/registry.dto';
import { UnitRefDto } from './common';

/** ADJUST_LEADERSHIP (领导职数调整): the unit's posts become these. */
export class AdjustLeadershipPayloadDto extends UnitRefDto {
  @ApiProperty({ type: [LeadershipPostsDto], maxItems: 12 })
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => LeadershipPostsDto)
  posts: LeadershipPostsDto[];
}
