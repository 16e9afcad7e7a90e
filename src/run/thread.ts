/**
 * The in-thread executor: replications run one after another on this thread, yielding to the
 * event loop every few tens of milliseconds so that progress is reported and an abort (Ctrl-C)
 * is seen within about that long, however slow a batch would be. It watches the heap between
 * replications and, through the kernel's interrupt, every 65,536 events inside one: a run about to
 * exhaust it stops with OUT_OF_MEMORY naming the replication, instead of a V8 fatal error, even
 * when one replication's memory grows without bound (a pool's workers have their own heap limits,
 * pool.ts).
 */
import { getHeapStatistics } from 'node:v8';
import { DsimError, ErrorCodes } from '../errors.js';
import { Simulation } from '../kernel/simulation.js';
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

/**
 * The part of V8's heap limit the old generation cannot use: the young generation's reserve, three
 * semi-spaces of Node's default 16 MB. Memory that grows inside a replication grows in the old
 * generation, whose own limit V8 enforces with a fatal error: with --max-old-space-size=160 the
 * heap limit reads 208 MB and V8 aborts near 160, so 85% of 208 would never be reached.
 */
const YOUNG_RESERVE = 48 * 2 ** 20;

export class ThreadExecutor implements Executor {
  readonly kind = 'thread';
  readonly workers = 1;

  /** @param batchSize when given, progress is also reported (and the thread yields) every batchSize replications; results never depend on it. */
  constructor(readonly batchSize?: number) {}

  async run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    const { model, seed, from, to } = job;
    const limit = getHeapStatistics().heap_size_limit;
    const stopAt = heapStopShare() * Math.max(limit / 2, limit - YOUNG_RESERVE);
    let r = from;
    const guard = (): void => {
      if (getHeapStatistics().used_heap_size > stopAt) {
        throw DsimError.of(ErrorCodes.OUT_OF_MEMORY, 'err.oomReplication', { replication: r, limitMb: Math.round(limit / 2 ** 20) });
      }
    };
    while (r < to) {
      if (signal?.aborted) throw signal.reason;
      const sliceEnd = performance.now() + SLICE_MS;
      Simulation.interrupt = guard;
      try {
        do {
          runBatch(model, { seed, from: r, to: r + 1 }, into);
          guard();
          r++;
        } while (r < to && performance.now() < sliceEnd && (this.batchSize === undefined || (r - from) % this.batchSize !== 0));
      } finally {
        Simulation.interrupt = undefined;
      }
      onDone?.(r - from);
      await new Promise((resolve) => setImmediate(resolve)); // let signals (Ctrl-C) through
    }
  }

  async close(): Promise<void> {}
}
