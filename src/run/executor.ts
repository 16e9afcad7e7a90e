/**
 * The executor contract: something that runs replication ranges of a compiled model and merges
 * their accumulators into the caller's. Three implementations — this thread (thread.ts), a pool
 * of worker threads (pool.ts), the BullMQ queue (queue/coordinator.ts) — behind one interface, so a
 * caller (the CLI, the API, a sizing sweep) can create one, inject it into many runs of many
 * scenarios, and close it when done. The orchestration around it (checkpoints, progress,
 * abort) is run/runner.ts's.
 */

import type { KpiAccumulator } from '../kpi/accumulator.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';

export interface RangeJob {
  readonly model: CompiledModel;
  /** The targets the accumulators evaluate (kpi/targets.ts); the model's when absent. */
  readonly targets?: Targets;
  readonly seed: number;
  /** First replication index (inclusive). */
  readonly from: number;
  /** Last replication index (exclusive). */
  readonly to: number;
}

export interface Executor {
  readonly kind: 'thread' | 'pool' | 'queue';
  /** Threads it computes on (0 for the queue: the workers are elsewhere). */
  readonly workers: number;
  /**
   * Runs replications [from, to) and merges them into `into`; `onDone` sees the replications of
   * this range merged so far. Rejects with `signal.reason` once `signal` aborts (batches already
   * merged stay merged).
   */
  run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void>;
  /** Releases threads and connections. A closed executor runs nothing more. */
  close(): Promise<void>;
}
