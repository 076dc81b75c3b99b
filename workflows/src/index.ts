// The workflow bundle's entry: every workflow type the worker serves.
export { changeRequestWorkflow } from './change-request.workflow';
