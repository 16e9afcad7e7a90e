/**
 * Runs a scenario: in this thread (workers = 1) or on a worker pool, to a fixed number of
 * replications or until the 95% confidence intervals of chosen KPIs are narrow enough. Progress
 * is reported through a callback; an abort signal stops the run and returns what was merged.
 *
 * Determinism: replication i always draws the same numbers (rng/stream.ts) and accumulators
 * merge exactly (stats/exact-sum.ts), so the result is the same for any number of workers or
 * batch size. A precision-stopped run checks its intervals only at fixed checkpoints
 * (run/plan.ts), so the number of replications it uses is the same everywhere too.
 */
import { EventEmitter } from 'node:events';
import type { Scenario } from '../scenario/schema.js';
import { compile, type CompiledModel } from '../scenario/compile.js';
import { KpiAccumulator } from '../kpi/accumulator.js';
import type { Moments } from '../stats/moments.js';
import { meanCi95 } from '../stats/interval.js';
import { runBatch } from './batch.js';
import { checkpoints, inThreadBatchSize, planBatches } from './plan.js';
import { WorkerPool } from './pool.js';
import { QueueExecutor } from './distributed.js';
import { withOverrides, type RunOptions } from './local.js';

/** KPIs a precision stop can watch: the moments whose mean's interval must be narrow. */
export const CI_KPIS: Record<string, (a: KpiAccumulator) => Moments> = {
  reliefWithinDeadline: (a) => a.reliefShare.moments,
  lossRatio: (a) => a.lossRatio.moments,
  responseTimeMinutes: (a) => a.responseMeanByReplication,
  deathsPerMillion: (a) => a.deathsPerMillion.moments,
  fireDeathsPer100k: (a) => a.fireDeathsPer100k.moments,
};

/** Runs replication ranges away from this thread: the worker pool or the queue. */
export interface Executor {
  run(seed: number, from: number, to: number, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void>;
  destroy(): Promise<void>;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly replicationsPerSecond: number;
  readonly etaSeconds: number;
}

export interface ScenarioRunOptions extends Omit<RunOptions, 'onProgress'> {
  /** Worker threads; 1 runs in this thread. */
  readonly workers?: number;
  /** `redis://HOST:PORT`: run the batches on `dsim worker` processes instead. */
  readonly queue?: string;
  /** Stop when every watched KPI's 95% CI half-width is at most this. */
  readonly untilCi?: number;
  readonly ciKpis?: readonly string[];
  readonly maxReplications?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly signal?: AbortSignal;
}

export interface Stopping {
  readonly rule: 'until-ci';
  readonly bound: number;
  readonly halfWidths: Record<string, number | null>;
  readonly met: boolean;
  readonly maxReplications: number;
}

export interface ScenarioRunOutput {
  readonly model: CompiledModel;
  readonly seed: number;
  readonly replications: number;
  readonly acc: KpiAccumulator;
  readonly wallMs: number;
  readonly workers: number;
  readonly interrupted: boolean;
  readonly stopping?: Stopping;
}

/** Half-widths of the watched KPIs' 95% intervals (null where undefined). */
export function halfWidths(acc: KpiAccumulator, kpis: readonly string[]): Record<string, number | null> {
  return Object.fromEntries(
    kpis.map((k) => {
      const m = CI_KPIS[k]!(acc);
      const [lo, hi] = meanCi95(m.mean, m.variance, m.count);
      return [k, m.count > 1 && Number.isFinite(hi - lo) ? (hi - lo) / 2 : null];
    }),
  );
}

export async function runScenario(scenario: Scenario, o: ScenarioRunOptions = {}): Promise<ScenarioRunOutput> {
  const started = performance.now();
  const model = compile(withOverrides(scenario, o));
  const seed = o.seed ?? scenario.seed;
  const workers = Math.max(1, o.workers ?? 1);
  const acc = new KpiAccumulator(model);
  const precision = o.untilCi !== undefined;
  const max = precision ? (o.maxReplications ?? 1_000_000) : (o.replications ?? scenario.replications);
  const stops = precision ? checkpoints(Math.min(1000, max), max) : [max];
  const kpis = o.ciKpis ?? ['reliefWithinDeadline', 'lossRatio'];
  const executor: Executor | undefined =
    o.queue !== undefined ? new QueueExecutor(model, o.queue, o.batchSize) : workers > 1 ? new WorkerPool(model, workers, o.batchSize) : undefined;
  let done = 0;
  let interrupted = false;
  let stopping: Stopping | undefined;
  const report = (n: number): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = n / Math.max(seconds, 1e-6);
    o.onProgress?.({ done: n, total: stops[stops.length - 1]!, replicationsPerSecond: rate, etaSeconds: (stops[stops.length - 1]! - n) / rate });
  };
  try {
    for (const target of stops) {
      if (executor) {
        const base = done;
        await executor.run(seed, done, target, acc, (n) => report(base + n), o.signal);
      } else {
        for (const b of planBatches(done, target, o.batchSize ?? inThreadBatchSize(target - done))) {
          if (o.signal?.aborted) throw o.signal.reason;
          runBatch(model, { seed, from: b.from, to: b.to }, acc);
          report(b.to);
          await new Promise((r) => setImmediate(r)); // let signals (Ctrl-C) through between batches
        }
      }
      done = target;
      if (precision) {
        const widths = halfWidths(acc, kpis);
        const met = Object.values(widths).every((w) => w !== null && w <= o.untilCi!);
        stopping = { rule: 'until-ci', bound: o.untilCi!, halfWidths: widths, met, maxReplications: max };
        if (met) break;
      }
    }
  } catch (e) {
    if (!o.signal?.aborted) throw e;
    interrupted = true;
  } finally {
    await executor?.destroy();
  }
  return {
    model,
    seed,
    replications: acc.replications,
    acc,
    wallMs: performance.now() - started,
    workers: o.queue !== undefined ? 0 : workers,
    interrupted,
    ...(stopping && { stopping }),
  };
}

/**
 * The same run as an event source, for servers that stream progress (the API): emits
 * `progress` (Progress) while running, then `done` (ScenarioRunOutput) or `error`.
 */
export class ScenarioRun extends EventEmitter<{ progress: [Progress]; done: [ScenarioRunOutput]; error: [unknown] }> {
  readonly result: Promise<ScenarioRunOutput>;

  constructor(scenario: Scenario, o: Omit<ScenarioRunOptions, 'onProgress'> = {}) {
    super();
    // Start on the next turn of the event loop, once the caller has attached its listeners.
    this.result = new Promise<void>((r) => setImmediate(r)).then(() =>
      runScenario(scenario, { ...o, onProgress: (p) => this.emit('progress', p) }),
    );
    this.result.then(
      (out) => this.emit('done', out),
      (e: unknown) => {
        if (this.listenerCount('error') > 0) this.emit('error', e);
      },
    );
  }
}
