import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CommitteeController } from './committee.controller';

/** The establishment committee (编委会): who its active members are. */
@Module({ imports: [AuthModule], controllers: [CommitteeController] })
export class CommitteeModule {}
