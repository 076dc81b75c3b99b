import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { Clock } from '../common/clock';
import { AuthController, SecurityEventsController, UsersController } from './auth.controller';
import { JwtAuthGuard, RolesGuard } from './auth.guards';
import { JwtStrategy } from './jwt.strategy';
import { SecurityLogService } from './security-log.service';
import { UsersService } from './users.service';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>('JWT_SECRET') }),
    }),
  ],
  controllers: [AuthController, UsersController, SecurityEventsController],
  providers: [
    UsersService,
    SecurityLogService,
    Clock,
    JwtStrategy,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [UsersService, SecurityLogService, Clock],
})
export class AuthModule {}
