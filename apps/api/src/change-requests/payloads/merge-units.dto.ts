import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

/** MERGE_UNITS (合并/整合). */
export class MergeUnitsPayloadDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 50, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  sourceIds: string[];
  @ApiProperty({ format: 'uuid' }) @IsUUID() targetId: string;
}
