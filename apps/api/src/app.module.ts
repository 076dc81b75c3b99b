import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@bianzhi/persistence';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthController } from './auth/auth.controller';
import { AuthModule } from './auth/auth.module';
import { ChangeRequestsModule } from './change-requests/change-requests.module';
import { CommitteeModule } from './committee/committee.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { StorableTextGuard } from './common/storable-text.guard';
import { HealthModule } from './health/health.module';
import { MeetingsModule } from './meetings/meetings.module';
import { DocumentsModule } from './documents/documents.module';
import { StatisticsModule } from './statistics/statistics.module';
import { PersistenceModule } from './persistence/persistence.module';
import { PeopleModule } from './people/people.module';
import { PreviewModule } from './preview/preview.module';
import { RegistryModule } from './registry/registry.module';
import { TemporalModule } from './temporal/temporal.module';
import { WorkItemsModule } from './work-items/work-items.module';

/** The AuthController handlers the sign-in rate limit counts. */
const RATE_LIMITED = ['login', 'changePassword'];

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        // As the application's role; the schema is migrated beforehand by `npm run migrate`, never here
        // (PersistenceModule checks both at start).
        ...dataSourceOptions(config.getOrThrow<string>('DATABASE_URL')),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
    // Sign-in (and the password change) is rate limited per client address; nothing else is. Whether a request
    // counts is decided by the route's handler, never by the raw URL: Express routes /V1/AUTH/LOGIN/ to the same
    // handler, and the throttler keys its counter by class, handler and address (docs/architecture.md).
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => [
        {
          name: 'login',
          ttl: 60_000,
          limit: Number(config.get('LOGIN_RATE_LIMIT') ?? 20),
          skipIf: (ctx) => ctx.getClass() !== AuthController || !RATE_LIMITED.includes(ctx.getHandler().name),
        },
      ],
    }),
    PersistenceModule,
    TemporalModule,
    AuthModule,
    CommitteeModule,
    RegistryModule,
    // Before ChangeRequestsModule, so that POST /v1/change-requests/preview is routed ahead of its `:id` routes.
    PreviewModule,
    ChangeRequestsModule,
    AttachmentsModule,
    MeetingsModule,
    DocumentsModule,
    StatisticsModule,
    PeopleModule,
    WorkItemsModule,
    AuditModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: StorableTextGuard },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
