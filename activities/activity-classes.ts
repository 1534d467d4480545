import { DiagnosticsActivities } from './diagnostics/diagnostics.activities';

/**
 * Nest providers whose public methods are registered as Temporal activities by the worker.
 * Method names must be unique across classes (checked at worker start).
 */
export const activityClasses = [DiagnosticsActivities] as const;
