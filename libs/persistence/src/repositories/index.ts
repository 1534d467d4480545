import { AttendanceRepository } from './attendance.repository';
import { CycleFanoutRepository } from './cycle-fanout.repository';
import { CycleLookupRepository } from './cycle-lookup.repository';
import { SubmissionSyncRepository } from './submission-sync.repository';
import { UnitSecretRepository } from './unit-secret.repository';
import { WorkerHeartbeatRepository } from './worker-heartbeat.repository';

export * from './attendance.repository';
export * from './cycle-fanout.repository';
export * from './cycle-lookup.repository';
export * from './submission-sync.repository';
export * from './unit-secret.repository';
export * from './worker-heartbeat.repository';

/** Repositories used by more than one app (api, worker) or api feature: provided by the global PersistenceModule. */
export const sharedRepositories = [
  AttendanceRepository,
  CycleFanoutRepository,
  CycleLookupRepository,
  SubmissionSyncRepository,
  UnitSecretRepository,
  WorkerHeartbeatRepository,
];
