import { Global, Module } from '@nestjs/common';
import { UnitWorkflowGateway } from './unit-workflow.gateway';

/** The one gateway every feature uses to talk to the campaign workflows (global: cycles, submissions, …). */
@Global()
@Module({ providers: [UnitWorkflowGateway], exports: [UnitWorkflowGateway] })
export class WorkflowGatewayModule {}
