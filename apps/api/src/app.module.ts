import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@bianzhi/persistence';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChangeRequestsModule } from './change-requests/change-requests.module';
import { CommitteeModule } from './committee/committee.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { StorableTextGuard } from './common/storable-text.guard';
import { HealthModule } from './health/health.module';
import { PersistenceModule } from './persistence/persistence.module';
import { PreviewModule } from './preview/preview.module';
import { RegistryModule } from './registry/registry.module';
import { TemporalModule } from './temporal/temporal.module';
import { WorkItemsModule } from './work-items/work-items.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        ...dataSourceOptions(config.getOrThrow<string>('DATABASE_URL')),
        migrationsRun: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
    // Sign-in is rate limited per client address; nothing else is.
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => [
        {
          name: 'login',
          ttl: 60_000,
          limit: Number(config.get('LOGIN_RATE_LIMIT') ?? 20),
          skipIf: (ctx) => !ctx.switchToHttp().getRequest().url.startsWith('/v1/auth/login'),
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
