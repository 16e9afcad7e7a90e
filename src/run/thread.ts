/**
 * The in-thread executor: replications run one after another on this thread, yielding to the
 * event loop every few tens of milliseconds so that progress is reported and an abort (Ctrl-C)
 * is seen within about that long, however slow a batch would be. Between replications it watches
 * the heap: a run about to exhaust it stops with OUT_OF_MEMORY naming the replication, instead of
 * a V8 fatal error (a pool's workers have their own heap limits, pool.ts).
 */
import { getHeapStatistics } from 'node:v8';
import { DsimError, ErrorCodes } from '../errors.js';
import type { KpiAccumulator } from '../kpi/accumulator.js';
import { runBatch } from './batch.js';
import type { Executor, RangeJob } from './executor.js';

/** Milliseconds of simulation between yields to the event loop. */
const SLICE_MS = 50;
/**
 * Share of the heap limit in use at which a run stops (before V8 would abort): 0.85, or
 * DSIM_HEAP_STOP_SHARE (0 < share <= 0.95) for machines that need a margin of their own.
 */
function heapStopShare(): number {
  const v = Number(process.env['DSIM_HEAP_STOP_SHARE']);
  return Number.isFinite(v) && v > 0 && v <= 0.95 ? v : 0.85;
}

export class ThreadExecutor implements Executor {
  readonly kind = 'thread';
  readonly workers = 1;

  /** @param batchSize when given, progress is also reported (and the thread yields) every batchSize replications; results never depend on it. */
  constructor(readonly batchSize?: number) {}

  async run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    const { model, seed, from, to } = job;
    const limit = getHeapStatistics().heap_size_limit;
    const stopAt = heapStopShare() * limit;
    let r = from;
    while (r < to) {
      if (signal?.aborted) throw signal.reason;
      const sliceEnd = performance.now() + SLICE_MS;
      do {
        runBatch(model, { seed, from: r, to: r + 1 }, into);
        r++;
        if (getHeapStatistics().used_heap_size > stopAt) {
          throw new DsimError(
            ErrorCodes.OUT_OF_MEMORY,
            `out of memory in replication ${r - 1}: the heap is nearly full (limit ${Math.round(limit / 2 ** 20)} MB); the scenario's replications need more memory than this process has`,
          );
        }
      } while (r < to && performance.now() < sliceEnd && (this.batchSize === undefined || (r - from) % this.batchSize !== 0));
      onDone?.(r - from);
      await new Promise((resolve) => setImmediate(resolve)); // let signals (Ctrl-C) through
    }
  }

  async close(): Promise<void> {}
}
