import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Access } from '../auth/auth.decorators';
import { AuditLogService } from './audit-log.service';

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
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

/** What `GET /v1/audit/verify` answers (docs/api.md, "Audit"), with the trail's generated columns' check beside it. */
export class VerifyResultDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'records read, in seq order' }) records: number;
  @ApiProperty({ description: 'the hash of the last record (64 zeros for an empty trail)' }) headHash: string;
  @ApiPropertyOptional({ description: 'the first seq where the chain breaks: a wrong hash, a wrong link, or a gap' })
  firstBrokenSeq?: number;
  @ApiPropertyOptional({
    type: [String],
    description: 'columns no longer generated from the hashed record text as the schema defines them',
  })
  derivedColumnsAltered?: string[];
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  @Access('GET /v1/audit')
  @Get()
  list(@Query() q: AuditQueryDto) {
    return this.log.records(q);
  }

  @Access('GET /v1/audit/verify')
  @Get('verify')
  @ApiOkResponse({ type: VerifyResultDto })
  verify(): Promise<VerifyResultDto> {
    return this.log.verify();
  }

  @Access('GET /v1/audit/checkpoint')
  @Get('checkpoint')
  checkpoint() {
    return this.log.checkpoint();
  }

  @Access('GET /v1/audit/public-key')
  @Get('public-key')
  publicKey() {
    return this.log.publicKey();
  }

  @Access('GET /v1/audit/proofs/inclusion')
  @Get('proofs/inclusion')
  inclusion(@Query() q: InclusionQueryDto) {
    return this.log.inclusion(q.seq, q.treeSize);
  }

  @Access('GET /v1/audit/proofs/consistency')
  @Get('proofs/consistency')
  consistency(@Query() q: ConsistencyQueryDto) {
    return this.log.consistency(q.from, q.to);
  }
}
