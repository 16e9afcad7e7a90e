/**
 * The benchmark suite, one question per task (src/bench/measure.ts):
 *   flood:<district>  one replication of the district's 1-in-50-year flood;
 *   year:<district>   one simulated year of its annual scenario;
 *   mmc               an M/M/c queue (λ 0.9, μ 0.1, c 10; 20,000 customers) through the engine.
 *
 * The suite runs in rounds; in each round every task is measured in a fresh child process of its
 * own (no task's JIT type feedback, heap or garbage reaches another's, and its CPU time is its
 * own), pinned to one CPU where Linux and taskset allow (children.ts pinnableCpus), by CPU time,
 * interleaved with the calibration (src/bench/calibration.ts), as a ratio to it. The median ratio
 * over the rounds is what a baseline keeps, and their spread is the noise: a machine twice as fast
 * halves both, so the ratio carries from one machine to another.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { pinnableCpus, pinnedCommand, runChild, whileChildren } from './children.js';
import type { BenchReport, BenchTask } from './compare.js';
import { type MeasureRequest, TASKS, TaskMeasurement } from './measure.js';

export { DISTRICTS, TASKS } from './measure.js';

export interface SuiteOptions {
  /** CPU milliseconds each task's timed blocks take per round, at least (default 1000 over all rounds). */
  readonly timeMs?: number;
  readonly filter?: RegExp;
  /** Rounds (default 5). */
  readonly rounds?: number;
  /**
   * Extra work in every task, as a fraction (0.25: a quarter more trials, run back to back with
   * the timed ones): a deliberate, machine-independent slowdown to prove the gate catches one.
   */
  readonly slowdown?: number;
  /**
   * The root of another build (absolute) to measure against instead of the calibration: each
   * task's ratio is then this build's CPU per replication over that build's (src/bench/measure.ts).
   */
  readonly against?: string;
  /**
   * Given the report of the first `rounds`, the tasks to measure for as many rounds again (those
   * whose change reads too near a gate's bound to judge, or whose children disagree: compare.ts
   * `undecided`); each such task is then summarised over all its rounds.
   */
  readonly recheck?: (first: BenchReport) => readonly string[];
}

/**
 * How far the median of these rounds strays from run to run: the rounds' spread by the median
 * absolute deviation (× 1.4826, σ for normal noise; robust to a round disturbed by another
 * process), as the standard error of a median (× 1.2533 / √n).
 */
export function medianError(xs: readonly number[]): number {
  return (1.2533 * 1.4826 * medianAbsoluteDeviation([...xs])) / Math.sqrt(xs.length);
}

/** Where the child process's entry is (it runs the compiled dist/). */
const CHILD = fileURLToPath(new URL('../../workers/bench-child.js', import.meta.url));

/**
 * V8 flags of a measuring child, each because a measurement showed it (eight or ten children of
 * one task, idle, ratios compared):
 *   --single-threaded-gc: garbage is collected on the main thread, so it is counted once, in the
 *     task's block (with V8's GC helper threads the CPU time of a flood replication read 0.43 ms
 *     where the wall clock read 0.34); optimised code is compiled on a helper thread, whose time
 *     the child leaves out (src/bench/measure.ts cpuMs: with `--single-threaded` a recompile fell
 *     in one build's block or the other's, and a 25% slowdown of year:taierzhuang read +5.6%);
 *   --hash-seed, --random-seed: fixed, so every child hashes and places alike (without them one
 *     child in four of flood:linqing and flood:zibo-hitech ran 30–60% slower than the others);
 *   --min/max-semi-space-size 16 MB: a young generation of fixed size, so scavenges fall on the
 *     same allocations in every child rather than where the growth heuristics (timed) put them:
 *     flood:zibo-hitech's ratios spread 18.0–23.0 (×10⁻³) without it and 20.2–22.2 with it.
 * A child is a benchmark's process, not a run's: `dsim run` keeps V8's defaults.
 */
export const CHILD_FLAGS = [
  '--single-threaded-gc',
  '--hash-seed=1',
  '--random-seed=1',
  '--min-semi-space-size=16',
  '--max-semi-space-size=16',
] as const;

/**
 * One measurement in a fresh child process, on one CPU where `cpu` is given (pinned: see
 * pinnedCommand); its report crosses a process boundary and is parsed.
 */
async function measureInChild(o: MeasureRequest, cpu: number | undefined): Promise<TaskMeasurement> {
  const [file, args] = pinnedCommand(cpu, process.execPath, [...CHILD_FLAGS, CHILD, JSON.stringify(o)]);
  const r = await runChild(file, args);
  if (r.code !== 0)
    throw new Error(`bench: the child measuring ${o.task} exited with ${r.signal ?? r.code}: ${r.stderr.trim().slice(-2000)}`);
  let data: unknown;
  try {
    data = JSON.parse(r.stdout);
  } catch {
    throw new Error(`bench: the child measuring ${o.task} printed no report: ${r.stdout.slice(0, 200)}`);
  }
  const parsed = TaskMeasurement.safeParse(data);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0]!;
  throw new Error(`bench: the child measuring ${o.task} reported ${i.path.join('.')}: ${i.message}`);
}

export async function runSuite(o: SuiteOptions = {}): Promise<BenchReport> {
  const rounds = o.rounds ?? 5;
  const timeMs = o.timeMs ?? Math.max(50, Math.round(1000 / rounds));
  const slowdown = o.slowdown ?? 0;
  const names = TASKS.filter((n) => !o.filter || o.filter.test(n));
  const per = new Map(names.map((n) => [n, [] as TaskMeasurement[]]));
  const calibration: number[] = [];
  const cpus = pinnableCpus();
  /** `rounds` rounds of these tasks, each round every task in turn in a child of its own. */
  const measure = async (tasks: readonly string[]): Promise<void> => {
    for (let round = 0; round < rounds; round++) {
      for (const task of tasks) {
        // against another build, every other child of a task makes that build first (MeasureRequest)
        const n = per.get(task)!.length;
        const against = o.against === undefined ? {} : { against: o.against, otherFirst: n % 2 === 1 };
        // each pair of a task's children (both orders) on the next CPU, so that order and CPU do not go together
        const cpu = cpus.length === 0 ? undefined : cpus[Math.floor(n / 2) % cpus.length];
        const m = await measureInChild({ task, timeMs, slowdown, ...against }, cpu);
        per.get(task)!.push(m);
        calibration.push(m.calibrationCpuMs);
      }
    }
  };
  const report = (): BenchReport => ({
    kind: 'dsim.bench',
    schemaVersion: 3,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      pinned: cpus.length > 0,
    },
    rounds,
    calibrationMs: Number(median(calibration).toFixed(4)),
    ...(slowdown > 0 && { slowdown }),
    ...(o.against !== undefined && { against: o.against }),
    tasks: names.map((task) => summarise(task, per.get(task)!, rounds)),
  });
  return whileChildren(async () => {
    await measure(names);
    if (names.length === 0 || !o.recheck) return report();
    const again = new Set(o.recheck(report()));
    if (again.size > 0) await measure(names.filter((n) => again.has(n)));
    return report();
  });
}

/** A task's measurements summarised: medians over the rounds, and the noise of the median ratio. */
export function summarise(task: string, ms: readonly TaskMeasurement[], rounds: number): BenchTask {
  const ratios = ms.map((m) => m.ratio);
  const ratio = median(ratios);
  const meanMs = median(ms.map((m) => m.cpuMs));
  return {
    task,
    meanMs: Number(meanMs.toFixed(4)),
    wallMs: Number(median(ms.map((m) => m.wallMs)).toFixed(4)),
    opsPerSec: Math.round(1000 / meanMs),
    samples: ms.reduce((a, m) => a + m.replications, 0),
    pairs: ms.reduce((a, m) => a + m.pairs, 0),
    ...(ms.length > rounds && { rounds: ms.length }),
    ratio: Number(ratio.toPrecision(5)),
    noisePct: Number(((medianError(ratios) / ratio) * 100).toFixed(2)),
    spreadPct: Number((((Math.max(...ratios) - Math.min(...ratios)) / ratio) * 100).toFixed(2)),
    roundRatios: ratios.map((r) => Number(r.toPrecision(4))),
  };
}
