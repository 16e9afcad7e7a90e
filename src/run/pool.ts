/**
 * The worker pool (piscina): batches of replications run on W worker threads, each of which
 * compiled the scenario once. Batches are sized from the measured cost of a first probe batch so
 * that each takes about `targetBatchMs` and no worker idles long at the end; sizes never change
 * results, because accumulators merge exactly.
 */
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Scenario } from '../scenario/schema.js';
import type { CompiledModel } from '../scenario/compile.js';
import { KpiAccumulator, type AccumulatorData } from '../kpi/accumulator.js';
import { planBatches } from './plan.js';

const WORKER = fileURLToPath(new URL('../../workers/pool-worker.js', import.meta.url));

interface BatchResult {
  state: 'completed';
  data: AccumulatorData;
  from: number;
  to: number;
  wallMs: number;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export class WorkerPool {
  private readonly pool: Piscina;
  /** Measured milliseconds per replication (from completed batches). */
  private msPerReplication = NaN;

  constructor(
    private readonly model: CompiledModel,
    readonly workers: number,
    /** Replications per batch; when absent, sized from the measured cost. */
    private readonly fixedBatch?: number,
    private readonly targetBatchMs = 250,
  ) {
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      // A worker holds one compiled scenario and one batch's accumulator; a modest old-space cap
      // makes V8 collect instead of growing the heap with run length (flat memory at 10^6).
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
      workerData: { scenario: model.scenario satisfies Scenario },
    });
  }

  /**
   * Runs replications [from, to) and merges them into `into`; `onBatch` sees each merged batch.
   * Rejects (after stopping) if `signal` aborts.
   */
  async run(
    seed: number,
    from: number,
    to: number,
    into: KpiAccumulator,
    onBatch?: (done: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    // On abort the pool is destroyed, which rejects the batches still queued or running.
    const stop = (): void => void this.pool.destroy();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await this.runBatches(seed, from, to, into, onBatch);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (signal?.aborted) throw signal.reason;
  }

  private async runBatches(seed: number, from: number, to: number, into: KpiAccumulator, onBatch?: (done: number) => void): Promise<void> {
    const fixedBatch = this.fixedBatch;
    let next = from;
    if (fixedBatch === undefined && Number.isNaN(this.msPerReplication) && next < to) {
      // a small probe batch measures the cost per replication
      const probe = Math.min(to - next, 8);
      await this.one(seed, next, next + probe, into);
      next += probe;
      onBatch?.(next - from);
    }
    const size = fixedBatch ?? this.batchSize(to - next);
    const batches = planBatches(next, to, size);
    let done = next - from;
    // A sliding window of 2 batches per worker: the pool's queue stays short, so memory stays
    // flat however many replications the run has.
    let cursor = 0;
    const lane = async (): Promise<void> => {
      while (cursor < batches.length) {
        const b = batches[cursor++]!;
        await this.one(seed, b.from, b.to, into);
        done += b.to - b.from;
        onBatch?.(done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(batches.length, this.workers * 2) }, lane));
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }

  /** Replications per batch: about targetBatchMs each, and at least 4 batches per worker left. */
  private batchSize(remaining: number): number {
    const byTime = Math.max(1, Math.floor(this.targetBatchMs / Math.max(this.msPerReplication, 1e-3)));
    const bySpread = Math.max(1, Math.ceil(remaining / (this.workers * 4)));
    return Math.min(byTime, bySpread);
  }

  private async one(seed: number, from: number, to: number, into: KpiAccumulator): Promise<void> {
    const r = (await this.pool.run({ seed, from, to })) as BatchResult;
    into.merge(KpiAccumulator.fromData(this.model, r.data));
    const per = r.wallMs / Math.max(1, r.to - r.from);
    this.msPerReplication = Number.isNaN(this.msPerReplication) ? per : 0.7 * this.msPerReplication + 0.3 * per;
  }
}
