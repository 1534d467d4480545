import { AttendanceCheckActivities } from './attendance/attendance-check.activities';
import { CycleFanoutActivities } from './campaign/cycle-fanout.activities';
import { UnitReadModelActivities } from './campaign/unit-read-model.activities';
import { DiagnosticsActivities } from './diagnostics/diagnostics.activities';
import { NoticeDeliveryActivities } from './notices/notice-delivery.activities';

/**
 * Nest providers whose public methods are registered as Temporal activities by the worker.
 * Method names must be unique across classes (checked at worker start).
 */
export const activityClasses = [DiagnosticsActivities, NoticeDeliveryActivities, UnitReadModelActivities, CycleFanoutActivities, AttendanceCheckActivities] as const;
