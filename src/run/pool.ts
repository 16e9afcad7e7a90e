/**
 * The worker pool (piscina): batches of replications run on W worker threads. A pool lives as
 * long as its owner wants and serves any number of runs of any scenarios: each task names its
 * model by scenario hash, and a worker compiles a scenario once and keeps the few it saw last
 * (workers/pool-worker.js). Batches are sized from the measured cost per replication (per
 * scenario) so that each takes about `targetBatchMs` and no worker idles long at the end; sizes
 * never change results, because accumulators merge exactly.
 */

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { DsimError, ErrorCodes } from '../errors.js';
import { type AccumulatorData, KpiAccumulator } from '../kpi/accumulator.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';
import type { Executor, RangeJob } from './executor.js';
import { planBatches } from './plan.js';

/** The first batch while a scenario's cost is unknown (then doubling). */
const RAMP_FIRST = 8;

const WORKER = fileURLToPath(new URL('../../workers/pool-worker.js', import.meta.url));

/** What a pool task carries (structured-cloned to the worker thread). */
export interface PoolTask {
  readonly hash: string;
  readonly scenario: RangeJob['model']['scenario'];
  /** Targets the batch's accumulator evaluates. */
  readonly targets: Targets;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
}

interface BatchResult {
  state: 'completed';
  data: AccumulatorData;
  from: number;
  to: number;
  wallMs: number;
}

/** A worker thread's heap cap in MB: DSIM_WORKER_HEAP_MB (32–65536), else 1024; anything else is a RUN_OPTION error. */
export function workerHeapMb(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env['DSIM_WORKER_HEAP_MB'];
  if (raw === undefined || raw === '') return 1024;
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || v < 32 || v > 65536)
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.workerHeap', { raw: raw.slice(0, 40) });
  return v;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export class WorkerPool implements Executor {
  readonly kind = 'pool';
  private readonly pool: Piscina;
  /** Measured milliseconds per replication, by scenario hash (from completed batches). */
  private readonly msPerReplication = new Map<string, number>();
  /** Scenarios whose cost is only a probe's (a few cold replications): the next batch replaces it. */
  private readonly provisional = new Set<string>();
  /** Each worker's old-generation cap (MB). */
  private readonly heapMb = workerHeapMb();

  constructor(
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
      // A worker holds a few compiled scenarios and one batch's accumulator (≈15 MB live). V8
      // grows a heap by a factor that shrinks with the heap's cap: at 128 MB it collected the old
      // space every few MB (59 mark-compacts in 20,000 Huantai replications against 4), and a
      // replication cost 1.4× the CPU of this thread; at 1 GB it costs 1.05×, and the heap still
      // stays a few times its live size (bench/scaling.js, bench/memory.js).
      // DSIM_WORKER_HEAP_MB sets the cap for machines with less memory per core (or a test).
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 16 },
      // piscina loads the handler with require() first; Node 20's require() of an ES module once
      // ended a process with a V8 fatal error (Module::IsGraphAsync on a module not yet
      // instantiated, CI of 2026-12-02). Without it piscina falls back to import(), the ESM loader.
      execArgv: [...process.execArgv, '--no-experimental-require-module'],
    });
  }

  /** Seeds the cost estimate of a scenario (e.g. from an in-thread probe), so no pool probe is needed. */
  hintCost(hash: string, msPerReplication: number): void {
    if (!this.msPerReplication.has(hash) && msPerReplication > 0) {
      this.msPerReplication.set(hash, msPerReplication);
      this.provisional.add(hash);
    }
  }

  /**
   * Runs replications [from, to) and merges them into `into`. On abort no new batch starts; the
   * batches in flight finish (about targetBatchMs), then it rejects with the abort reason.
   */
  async run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    const { model, from, to } = job;
    const targets = job.targets ?? model.targets;
    const task = (a: number, b: number): PoolTask => ({
      hash: model.hash,
      scenario: model.scenario,
      targets,
      seed: job.seed,
      from: a,
      to: b,
    });
    let done = 0;
    // A sliding window of 2 batches per worker: the pool's queue stays short, so memory stays
    // flat however many replications the run has. Each batch is sized when it is sent, from the
    // cost measured so far. With no cost known yet the batches ramp up (8, 16, 32, …) and every
    // worker starts at once: a probe batch that the pool waited for left the other workers idle
    // through its worker's start-up and JIT warm-up (bench/scaling.js).
    let ramp = RAMP_FIRST;
    let cursor = from;
    const lane = async (): Promise<void> => {
      while (cursor < to && !signal?.aborted) {
        const a = cursor;
        const b = Math.min(to, a + this.nextBatch(model.hash, to - a, ramp));
        if (!this.msPerReplication.has(model.hash)) ramp *= 2;
        cursor = b;
        await this.one(task(a, b), into, job.model);
        done += b - a;
        onDone?.(done);
      }
    };
    await Promise.all(Array.from({ length: this.workers * 2 }, lane));
    if (signal?.aborted && cursor < to) throw signal.reason;
  }

  /**
   * Runs replications [from, to) of several variants together (paired comparisons, paired.ts)
   * in batches on the pool, handing each batch's data to `merge`; stops taking batches on abort.
   */
  async runPaired(
    models: readonly CompiledModel[],
    targets: readonly Targets[],
    seed: number,
    from: number,
    to: number,
    merge: (data: unknown) => void,
    onDone?: (done: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const batches = planBatches(from, to, Math.max(1, Math.ceil((to - from) / (this.workers * 8))));
    const variants = models.map((m, k) => ({ hash: m.hash, scenario: m.scenario, targets: targets[k]! }));
    let done = 0;
    let cursor = 0;
    const lane = async (): Promise<void> => {
      while (cursor < batches.length && !signal?.aborted) {
        const b = batches[cursor++]!;
        const r = (await this.pool.run({ kind: 'paired', variants, seed, from: b.from, to: b.to })) as { data: unknown };
        merge(r.data);
        done += b.to - b.from;
        onDone?.(done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(batches.length, this.workers * 2) }, lane));
    if (signal?.aborted && cursor < batches.length) throw signal.reason;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  /**
   * Replications in the next batch: fixed if asked; `ramp` while the scenario's cost is unknown;
   * else about targetBatchMs of work, fewer towards the end (a quarter of what each worker has
   * left) so the workers finish together, but never under a fifth of targetBatchMs: the last
   * dozens of batches of a few replications each cost more in messages than they balanced.
   */
  private nextBatch(hash: string, remaining: number, ramp: number): number {
    if (this.fixedBatch !== undefined) return Math.max(1, Math.floor(this.fixedBatch));
    const cost = this.msPerReplication.get(hash);
    const bySpread = Math.ceil(remaining / (this.workers * 4));
    if (cost === undefined) return Math.max(1, Math.min(ramp, bySpread));
    const byTime = this.targetBatchMs / Math.max(cost, 1e-3);
    return Math.max(1, Math.floor(Math.min(byTime, Math.max(bySpread, byTime / 5))));
  }

  private async one(t: PoolTask, into: KpiAccumulator, model: RangeJob['model']): Promise<void> {
    let r: BatchResult;
    try {
      r = (await this.pool.run(t)) as BatchResult;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw DsimError.of(ErrorCodes.OUT_OF_MEMORY, 'err.oomBatch', { first: t.from, last: t.to - 1, limitMb: this.heapMb });
      }
      throw e;
    }
    into.merge(KpiAccumulator.fromData(model, r.data, t.targets));
    const per = r.wallMs / Math.max(1, r.to - r.from);
    const old = this.msPerReplication.get(t.hash);
    if (old === undefined) this.provisional.add(t.hash); // measured cold: the next batch replaces it
    this.msPerReplication.set(t.hash, old === undefined || this.provisional.delete(t.hash) ? per : 0.7 * old + 0.3 * per);
  }
}
