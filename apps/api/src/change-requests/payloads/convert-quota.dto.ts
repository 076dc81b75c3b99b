import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { Category, CATEGORIES } from '@bianzhi/domain';
import { COUNT, UnitRefDto } from './common';

/** CONVERT_QUOTA (编制置换). */
export class ConvertQuotaPayloadDto extends UnitRefDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) fromCategory: Category;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) toCategory: Category;
  @ApiProperty({ type: 'integer', minimum: COUNT.min, maximum: COUNT.max })
  @IsInt()
  @Min(COUNT.min)
  @Max(COUNT.max)
  count: number;
}
