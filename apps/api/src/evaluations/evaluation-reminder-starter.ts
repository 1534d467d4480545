import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import type { noticeDeliveryWorkflow } from '../../../../workflows/notices/notice-delivery.workflow';
import { EvaluationRepository } from './evaluation.repository';

/**
 * Starts the pending deliveries of one reminder round, each as noticeDeliveryWorkflow on its channel's task queue
 * (the same path as a dead letter's retry). The workflow id is the delivery's, so a repeated request never runs a
 * delivery twice; deliverNotice itself sends a delivery at most once.
 */
@Injectable()
export class EvaluationReminderStarter {
  constructor(
    private readonly evaluations: EvaluationRepository,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async start(evaluationId: string, round: string): Promise<void> {
    const rows = await this.evaluations.reminderDeliveries(evaluationId, round);
    const taskQueue = this.config.get('TEMPORAL_TASK_QUEUE', { infer: true });
    try {
      for (const d of rows) {
        await this.temporal.workflow
          .start<typeof noticeDeliveryWorkflow>('noticeDeliveryWorkflow', {
            taskQueue,
            workflowId: `notice-delivery/${d.id}`,
            args: [{ deliveryId: d.id, channel: d.channel as never }],
          })
          .catch((error) => {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          });
      }
    } catch (error) {
      throw new DomainError(
        ErrorCode.Unavailable,
        `the reminders are recorded but Temporal did not start their delivery (${(error as Error).message}); repeat the request with the same Idempotency-Key`,
      );
    }
  }
}
