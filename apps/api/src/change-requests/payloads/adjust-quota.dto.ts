import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min, NotEquals } from 'class-validator';
import { Category, CATEGORIES } from '@bianzhi/domain';
import { COUNT, UnitRefDto } from './common';

/** ADJUST_QUOTA (核增/核减编制). */
export class AdjustQuotaPayloadDto extends UnitRefDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
  @ApiProperty({
    type: 'integer',
    minimum: -COUNT.max,
    maximum: COUNT.max,
    description: "not 0: positive raises from the county's free quota, negative gives back to it",
  })
  @IsInt()
  @Min(-COUNT.max)
  @Max(COUNT.max)
  @NotEquals(0)
  delta: number;
}
