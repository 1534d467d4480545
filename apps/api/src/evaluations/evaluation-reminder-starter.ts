import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Db } from '../../../../libs/persistence/src';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import type { noticeDeliveryWorkflow } from '../../../../workflows/notices/notice-delivery.workflow';

/**
 * Starts the pending deliveries of one reminder round, each as noticeDeliveryWorkflow on its channel's task queue
 * (the same path as a dead letter's retry). The workflow id is the delivery's, so a repeated request never runs a
 * delivery twice; deliverNotice itself sends a delivery at most once.
 */
@Injectable()
export class EvaluationReminderStarter {
  constructor(
    private readonly db: Db,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async start(evaluationId: string, round: string): Promise<void> {
    const rows: { id: string; channel: string }[] = await this.db.query(
      `SELECT d.id, d.channel FROM notice_delivery d JOIN notice n ON n.id = d.notice_id
        WHERE n.evaluation_id = $1 AND n.dedupe_key LIKE $2 AND d.status = 'pending' ORDER BY d.id`,
      [evaluationId, `evaluation-reminder:${evaluationId}:%:${round}`],
    );
    const taskQueue = this.config.get('TEMPORAL_TASK_QUEUE', { infer: true });
    try {
      for (const d of rows) {
        await this.temporal.workflow
          .start<typeof noticeDeliveryWorkflow>('noticeDeliveryWorkflow', { taskQueue, workflowId: `notice-delivery/${d.id}`, args: [{ deliveryId: d.id, channel: d.channel as never }] })
          .catch((error) => {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          });
      }
    } catch (error) {
      throw new DomainError(ErrorCode.Unavailable, `the reminders are recorded but Temporal did not start their delivery (${(error as Error).message}); repeat the request with the same Idempotency-Key`);
    }
  }
}
