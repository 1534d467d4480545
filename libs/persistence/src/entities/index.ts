import { AuditLogRow, UserRow } from './auth-audit.entity';
import { CampaignCycleRow, CyclePlanRow, CycleUnitRow } from './campaign-cycle.entity';
import { CampaignTemplateRow } from './campaign-template.entity';
import { DiagnosticRoundTrip } from './diagnostic-round-trip.entity';
import { InboxMessageRow, NoticeDeliveryRow } from './notification.entity';
import { NoticeRow, UnitEventRow, UnitStepStatusRow } from './read-model.entity';
import { UnitRow } from './unit.entity';

export * from './auth-audit.entity';
export * from './campaign-cycle.entity';
export * from './campaign-template.entity';
export * from './diagnostic-round-trip.entity';
export * from './notification.entity';
export * from './read-model.entity';
export * from './unit.entity';

/** Every entity, listed explicitly so compiled code, Jest and the migration runner see the same set. */
export const allEntities = [
  DiagnosticRoundTrip,
  CampaignTemplateRow,
  UnitRow,
  CampaignCycleRow,
  CyclePlanRow,
  CycleUnitRow,
  UnitStepStatusRow,
  UnitEventRow,
  NoticeRow,
  NoticeDeliveryRow,
  InboxMessageRow,
  UserRow,
  AuditLogRow,
];
