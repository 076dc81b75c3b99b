import { Module } from '@nestjs/common';
import { AuditLogService } from './audit-log.service';
import { AuditController } from './audit.controller';

/** The audit trail for auditors: listing and verifying the hash chain. */
@Module({ controllers: [AuditController], providers: [AuditLogService], exports: [AuditLogService] })
export class AuditModule {}
