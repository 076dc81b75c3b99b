import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditHash, contentOf, GENESIS_HASH } from '../../../../libs/audit/src';
import { AuditRecordEntity } from '../../../../libs/persistence/src';
import { Roles } from '../auth/auth.decorators';

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({ strict: true }) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) afterSeq?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/audit')
export class AuditController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async list(@Query() q: AuditQueryDto) {
    const qb = this.db.getRepository(AuditRecordEntity).createQueryBuilder('a').orderBy('a.seq', 'ASC').take(q.limit ?? 1000);
    if (q.from) qb.andWhere('a.at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.at <= :to', { to: new Date(q.to) });
    if (q.actor) qb.andWhere('a.actor = :actor', { actor: q.actor });
    if (q.requestId) qb.andWhere('a.request_id = :rid', { rid: q.requestId });
    if (q.afterSeq !== undefined) qb.andWhere('a.seq > :after', { after: q.afterSeq });
    const rows = await qb.getMany();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Recomputes the chain in batches (flat memory), reporting the first broken seq. */
  @Get('verify')
  async verify() {
    const batch = 5000;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1n;
    let count = 0;
    let firstBrokenSeq: number | undefined;
    for (let after = 0n; ; ) {
      const rows = await this.db.getRepository(AuditRecordEntity).createQueryBuilder('a').where('a.seq > :after', { after: after.toString() }).orderBy('a.seq', 'ASC').take(batch).getMany();
      for (const r of rows) {
        const seq = BigInt(r.seq);
        count += 1;
        if (firstBrokenSeq === undefined) {
          // A gap (a deleted record), a wrong link or a wrong hash all break the chain here.
          if (seq !== expectedSeq || r.prevHash !== prevHash || auditHash(contentOf(r), r.prevHash) !== r.hash) firstBrokenSeq = Number(seq < expectedSeq ? seq : expectedSeq);
        }
        prevHash = r.hash;
        expectedSeq = seq + 1n;
        after = seq;
      }
      if (rows.length < batch) break;
    }
    return { valid: firstBrokenSeq === undefined, records: count, headHash: count ? prevHash : GENESIS_HASH, ...(firstBrokenSeq !== undefined ? { firstBrokenSeq } : {}) };
  }
}
