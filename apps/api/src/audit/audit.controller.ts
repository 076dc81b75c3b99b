import { Body, Controller, Get, Ip, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
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
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AuthUser } from '@bianzhi/auth';
import { PROBLEM_SEQS_LISTED } from '@bianzhi/audit';
import { Access, CurrentUser } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';
import {
  AcknowledgementView,
  AuditRecordView,
  CheckpointView,
  ConsistencyProof,
  InclusionProof,
  PublicKeyView,
  StoredCheckpointView,
  VerifyResultDto,
} from './audit.responses';
import { AuditLogService } from './audit-log.service';

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
  @ApiPropertyOptional({ description: "one action, e.g. voted or document_issued (the trail's names)" })
  @IsOptional()
  @Matches(/^[a-z_]{1,64}$/, { message: 'action is a lower-case name such as voted' })
  action?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  afterSeq?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
}

export class InclusionQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) seq: number;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) treeSize: number;
}

export class ConsistencyQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) from: number;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) to: number;
}

export class CheckpointsQueryDto {
  @ApiPropertyOptional({ description: 'only checkpoints of a larger tree size' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
}

/** The reason's least length, in characters other than white space: it says what was found and by whom. */
export const ACKNOWLEDGEMENT_REASON_MIN = 10;

export class AcknowledgeRecordsDto {
  @ApiProperty({
    type: 'integer',
    isArray: true,
    minItems: 1,
    maxItems: PROBLEM_SEQS_LISTED,
    description:
      "the seqs of records that are not the application's, as GET /v1/audit/verify lists them (unsignedRecords, " +
      "forgedRecords) or the security log's audit_checkpoint_refused event",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROBLEM_SEQS_LISTED)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(Number.MAX_SAFE_INTEGER, { each: true })
  seqs: number[];

  @ApiProperty({
    minLength: ACKNOWLEDGEMENT_REASON_MIN,
    maxLength: 2000,
    description: 'what was found, who looked and what was done: written into the trail',
  })
  @IsString()
  @MaxLength(2000)
  @Matches(new RegExp(`^\\s*(\\S\\s*){${ACKNOWLEDGEMENT_REASON_MIN},}$`), {
    message: `reason says what was found, in at least ${ACKNOWLEDGEMENT_REASON_MIN} characters`,
  })
  reason: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  @Access('GET /v1/audit')
  @Get()
  @ApiOkResponse({ type: [AuditRecordView] })
  @ApiErrors(400, 401, 403, 503)
  list(@Query() q: AuditQueryDto): Promise<AuditRecordView[]> {
    return this.log.records(q);
  }

  @Access('GET /v1/audit/verify')
  @Get('verify')
  @ApiOkResponse({ type: VerifyResultDto })
  @ApiErrors(401, 403, 503)
  verify(): Promise<VerifyResultDto> {
    return this.log.verify();
  }

  @Access('GET /v1/audit/checkpoint')
  @Get('checkpoint')
  @ApiOkResponse({ type: CheckpointView })
  @ApiErrors(401, 403, 409, 503)
  checkpoint(): Promise<CheckpointView> {
    return this.log.checkpoint();
  }

  @Access('POST /v1/audit/forged-records/acknowledgements')
  @Post('forged-records/acknowledgements')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: AcknowledgementView })
  @ApiErrors(400, 401, 403, 409, 422, 503)
  acknowledge(
    @CurrentUser() user: AuthUser,
    @Body() dto: AcknowledgeRecordsDto,
    @Ip() ip: string,
  ): Promise<AcknowledgementView> {
    return this.log.acknowledge(user, dto, ip ?? null);
  }

  @Access('GET /v1/audit/checkpoints')
  @Get('checkpoints')
  @ApiOkResponse({ type: [StoredCheckpointView] })
  @ApiErrors(400, 401, 403, 503)
  checkpoints(@Query() q: CheckpointsQueryDto): Promise<StoredCheckpointView[]> {
    return this.log.storedCheckpoints(q.after, q.limit);
  }

  @Access('GET /v1/audit/public-key')
  @Get('public-key')
  @ApiOkResponse({ type: PublicKeyView })
  @ApiErrors(401, 403, 503)
  publicKey(): Promise<PublicKeyView> {
    return this.log.publicKey();
  }

  @Access('GET /v1/audit/proofs/inclusion')
  @Get('proofs/inclusion')
  @ApiOkResponse({ type: InclusionProof })
  @ApiErrors(400, 401, 403, 409, 503)
  inclusion(@Query() q: InclusionQueryDto): Promise<InclusionProof> {
    return this.log.inclusion(q.seq, q.treeSize);
  }

  @Access('GET /v1/audit/proofs/consistency')
  @Get('proofs/consistency')
  @ApiOkResponse({ type: ConsistencyProof })
  @ApiErrors(400, 401, 403, 409, 503)
  consistency(@Query() q: ConsistencyQueryDto): Promise<ConsistencyProof> {
    return this.log.consistency(q.from, q.to);
  }
}
