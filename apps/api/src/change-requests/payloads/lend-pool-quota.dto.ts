import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsString, Matches, ValidateNested } from 'class-validator';
import { UnitCategoryCountDto } from './common';

export class LoanLineDto extends UnitCategoryCountDto {}

/** LEND_POOL_QUOTA (使用周转池编制). */
export class LendPoolQuotaPayloadDto {
  @ApiProperty({ type: [LoanLineDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LoanLineDto)
  loans: LoanLineDto[];
  @ApiProperty({
    format: 'date',
    example: '2027-06-30',
    description: 'when the loans come back to the pool: a calendar date after today and within three years',
  })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  // strict: a day the month has (2026-02-30 and 2026-13-01 are refused); past or too far is the rule INVALID_DUE_DATE.
  @IsISO8601({ strict: true }, { message: 'dueDate must be a real calendar date' })
  dueDate: string;
}
