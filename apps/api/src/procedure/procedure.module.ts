import { Module } from '@nestjs/common';
import { WorkflowGateway } from './workflow-gateway.service';

/** The procedure kit's API side: the gateway to workflows' Updates, for every module that runs a procedure. */
@Module({ providers: [WorkflowGateway], exports: [WorkflowGateway] })
export class ProcedureModule {}
