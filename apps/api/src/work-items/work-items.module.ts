import { Module } from '@nestjs/common';
import { WorkItemsController } from './work-items.controller';

/** The web console's work lists (待办 / 已办), read from the read model and the audit trail. */
@Module({ controllers: [WorkItemsController] })
export class WorkItemsModule {}
