import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Client, WorkflowClientInterceptor } from '@temporalio/client';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import { UpdateRejectionRepository } from './update-rejection.repository';

/**
 * A Temporal client interceptor installed on the api's client: when a workflow answers an update with a failure
 * (the unit workflow's validators: "step not open", "already decided", …) it appends a workflow_update_rejection row, so the admin
 * timeline can show the refused attempt. Temporal's own history drops rejected updates entirely, and the features
 * that send updates (cycles, submissions) need no change to be covered.
 */
@Injectable()
export class UpdateRejectionRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('Inspection');
  private readonly interceptor: WorkflowClientInterceptor = {
    startUpdate: async (input, next) => {
      const output = await next(input);
      const failure = output.outcome?.failure;
      if (failure) {
        const arg = input.args[0] as { actor?: unknown } | undefined;
        await this.rejections
          .insert({
            workflowId: input.workflowExecution.workflowId,
            runId: output.workflowRunId ?? null,
            update: input.updateName,
            updateId: output.updateId ?? null,
            actor: typeof arg?.actor === 'string' ? arg.actor : null,
            args: arg ?? null,
            reason: failure.message ?? 'refused',
          })
          .catch((error) => this.log.warn(`could not record a rejected update: ${(error as Error).message}`));
      }
      return output;
    },
  };

  constructor(
    @InjectTemporalClient() private readonly client: Client,
    private readonly rejections: UpdateRejectionRepository,
  ) {}

  onModuleInit(): void {
    const options = this.client.workflow.options as { interceptors?: unknown };
    if (options.interceptors === undefined) options.interceptors = [];
    if (Array.isArray(options.interceptors)) options.interceptors.push(this.interceptor);
    else this.log.warn('the Temporal client uses interceptor factories; rejected updates are not recorded');
  }

  onModuleDestroy(): void {
    const list = (this.client.workflow.options as { interceptors?: unknown }).interceptors;
    // The client can outlive this module (tests hand the same client to several apps): leave no interceptor behind.
    const at = Array.isArray(list) ? list.indexOf(this.interceptor) : -1;
    if (at >= 0) (list as unknown[]).splice(at, 1);
  }
}
