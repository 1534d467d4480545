import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { durationMs, type Env } from '../../../../libs/config/src';
import { Db } from '../../../../libs/persistence/src';
import {
  followStepInSubmission,
  submissionsBehindTheirStep,
} from '../../../../libs/persistence/src/submissions/submission-sync';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import { SubmissionReconcilerRepository } from './submission-reconciler.repository';
import { SubmissionRepository } from './submission.repository';

export interface ReconcileReport {
  /** Half-done submits the workflow had accepted: the row now says what the workflow says. */
  settled: number;
  /** Half-done submits the workflow never took: the version is removed and the row is back to draft / returned. */
  undone: number;
  /** Rows whose step the read model shows moved on (waived, cancelled, decided on another road): now following it. */
  followed: number;
}

/** How far past the update deadline a `submitting` row must be before the reconciler decides it. */
const GRACE_MS = 5_000;
const BATCH = 200;

/**
 * Repairs submissions from the workflow's own state, every SUBMISSION_RECONCILE_INTERVAL:
 * 1. a submit left half-done (row `submitting`: the api stopped, or Temporal did not answer in time) — the unit
 *    workflow is asked: if its step holds this version, the row follows the step; if not, the intent is undone
 *    (version removed, row back to draft/returned, the unfinished Idempotency-Key claim released);
 * 2. rows whose step the read model shows moved on without them (rows stuck before the read-model activity
 *    followed steps, or whose follow-up failed).
 * Safe to run from several api processes at once: every change is a guarded update under the row's lock.
 */
@Injectable()
export class SubmissionReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('SubmissionReconciler');
  private readonly intervalMs: number;
  private readonly graceMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: Db,
    private readonly rows: SubmissionRepository,
    private readonly claims: SubmissionReconcilerRepository,
    private readonly gateway: UnitWorkflowGateway,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = durationMs(config.get('SUBMISSION_RECONCILE_INTERVAL', { infer: true }));
    this.graceMs = durationMs(config.get('WORKFLOW_UPDATE_TIMEOUT', { infer: true })) + GRACE_MS;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.reconcile()
        .catch((error) => this.log.warn(`reconciling submissions failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; `olderThanMs` overrides the grace (tests). */
  async reconcile(olderThanMs = this.graceMs): Promise<ReconcileReport> {
    const report: ReconcileReport = { settled: 0, undone: 0, followed: 0 };
    for (const row of await this.rows.halfDoneSubmits(olderThanMs, BATCH)) {
      let status;
      try {
        status = await this.gateway.status(row.workflow_id);
      } catch {
        continue; // Temporal unavailable: decided on a later pass
      }
      const step = status?.steps.find((s) => s.key === row.step_key);
      await this.db.transaction(async () => {
        if (step?.lastSubmissionId === row.version_id) {
          if (await followStepInSubmission(this.db.manager, row.cycle_id, row.unit_id, row.step_key, step))
            report.settled += 1;
        } else if (await this.rows.undoSubmit(row.id, row.version_id, row.current_version)) {
          await this.claims.releaseUnfinishedClaims(`POST /api/submissions/${row.id}/submit`);
          report.undone += 1;
        }
      });
    }
    for (const r of await submissionsBehindTheirStep(this.db.manager, BATCH)) {
      if (
        await this.db.transaction(() => followStepInSubmission(this.db.manager, r.cycleId, r.unitId, r.stepKey, r.step))
      )
        report.followed += 1;
    }
    if (report.settled + report.undone + report.followed)
      this.log.log(`submissions reconciled: ${JSON.stringify(report)}`);
    return report;
  }
}
