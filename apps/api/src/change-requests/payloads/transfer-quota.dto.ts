import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { Category, CATEGORIES } from '@bianzhi/domain';
import { COUNT } from './common';

export class TransferLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fromUnitId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toUnitId: string;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
  @ApiProperty({ type: 'integer', minimum: COUNT.min, maximum: COUNT.max })
  @IsInt()
  @Min(COUNT.min)
  @Max(COUNT.max)
  count: number;
}

/** TRANSFER_QUOTA (编制调剂/划转). */
export class TransferQuotaPayloadDto {
  @ApiProperty({ type: [TransferLineDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TransferLineDto)
  lines: TransferLineDto[];
}
