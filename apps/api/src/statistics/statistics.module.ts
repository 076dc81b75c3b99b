import { Module } from '@nestjs/common';
import { StatisticsController } from './statistics.controller';

/** The county's figures beyond the registry's summary: requests by status and by month. */
@Module({ controllers: [StatisticsController] })
export class StatisticsModule {}
