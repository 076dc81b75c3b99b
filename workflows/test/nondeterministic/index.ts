import { sleep } from '@temporalio/workflow';
import { changeRequestWorkflow as today } from '../../src/change-request.workflow';
import type { ChangeRequestInput } from '../../src/definitions';

// A deliberately non-deterministic version of the workflow, for the tests that prove the replay catches
// one: it waits on a timer before the procedure starts, a command no recorded history contains.
export async function changeRequestWorkflow(input: ChangeRequestInput) {
  await sleep('1 second');
  return today(input);
}
