import { Diagnostics1763700000000 } from './1763700000000-diagnostics';
import { CampaignCore1763700100000 } from './1763700100000-campaign-core';
import { Notifications1763700400000 } from './1763700400000-notifications';
import { AuthAudit1763700500000 } from './1763700500000-auth-audit';
import { Submissions1763700510000 } from './1763700510000-submissions';
import { Evaluations1763700520000 } from './1763700520000-evaluations';
import { UpdateRejections1763700700000 } from './1763700700000-update-rejections';
import { Commitments1763700710000 } from './1763700710000-commitments';
import { LoginThrottleIndex1763700530000 } from './1763700530000-login-throttle-index';
import { Attendance1763700800000 } from './1763700800000-attendance';
import { SubmissionConcurrency1764000000000 } from './1764000000000-submission-concurrency';
import { SecurityHardening1764100000000 } from './1764100000000-security-hardening';
import { NoticesNeverVanish1764200000000 } from './1764200000000-notices-never-vanish';
import { ProgressCells1764400000000 } from './1764400000000-progress-cells';
import { EvaluationReminderNotices1764600000000 } from './1764600000000-evaluation-reminder-notices';
import { PortalTasks1764700000000 } from './1764700000000-portal-tasks';
import { NoticeOutboxDispatch1764800000000 } from './1764800000000-notice-outbox-dispatch';
import { CycleUnitSteering1764812000000 } from './1764812000000-cycle-unit-steering';

/** Timestamped raw-SQL migrations in order. `synchronize` is off everywhere. */
export const allMigrations = [
  Diagnostics1763700000000,
  CampaignCore1763700100000,
  Notifications1763700400000,
  AuthAudit1763700500000,
  Submissions1763700510000,
  Evaluations1763700520000,
  LoginThrottleIndex1763700530000,
  UpdateRejections1763700700000,
  Commitments1763700710000,
  Attendance1763700800000,
  SubmissionConcurrency1764000000000,
  SecurityHardening1764100000000,
  NoticesNeverVanish1764200000000,
  ProgressCells1764400000000,
  EvaluationReminderNotices1764600000000,
  PortalTasks1764700000000,
  NoticeOutboxDispatch1764800000000,
  CycleUnitSteering1764812000000,
];
