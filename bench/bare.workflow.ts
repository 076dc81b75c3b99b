import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

// The bare comparison for the benchmark: the same number of Updates and activities as one request's
// lifecycle (register+submit, consultations, two opinions, forward, seven votes, implementation), each
// activity doing nothing. `ours / bare` is then the engine's overhead as a ratio.

const { noop } = proxyActivities<{ noop(step: string): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const bareStep = defineUpdate<number, [string]>('step');
/** An Update that only changes the workflow's state (no activity): the floor of any action's round trip. */
export const bareMark = defineUpdate<number, [string]>('mark');

export async function bareLifecycle(votes: number): Promise<number> {
  let steps = 0;
  let voted = 0;
  setHandler(bareStep, async (step) => {
    await noop(step);
    steps += 1;
    if (step === 'vote') voted += 1;
    return steps;
  });
  setHandler(bareMark, () => (steps += 1));
  await condition(() => voted >= votes);
  await noop('implement');
  return steps + 1;
}
