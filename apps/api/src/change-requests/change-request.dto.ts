import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  OFFICE_DECISIONS,
  OfficeDecisionChoice,
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
/**
 * A 来文号 such as 清卫健〔2026〕5号: units write theirs in many ways (brackets, spaces, Latin letters), so only
 * control and invisible format characters (line breaks, zero-width spaces) are refused.
 */
const REFERENCE_NUMBER = /^[^\p{Cc}\p{Cf}]+$/u;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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
  @ApiPropertyOptional({
    description: "来文号: the requesting unit's own document number (trimmed)",
    example: '清卫健〔2026〕5号',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  @Matches(REFERENCE_NUMBER, { message: '$property must not contain control characters or line breaks' })
  referenceNumber?: string;
  @ApiPropertyOptional({
    description: '抄送: unit ids, each an existing active unit (422 UNIT_NOT_FOUND / UNIT_NOT_ACTIVE naming copyTo[i])',
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: 50,
    uniqueItems: true,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  copyTo?: string[];
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

/** The office director's decision (编办主任办公会议); a rejection says why. */
export class DecideDto {
  @ApiProperty({ enum: OFFICE_DECISIONS }) @IsIn(OFFICE_DECISIONS) decision: OfficeDecisionChoice;
  @ApiPropertyOptional({ description: 'required to reject' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  comment?: string;
}

/** The office's retry of a stalled step of implementation, once its cause is put right. */
export class RetryDto {
  @ApiPropertyOptional({ description: 'what was put right' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  comment?: string;
}
