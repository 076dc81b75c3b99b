import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Category, CATEGORIES } from '@bianzhi/domain';

// What several payload DTOs share: the unit a change is about, and a count of quota places.

export const COUNT = { min: 1, max: 100_000 };

export class UnitRefDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() unitId: string;
}

/** A count of places of one category in one unit (a loan line, a use of quota). */
export class UnitCategoryCountDto extends UnitRefDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
  @ApiProperty({ type: 'integer', minimum: COUNT.min, maximum: COUNT.max })
  @IsInt()
  @Min(COUNT.min)
  @Max(COUNT.max)
  count: number;
}
