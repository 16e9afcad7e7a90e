/**
 * The in-thread executor: batches run one after another on this thread, yielding to the event
 * loop between them so that progress is reported and an abort (Ctrl-C) is seen.
 */

import type { KpiAccumulator } from '../kpi/accumulator.js';
import { runBatch } from './batch.js';
import type { Executor, RangeJob } from './executor.js';
import { inThreadBatchSize, planBatches } from './plan.js';

export class ThreadExecutor implements Executor {
  readonly kind = 'thread';
  readonly workers = 1;

  /** @param batchSize replications between progress reports; sized from the range when absent. */
  constructor(private readonly batchSize?: number) {}

  async run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    const { model, seed, from, to } = job;
    for (const b of planBatches(from, to, this.batchSize ?? inThreadBatchSize(to - from))) {
      if (signal?.aborted) throw signal.reason;
      runBatch(model, { seed, from: b.from, to: b.to }, into);
      onDone?.(b.to - from);
      await new Promise((r) => setImmediate(r)); // let signals (Ctrl-C) through between batches
    }
  }

  async close(): Promise<void> {}
}
