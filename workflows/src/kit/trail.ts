import { condition } from '@temporalio/workflow';

// The procedure kit's trail (全程留痕), for any workflow whose state counts its steps: every change to the
// state is a named, numbered step, recorded in order by one writer through the workflow's own activities
// (docs/architecture.md). Generic over the state and over the record its activities take, so that another
// procedure (a meeting's, say) reuses it. Deterministic: it only awaits conditions and the activities given.

/** At most this many steps to one write of the trail. */
export const TRAIL_BATCH = 50;

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A step as taken: its number, name, actor, comment and the state before and after it. */
export interface TrailStep<S, A> {
  step: number;
  action: string;
  actor: A;
  comment: string | null;
  before: S;
  after: S;
}

export interface TrailConfig<S extends { step: number }, A, R extends { step: number }, E> {
  /** The workflow's state, changed in place by each step. */
  state: S;
  /**
   * Several steps to one write (recordMany), by one writer; else each step with its own write (recordOne), as
   * histories recorded before the writer existed replay. The workflow decides it (a patch), in its own order of
   * patches.
   */
  batched: boolean;
  /** The activity's record of a step, with what the workflow adds (`extra`). */
  toRecord(step: TrailStep<S, A>, extra: E | undefined): R;
  /** The activity that writes one step (unbatched histories). */
  recordOne(record: R): Promise<void>;
  /** The activity that writes several steps, in order, in one transaction. */
  recordMany(records: R[]): Promise<void>;
  /** Called after each step's change, before it is numbered out (e.g. to publish a search attribute). */
  afterChange?(before: S, after: S): void;
}

export interface StepOptions<E> {
  /** What the workflow adds to the step's record. */
  extra?: E;
  /** Answer as soon as the workflow holds the step (durably, in its history); its record follows in order. */
  answerBeforeWritten?: boolean;
}

/** The trail of one workflow run. Create it once, where the workflow has always created it. */
export class Trail<S extends { step: number }, A, R extends { step: number }, E = never> {
  private readonly pending: R[] = []; // steps taken, not yet written
  /** Every step up to this one is written. */
  private recordedStep = 0;
  private stored = false; // the first records exist: later steps may be written
  private writing = false;

  constructor(private readonly config: TrailConfig<S, A, R, E>) {
    // The writer runs for the workflow's lifetime: deliberately not awaited.
    if (config.batched) this.write();
  }

  get batched(): boolean {
    return this.config.batched;
  }

  /** Nothing taken is left unwritten. */
  readonly written = (): boolean => this.pending.length === 0 && !this.writing;

  /** The first records are written (by the workflow's own registration): the writer may start. */
  markStored(): void {
    this.stored = true;
  }

  /** Steps up to `step` were written by another activity (a registration that wrote its submission). */
  markWritten(step: number): void {
    this.recordedStep = Math.max(this.recordedStep, step);
  }

  private async write(): Promise<never> {
    for (;;) {
      await condition(() => this.pending.length > 0 && this.stored);
      const batch = this.pending.splice(0, TRAIL_BATCH);
      this.writing = true;
      await this.config.recordMany(batch);
      this.writing = false;
      this.recordedStep = batch[batch.length - 1].step;
    }
  }

  /**
   * Applies a change to the state and numbers it as the next step: before/after taken synchronously, so
   * concurrent handlers stay consistent.
   */
  takeStep(action: string, actor: A, comment: string | null, change: () => void, extra?: E): R {
    const { state } = this.config;
    const before = clone(state);
    change();
    state.step += 1;
    this.config.afterChange?.(before, state);
    return this.config.toRecord({ step: state.step, action, actor, comment, before, after: clone(state) }, extra);
  }

  /** Takes a step and records it; the caller goes on once it is written (unless answerBeforeWritten). */
  async transition(
    action: string,
    actor: A,
    comment: string | null,
    change: () => void,
    options: StepOptions<E> = {},
  ): Promise<void> {
    const record = this.takeStep(action, actor, comment, change, options.extra);
    if (!this.config.batched) return this.config.recordOne(record);
    this.pending.push(record);
    if (!options.answerBeforeWritten) await condition(() => this.recordedStep >= record.step);
  }
}
