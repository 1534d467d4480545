import { Global, Module } from '@nestjs/common';
import { AuditInterceptor } from './audited.decorator';
import { AuditService } from './audit.service';

/** Global so any feature can use @Audited(...) or inject AuditService without importing this module. */
@Global()
@Module({ providers: [AuditService, AuditInterceptor], exports: [AuditService, AuditInterceptor] })
export class AuditModule {}
