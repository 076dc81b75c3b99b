import { appendAudit } from '@bianzhi/audit';
import { legacyStepKey, stepKey, writeSteps } from '../apps/worker/src/trail.activities';
import { County, seedCounty } from './support/county';
import { implement } from './support/procedure';
import { startStack, Stack } from './support/stack';

// The step key of each audit record names the workflow run (issue 17, review M5): a run reset or continued from
// another records its steps as its own instead of having them taken for the earlier run's; a step of a run in flight
// when the key changed, recorded under the old key, is not written twice.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
}, 180_000);
afterAll(() => stack?.stop());

it("keys every step by workflow, run and step, the run being the record's own", async () => {
  const done = await implement(c, 'clerk_housing', {
    type: 'ADJUST_QUOTA',
    unitId: c.units.housing,
    title: '核增行政编制1名',
    payload: { unitId: c.units.housing, category: 'ADMIN', delta: 1 },
  });
  const trail = (await c.users.auditor.api.get(`/v1/change-requests/${done.id}/audit`)).body as {
    workflowId: string;
    runId: string;
    stepKey: string | null;
  }[];
  const steps = trail.filter((r) => r.stepKey);
  expect(steps.length).toBeGreaterThan(4);
  for (const r of steps) expect(r.stepKey).toMatch(new RegExp(`^${r.workflowId}:${r.runId}:\\d+$`));
});

it('does not write again a step recorded under the key it had before the run was part of it', async () => {
  const workflowId = 'change-request-legacy';
  await stack.db.transaction((em) =>
    appendAudit(em, {
      actor: 'x',
      role: 'system',
      action: 'submitted',
      workflowId,
      stepKey: legacyStepKey(workflowId, 1),
    }),
  );
  const count = async () => Number((await stack.db.query('SELECT count(*) AS n FROM audit_records'))[0].n);
  const before = await count();
  const record = {
    workflowId,
    runId: 'run-2',
    step: 1,
    action: 'submitted',
    actor: { userId: 'x', username: 'x', role: 'clerk' },
  };
  const projection = {
    start: async () => ({ content: async () => ({ before: null, after: null }), finish: async () => {} }),
  };
  await stack.db.transaction((em) => writeSteps(em, [record], projection));
  expect(await count()).toBe(before);
  // The next step of that run is written under the new key.
  await stack.db.transaction((em) => writeSteps(em, [{ ...record, step: 2 }], projection));
  expect(await count()).toBe(before + 1);
  const [{ step_key }] = await stack.db.query('SELECT step_key FROM audit_records ORDER BY seq DESC LIMIT 1');
  expect(step_key).toBe(stepKey(workflowId, 'run-2', 2));
});
