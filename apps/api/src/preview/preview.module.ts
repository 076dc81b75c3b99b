import { Module } from '@nestjs/common';
import { ChangeRequestsModule } from '../change-requests/change-requests.module';
import { PreviewController } from './preview.controller';

/** A change request's preview (diff, violations, referral) for the console's form, apart from the procedure. */
@Module({ imports: [ChangeRequestsModule], controllers: [PreviewController] })
export class PreviewModule {}
