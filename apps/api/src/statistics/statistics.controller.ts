import { Controller, Get, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { StatisticsRepository } from '@bianzhi/persistence';
import { Access } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api.responses';

export class RequestStatisticsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 60, default: 12, description: 'months back' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  months?: number;
}

export class StatusCount {
  @ApiProperty() status: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class RequestMonthView {
  @ApiProperty({ example: '2026-12', description: 'YYYY-MM in the office time zone' }) month: string;
  @ApiProperty({ type: 'integer', description: 'requests filed' }) created: number;
  @ApiProperty({ type: 'integer' }) implemented: number;
  @ApiProperty({ type: 'integer' }) rejected: number;
  @ApiProperty({ type: 'integer' }) withdrawn: number;
}

export class RequestStatistics {
  @ApiProperty({ type: [StatusCount], description: 'requests standing in each status now' }) byStatus: StatusCount[];
  @ApiProperty({ type: [RequestMonthView], description: 'oldest month first, the current month last' })
  byMonth: RequestMonthView[];
}

/** The county's request figures for the console's charts (编制统计). */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/statistics')
export class StatisticsController {
  private readonly utcOffsetHours: number;

  constructor(
    private readonly statistics: StatisticsRepository,
    config: ConfigService,
  ) {
    this.utcOffsetHours = Number(config.get('OFFICE_UTC_OFFSET') ?? 8);
  }

  @Access('GET /v1/statistics/requests')
  @Get('requests')
  @ApiOkResponse({ type: RequestStatistics })
  @ApiErrors(400, 401, 403, 503)
  async requests(@Query() q: RequestStatisticsQueryDto): Promise<RequestStatistics> {
    return {
      byStatus: await this.statistics.requestsByStatus(),
      byMonth: await this.statistics.requestsByMonth(new Date(), q.months ?? 12, this.utcOffsetHours),
    };
  }
}
