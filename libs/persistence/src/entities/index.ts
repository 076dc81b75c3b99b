export * from './user.entity';
export * from './unit.entity';
export * from './establishment.entity';
export * from './change-request.entity';
export * from './audit-record.entity';
export * from './idempotency-key.entity';
export * from './attachment.entity';
export * from './meeting.entity';
