export * from './authorized.decorator';
export * from './roles';
export * from './unit-access.service';
export { Audited } from '../audit/audited.decorator';
export { AuditService } from '../audit/audit.service';
