import type { Type } from '@nestjs/common';
import { AttendanceCheckActivities } from './attendance/attendance-check.activities';
import { CycleFanoutActivities } from './campaign/cycle-fanout.activities';
import { UnitReadModelActivities } from './campaign/unit-read-model.activities';
import { DiagnosticsActivities } from './diagnostics/diagnostics.activities';
import { NoticeDeliveryActivities } from './notices/notice-delivery.activities';
import type { NoticeDeliveryActivities as NoticeDeliveryContract } from './notices/notice-delivery.contract';

/** The public promise-returning members of T: what a workflow's `proxyActivities<T>()` lets it call (TS `private` members are not keys of T). */
type ActivityNames<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T];

/** Exactly the activities of T as a workflow sees them. */
export type ActivitiesOf<T> = Pick<T, ActivityNames<T>>;

/** Every activity of the main task queue, by the types the workflows import (`import type`) and proxy. */
export type WorkerActivities = ActivitiesOf<DiagnosticsActivities> &
  ActivitiesOf<NoticeDeliveryContract> &
  ActivitiesOf<UnitReadModelActivities> &
  ActivitiesOf<CycleFanoutActivities> &
  ActivitiesOf<AttendanceCheckActivities>;

/**
 * The activity functions the main worker registers, by name, each bound to its Nest provider. The return type makes
 * the list exact: leaving out an activity a workflow can call, or listing a name the workflows' types do not have
 * (a private helper), does not compile; a name listed twice does not either.
 */
export function collectActivities(resolve: <T>(cls: Type<T>) => T): WorkerActivities {
  const diagnostics = resolve(DiagnosticsActivities);
  const notices = resolve(NoticeDeliveryActivities);
  const readModel = resolve(UnitReadModelActivities);
  const fanout = resolve(CycleFanoutActivities);
  const attendance = resolve(AttendanceCheckActivities);
  return {
    recordRoundTrip: diagnostics.recordRoundTrip.bind(diagnostics),
    deliverNotice: notices.deliverNotice.bind(notices),
    recordUnitTransition: readModel.recordUnitTransition.bind(readModel),
    recordNotice: readModel.recordNotice.bind(readModel),
    loadCycleOrdinalRange: fanout.loadCycleOrdinalRange.bind(fanout),
    startUnitWorkflowBatch: fanout.startUnitWorkflowBatch.bind(fanout),
    signalUnitWorkflowBatch: fanout.signalUnitWorkflowBatch.bind(fanout),
    setCycleStatus: fanout.setCycleStatus.bind(fanout),
    countUnfinishedUnits: fanout.countUnfinishedUnits.bind(fanout),
    checkAttendanceHours: attendance.checkAttendanceHours.bind(attendance),
  };
}
