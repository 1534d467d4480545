import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import type { Env } from '../../../../libs/config/src';
import { AuditModule } from '../audit/audit.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BootstrapAdmin } from './bootstrap-admin';
import { jwtSigningKey, resolveJwtSecret } from './jwt-secret';
import { LoginThrottle } from './login-throttle';
import { UnitAccessRepository } from './unit-access.repository';
import { UnitAccessService } from './unit-access.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Global: @Authorized(...) (its guard needs JwtService), UnitAccessService and the audit log are usable from every
 * feature module without imports.
 */
@Global()
@Module({
  imports: [
    AuditModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const key = jwtSigningKey(
          resolveJwtSecret({
            NODE_ENV: config.get('NODE_ENV', { infer: true }),
            JWT_SECRET: config.get('JWT_SECRET', { infer: true }),
          }),
        );
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256' as const },
          verifyOptions: { algorithms: ['HS256' as const] },
        };
      },
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    LoginThrottle,
    UsersService,
    UsersRepository,
    BearerAuthGuard,
    UnitAccessService,
    UnitAccessRepository,
    BootstrapAdmin,
  ],
  exports: [JwtModule, BearerAuthGuard, UnitAccessService, UsersService, AuditModule],
})
export class AuthModule {}
