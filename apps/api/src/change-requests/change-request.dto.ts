import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  OPINION_POSITIONS,
  OpinionPosition,
  REQUEST_STATUSES,
  REQUEST_TYPES,
  RequestStatus,
  RequestType,
  REVIEW_DECISIONS,
  ReviewDecision,
  VOTE_CHOICES,
  VoteChoice,
} from '@bianzhi/domain';
import { PAYLOAD_DTO_CLASSES, PAYLOAD_SCHEMA } from './payload.dto';

const TEXT = 20_000; // 理由 and comments: long Chinese text is normal, within a bound

@ApiExtraModels(...PAYLOAD_DTO_CLASSES)
export class CreateChangeRequestDto {
  @ApiProperty({ enum: REQUEST_TYPES }) @IsIn(REQUEST_TYPES) type: RequestType;
  @ApiProperty({ description: "the requesting unit: the clerk's own" }) @IsUUID() unitId: string;
  @ApiProperty() @IsString() @Length(1, 300) title: string;
  @ApiProperty({ description: '理由' }) @IsString() @Length(1, TEXT) justification: string;
  @ApiProperty(PAYLOAD_SCHEMA)
  @IsObject()
  payload: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() submit?: boolean;
}

export class ListChangeRequestsQueryDto {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES }) @IsOptional() @IsIn(REQUEST_STATUSES) status?: RequestStatus;
  @ApiPropertyOptional({ enum: REQUEST_TYPES }) @IsOptional() @IsIn(REQUEST_TYPES) type?: RequestType;
  @ApiPropertyOptional() @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class WithdrawDto {
  @ApiProperty() @IsString() @Length(1, TEXT) reason: string;
}

export class ReviseDto {
  @ApiPropertyOptional(PAYLOAD_SCHEMA) @IsOptional() @IsObject() payload?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, TEXT) justification?: string;
  @ApiProperty() @IsString() @Length(1, TEXT) comment: string;
}

export class ConsultationsDto {
  @ApiProperty({ type: String, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  unitIds: string[];
  @ApiProperty({ description: 'ISO 8601 timestamp' }) @IsDateString({ strict: true }) dueAt: string;
}

export class OpinionDto {
  @ApiProperty({ enum: OPINION_POSITIONS }) @IsIn(OPINION_POSITIONS) position: OpinionPosition;
  @ApiProperty() @IsString() @Length(1, TEXT) comment: string;
}

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_DECISIONS }) @IsIn(REVIEW_DECISIONS) decision: ReviewDecision;
  @ApiPropertyOptional({ description: 'required to return or reject' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  comment?: string;
}

export class VoteDto {
  @ApiProperty({ enum: VOTE_CHOICES }) @IsIn(VOTE_CHOICES) vote: VoteChoice;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) comment?: string;
}

export class HigherDecisionDto {
  @ApiProperty() @IsBoolean() approved: boolean;
  @ApiProperty({ description: "the higher authority's document number" })
  @IsString()
  @Length(1, 100)
  documentNumber: string;
  @ApiProperty() @IsString() @Length(1, TEXT) comment: string;
}
