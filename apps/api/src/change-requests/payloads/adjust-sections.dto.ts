import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, Length } from 'class-validator';
import { UnitRefDto } from './common';

/** ADJUST_SECTIONS (内设机构调整): sections removed, then added. */
export class AdjustSectionsPayloadDto extends UnitRefDto {
  @ApiProperty({ type: [String], maxItems: 100, uniqueItems: true })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  add: string[];
  @ApiProperty({ type: [String], maxItems: 100, uniqueItems: true })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  remove: string[];
}
