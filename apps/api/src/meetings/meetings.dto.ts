import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';

/** `POST /v1/meetings`: a meeting and its agenda (议题), each request in the committee stage. */
export class CreateMeetingDto {
  @ApiProperty({ example: '县委编委会2026年第1次会议' }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ description: 'ISO 8601 timestamp: when the meeting is held' })
  @IsDateString({ strict: true })
  heldAt: string;
  @ApiProperty({ type: String, isArray: true, description: 'the agenda, in order: requests in `committee`' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  requestIds: string[];
}

export class ListMeetingsQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}
