/**
 * Runs a scenario on an executor (this thread, a worker pool or the queue), to a fixed number of
 * replications or until the 95% confidence intervals of chosen KPIs are narrow enough. Progress
 * is reported through a callback; an abort signal stops the run and returns what was merged.
 *
 * Determinism: replication i always draws the same numbers (rng/stream.ts) and accumulators
 * merge exactly (stats/exact-sum.ts), so the result is the same for any number of workers or
 * batch size. A precision-stopped run checks its intervals only at fixed checkpoints
 * (run/plan.ts), so the number of replications it uses is the same everywhere too.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { DsimError, ErrorCodes } from '../errors.js';
import { KpiAccumulator } from '../kpi/accumulator.js';
import { type RunResult, summarise } from '../kpi/summary.js';
import { allSlicedPerils, onlyBundledPerils } from '../perils/registry.js';
import { type CompiledModel, compile } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import { meanCi95 } from '../stats/interval.js';
import type { Moments } from '../stats/moments.js';
import type { Executor } from './executor.js';
import { evaluatedTargets, type Overrides, withOverrides } from './local.js';
import { checkpoints } from './plan.js';
import { WorkerPool } from './pool.js';
import { ThreadExecutor } from './thread.js';

/** A KPI's 95% interval as a precision stop sees it: the moments of a mean, or an interval itself. */
type Watched = Moments | [number, number] | undefined;

/** KPIs a precision stop can watch: those whose 95% interval must be narrow. */
export const CI_KPIS: Record<string, (a: KpiAccumulator) => Watched> = {
  reliefWithinDeadline: (a) => (a.reliefPeople.n > 1 ? a.reliefPeople.ci95([0, 1]) : undefined),
  lossRatio: (a) => a.lossRatio.moments,
  responseTimeMinutes: (a) => a.responseMeanByReplication,
  deathsPerMillion: (a) => a.deathsPerMillion.moments,
  ...perilCiKpis(),
};

/** The moments each bundled peril lets a precision stop watch (undefined where the run lacks the peril). */
function perilCiKpis(): Record<string, (a: KpiAccumulator) => Watched> {
  const out: Record<string, (a: KpiAccumulator) => Watched> = {};
  for (const p of allSlicedPerils()) {
    for (const [name, of] of Object.entries(p.kpis!.ci ?? {})) {
      out[name] = (a) => {
        const k = a.slicedPerils.indexOf(p);
        return k < 0 ? undefined : of(a.perils[k]);
      };
    }
  }
  return out;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly replicationsPerSecond: number;
  readonly etaSeconds: number;
}

export interface ScenarioRunOptions extends Overrides {
  /**
   * Runs the batches; the caller keeps it (a long-lived pool serves many runs and scenarios) and
   * closes it. When absent the run makes its own from `queue` and `workers` and closes it.
   */
  readonly executor?: Executor;
  /** Worker threads; 1 runs in this thread. With more, small runs still stay in this thread. */
  readonly workers?: number;
  /** Replications per batch (results never depend on it). */
  readonly batchSize?: number;
  /** `redis://HOST:PORT`: run the batches on `dsim worker` processes instead. */
  readonly queue?: string;
  /** Stop when every watched KPI's 95% CI half-width is at most this. */
  readonly untilCi?: number;
  readonly ciKpis?: readonly string[];
  readonly maxReplications?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly signal?: AbortSignal;
  /**
   * Continue a run from a checkpoint: its accumulator (replications [0, done) merged) and `done`.
   * Replications are content-seeded and merges exact, so the result equals an uninterrupted run's.
   */
  readonly resume?: { readonly acc: KpiAccumulator; readonly done: number };
  /** Calls `onCheckpoint` after about every this many replications (and at each precision stop). */
  readonly checkpointEvery?: number;
  readonly onCheckpoint?: (acc: KpiAccumulator, done: number) => void;
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
  /** Threads that computed (0 for the queue). */
  readonly workers: number;
  readonly executor: Executor['kind'];
  readonly interrupted: boolean;
  readonly stopping?: Stopping;
  /** Why an interrupted run stopped when it was not asked to (the queue was lost). */
  readonly failure?: DsimError;
}

/** Half-widths of the watched KPIs' 95% intervals (null where undefined). */
export function halfWidths(acc: KpiAccumulator, kpis: readonly string[]): Record<string, number | null> {
  return Object.fromEntries(
    kpis.map((k) => {
      const m = CI_KPIS[k]!(acc);
      if (m === undefined) return [k, null];
      if (Array.isArray(m)) return [k, Number.isFinite(m[1] - m[0]) ? (m[1] - m[0]) / 2 : null];
      const [lo, hi] = meanCi95(m.mean, m.variance, m.count);
      return [k, m.count > 1 && Number.isFinite(hi - lo) ? (hi - lo) / 2 : null];
    }),
  );
}

/**
 * The pool's costs as bench/scaling.js measured them (huantai/flood-50y, a 2-core machine): a
 * replication costs ≈ 1.1× the CPU in one worker of what it costs in this thread; with two workers
 * on two cores ≈ 1.35× over 20,000 replications, falling to 1.06× over 100,000, as it does for two
 * independent processes: both isolates warm their JIT up while competing for the cores. Starting
 * the workers costs ≈ 150 ms, and their warm-up 300–600 ms of wall time. The serial parts per
 * batch (clone, restore, merge: < 1 ms) are negligible. The decision below uses the short-run
 * figures, so it errs towards this thread.
 */
export const POOL_STARTUP_MS = 500;
export const WORKER_CPU_FACTOR = 1.35;
/** A pool must promise at least this saving over this thread to be started. */
const POOL_MIN_GAIN = 0.2;
/** The first batch of the in-thread probe (then doubling). */
const PROBE_REPLICATIONS = 8;
/** How long the probe runs in this thread (its replications count: nothing is run twice). */
const PROBE_MS = 250;

/** Makes the executor a run asked for, given what the in-thread probe measured. */
async function ownExecutor(
  o: ScenarioRunOptions,
  probeMsPerReplication: number,
  remaining: number,
  model: CompiledModel,
): Promise<Executor> {
  const hash = model.hash;
  if (!onlyBundledPerils(model)) {
    // A peril registered in this process is unknown to worker threads and queue workers.
    if (o.queue !== undefined) throw new Error('this scenario has a peril registered in this process only; queue workers cannot run it');
    return new ThreadExecutor(o.batchSize);
  }
  if (o.queue !== undefined) {
    const { QueueExecutor } = await import('./queue/coordinator.js'); // BullMQ loads only when a queue is used
    return QueueExecutor.connect(o.queue, o.batchSize);
  }
  // No more threads than the machine can use, nor than the replications can keep busy (16 each).
  const workers = Math.max(1, Math.min(o.workers ?? 1, Math.ceil(remaining / 16), 4 * availableParallelism()));
  // the pool when its start-up plus the work spread over the workers (each slower than this
  // thread) beats this thread by a margin: a short run stays here
  const inThread = probeMsPerReplication * remaining;
  const pooled = POOL_STARTUP_MS + (inThread * WORKER_CPU_FACTOR) / workers;
  if (workers === 1 || !(pooled < (1 - POOL_MIN_GAIN) * inThread)) return new ThreadExecutor(o.batchSize);
  const pool = new WorkerPool(workers, o.batchSize);
  pool.hintCost(hash, probeMsPerReplication);
  return pool;
}

/**
 * Runs a scenario and returns its statistics (the accumulator): the engine room of
 * `runScenario`, for callers that merge or post-process accumulators themselves.
 */
export async function executeRun(scenario: Scenario, o: ScenarioRunOptions = {}): Promise<ScenarioRunOutput> {
  const started = performance.now();
  const model = compile(withOverrides(scenario, o));
  const seed = o.seed ?? scenario.seed;
  const targets = evaluatedTargets(model, o);
  const acc = o.resume?.acc ?? new KpiAccumulator(model, targets);
  const precision = o.untilCi !== undefined;
  const max = precision ? (o.maxReplications ?? 1_000_000) : (o.replications ?? scenario.replications);
  const stops = precision ? checkpoints(Math.min(1000, max), max) : [max];
  const total = stops[stops.length - 1]!;
  const kpis = o.ciKpis ?? ['reliefWithinDeadline', 'lossRatio'];
  let done = o.resume?.done ?? 0;
  if (done > total) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.resumeBeyond', { done, total });
  const report = (n: number): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = n / Math.max(seconds, 1e-6);
    o.onProgress?.({ done: n, total, replicationsPerSecond: rate, etaSeconds: (total - n) / rate });
  };
  // Without an injected executor and queue, a short probe in this thread measures the cost per
  // replication; it decides between thread and pool. Replication i is the same wherever it runs.
  // The probe runs batches of doubling size in this thread for about PROBE_MS and keeps the cost
  // of the last one: the JIT needs a few hundred replications to warm up, and the first ones
  // cost several times the steady rate (huantai/flood-50y: 5 ms, then 1.3, 0.6, 0.3 ms).
  let probeMs = NaN;
  // It runs on the in-thread executor, whose heap guard stops a replication that would exhaust the heap.
  if (o.executor === undefined && o.queue === undefined && (o.workers ?? 1) > 1 && done === 0) {
    const t0 = performance.now();
    const probe = new ThreadExecutor();
    for (let size = PROBE_REPLICATIONS; done < stops[0]! && performance.now() - t0 < PROBE_MS; size *= 2) {
      const n = Math.min(size, stops[0]! - done);
      const t1 = performance.now();
      await probe.run({ model, seed, targets, from: done, to: done + n }, acc);
      probeMs = (performance.now() - t1) / n;
      done += n;
      report(done);
    }
  }
  const executor = o.executor ?? (await ownExecutor(o, probeMs, total - done, model));
  let interrupted = false;
  let failure: DsimError | undefined;
  let stopping: Stopping | undefined;
  try {
    const every = o.checkpointEvery ?? Infinity;
    for (const target of stops) {
      if (target < done) continue; // passed before the checkpoint this run resumed from
      while (target > done) {
        const base = done;
        const to = Math.min(target, every === Infinity ? target : (Math.floor(done / every) + 1) * every);
        await executor.run({ model, targets, seed, from: done, to }, acc, (n) => report(base + n), o.signal);
        done = to;
        if (to < target) o.onCheckpoint?.(acc, done);
      }
      o.onCheckpoint?.(acc, done);
      if (precision) {
        const widths = halfWidths(acc, kpis);
        const met = Object.values(widths).every((w) => w !== null && w <= o.untilCi!);
        stopping = { rule: 'until-ci', bound: o.untilCi!, halfWidths: widths, met, maxReplications: max };
        if (met) break;
      }
    }
  } catch (e) {
    // A lost queue ends the run with what was merged (if anything was); any other error is thrown.
    const lost = e instanceof DsimError && e.code === ErrorCodes.QUEUE_UNAVAILABLE;
    if (!o.signal?.aborted && !(lost && acc.replications > 0)) throw e;
    interrupted = true;
    if (lost) failure = e;
  } finally {
    if (o.executor === undefined) await executor.close();
  }
  return {
    model,
    seed,
    replications: acc.replications,
    acc,
    wallMs: performance.now() - started,
    workers: executor.workers,
    executor: executor.kind,
    interrupted,
    ...(stopping && { stopping }),
    ...(failure && { failure }),
  };
}

/** The summary of a run: what the CLI prints and the API returns. */
export function resultOf(out: ScenarioRunOutput, o: { timing?: boolean } = {}): RunResult {
  const result = summarise(out.model, out.acc, out.seed, o.timing ? { wallMs: out.wallMs, workers: out.workers } : undefined);
  if (out.stopping) result.stopping = out.stopping;
  if (out.interrupted) result.interrupted = true;
  return result;
}

/**
 * Runs a scenario: to a fixed number of replications or until the watched confidence intervals
 * are narrow enough, on an injected executor or one of its own. Returns the typed result
 * (`timing` adds wall time, which is the only part that varies between identical runs).
 */
export async function runScenario(scenario: Scenario, o: ScenarioRunOptions & { timing?: boolean } = {}): Promise<RunResult> {
  return resultOf(await executeRun(scenario, o), o);
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
      executeRun(scenario, { ...o, onProgress: (p) => this.emit('progress', p) }),
    );
    this.result.then(
      (out) => this.emit('done', out),
      (e: unknown) => {
        if (this.listenerCount('error') > 0) this.emit('error', e);
      },
    );
  }
}
