import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { REQUEST_STATUSES, REQUEST_TYPES } from '@bianzhi/domain';
import { WORK_ACTIONS } from '@bianzhi/persistence';

// The work lists' query and answers (待办 / 已办), described for the OpenAPI document.

export class DoneQueryDto {
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class WorkItemResponse {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: REQUEST_TYPES }) type: string;
  @ApiProperty({ enum: REQUEST_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid', description: 'the requesting unit' }) unitId: string;
  @ApiProperty({ type: String, nullable: true }) unitName: string | null;
  @ApiProperty({ enum: WORK_ACTIONS, description: 'what the caller is to do' }) action: string;
  @ApiPropertyOptional({ format: 'date-time', description: "a consultation's due time or a vote's deadline" })
  dueAt?: string;
  @ApiProperty({ description: 'past its due time (催办)' }) overdue: boolean;
  @ApiProperty({ format: 'date-time', description: 'since when it has been waiting for the caller' }) since: string;
}

export class WorkItemsResponse {
  @ApiProperty({ type: WorkItemResponse, isArray: true, description: 'oldest first' }) items: WorkItemResponse[];
  @ApiProperty() total: number;
}

export class DoneItemResponse {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: REQUEST_TYPES }) type: string;
  @ApiProperty({ enum: REQUEST_STATUSES, description: "the request's status now" }) status: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ type: String, nullable: true }) unitName: string | null;
  @ApiProperty({ description: "the caller's last action on the request, as the audit trail names it" })
  action: string;
  @ApiProperty({ format: 'date-time' }) actedAt: string;
}

export class DoneItemsResponse {
  @ApiProperty({ type: DoneItemResponse, isArray: true, description: 'newest first' }) items: DoneItemResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
