import { Global, Module } from '@nestjs/common';
import { AuditLogController } from './audit-log.controller';
import { AuditInterceptor } from './audited.decorator';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** Global so any feature can use @Audited(...) or inject AuditService without importing this module. */
@Global()
@Module({
  controllers: [AuditLogController],
  providers: [AuditService, AuditRepository, AuditInterceptor],
  exports: [AuditService, AuditInterceptor],
})
export class AuditModule {}
