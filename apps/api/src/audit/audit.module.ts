import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** The audit trail for auditors: listing and verifying the hash chain. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
