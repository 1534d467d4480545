import { AttendanceCheckActivities } from './attendance/attendance-check.activities';
import { CycleFanoutActivities } from './campaign/cycle-fanout.activities';
import { UnitReadModelActivities } from './campaign/unit-read-model.activities';
import { DiagnosticsActivities } from './diagnostics/diagnostics.activities';
import { NoticeDeliveryActivities } from './notices/notice-delivery.activities';

/**
 * The Nest providers that implement Temporal activities. Which of their methods the worker registers is listed by
 * name in collect-activities.ts — never found by reflection, so a helper method is never an activity.
 */
export const activityClasses = [
  DiagnosticsActivities,
  NoticeDeliveryActivities,
  UnitReadModelActivities,
  CycleFanoutActivities,
  AttendanceCheckActivities,
] as const;
