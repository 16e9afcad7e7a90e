/**
 * The benchmark suite (tinybench), one question per task:
 *   flood:<district>  one replication of the district's 1-in-50-year flood;
 *   year:<district>   one simulated year of its annual scenario;
 *   mmc               an M/M/c queue (λ 0.9, μ 0.1, c 10; 20,000 customers) through the engine.
 *
 * The suite runs in rounds; in each round every task is timed in a fresh worker thread of its own
 * (no task's JIT type feedback or garbage reaches another's), between two timings of the
 * calibration (bench/calibration.ts), and reported as a ratio to it. The median ratio over the
 * rounds is what a baseline keeps, and their spread is the noise: a machine twice as fast halves
 * both, so the ratio carries from one machine to another.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { Bench } from 'tinybench';
import { KpiAccumulator } from '../kpi/accumulator.js';
import { runTrial } from '../perils/trial.js';
import { compile } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import { calibrationWork } from './calibration.js';
import type { BenchReport, BenchTask } from './compare.js';
import { mmcScenario } from './mmc.js';

export const DISTRICTS = ['huantai', 'zibo-hitech', 'linqing', 'yanzhou', 'taierzhuang'] as const;

export interface SuiteOptions {
  /** Milliseconds each task is timed per round (default 1000 over all rounds). */
  readonly timeMs?: number;
  readonly filter?: RegExp;
  /** Rounds (default 5). */
  readonly rounds?: number;
  /**
   * Extra work in every task, as a fraction (0.25: a quarter more trials, run back to back with
   * the timed ones): a deliberate, machine-independent slowdown to prove the gate catches one.
   */
  readonly slowdown?: number;
}

/** Where the calibration's checksum goes, so its work is never optimised away. */
let sink = 0;

/**
 * How far the median of these rounds strays from run to run: the rounds' spread by the median
 * absolute deviation (× 1.4826, σ for normal noise; robust to a round disturbed by another
 * process), as the standard error of a median (× 1.2533 / √n).
 */
export function medianError(xs: readonly number[]): number {
  return (1.2533 * 1.4826 * medianAbsoluteDeviation([...xs])) / Math.sqrt(xs.length);
}

/**
 * Replications a scenario task runs before it is timed, whatever the machine's speed: a fresh
 * isolate's JIT needs a few hundred (huantai/flood-50y: 1.1 ms a replication over the first 500,
 * 0.38 after). A warm-up by time alone covered 1,200 replications on a fast machine and 300 on one
 * 1.6× slower, whose timed replications were then still cold: the ratio to the calibration grew
 * 2.8× (0.081 against the baseline's 0.029) where the engine had grown 1.5× like the calibration.
 */
const SCENARIO_WARMUP = 1000;

/** The tasks, by name, each made on demand (a worker builds only the one it measures). */
function taskList(): { name: string; warmup: number; make: () => (r: number) => void }[] {
  const scenarioTask = (scenarioName: string) => () => {
    const m = compile(loadScenario(scenarioName).scenario);
    const acc = new KpiAccumulator(m);
    return (r: number) => acc.add(runTrial(m, m.scenario.seed, r, acc));
  };
  return [
    ...DISTRICTS.map((d) => ({ name: `flood:${d}`, warmup: SCENARIO_WARMUP, make: scenarioTask(`${d}/flood-50y`) })),
    ...DISTRICTS.map((d) => ({ name: `year:${d}`, warmup: SCENARIO_WARMUP, make: scenarioTask(`${d}/annual`) })),
    {
      name: 'mmc',
      // 20,000 customers an iteration: tinybench's 16 warm-up iterations are 640,000 events
      warmup: 16,
      make: () => {
        const mmc = compile(mmcScenario({ lambda: 0.9, mu: 0.1, servers: 10, customers: 20_000, seed: 1 }));
        return (r: number) => void runTrial(mmc, 1, r, { response() {} });
      },
    },
  ];
}

/** The names of the suite's tasks, in order. */
export const TASKS: readonly string[] = [...DISTRICTS.map((d) => `flood:${d}`), ...DISTRICTS.map((d) => `year:${d}`), 'mmc'];

export interface TaskMeasurement {
  readonly meanMs: number;
  readonly rmePct: number;
  readonly samples: number;
  readonly calibrationMs: number;
}

/**
 * Times one task for `timeMs` between two timings of the calibration, in this thread (a worker
 * of its own when called by runSuite, so no task's type feedback or garbage reaches another's).
 */
export async function measureTask(o: { task: string; timeMs: number; slowdown: number }): Promise<TaskMeasurement> {
  const t = taskList().find((x) => x.name === o.task);
  if (!t) throw new Error(`bench: no task ${o.task}`);
  const trial = t.make();
  let r = 0;
  let owed = 0;
  const step = (): void => {
    trial(r++);
    owed += o.slowdown;
    while (owed >= 1) {
      trial(r++);
      owed -= 1;
    }
  };
  // the task warms up as long as it is timed and for a set number of iterations: a fresh isolate's JIT needs it
  const calib = new Bench({ name: 'calibration', time: Math.max(50, o.timeMs / 2), warmupTime: 50 });
  calib.add('calibration', () => {
    sink += calibrationWork();
  });
  const bench = new Bench({ name: o.task, time: o.timeMs, warmupTime: Math.max(100, o.timeMs), warmupIterations: t.warmup });
  bench.add(o.task, step);
  const end = new Bench({ name: 'calibration-end', time: Math.max(50, o.timeMs / 2), warmupTime: 50 });
  end.add('calibration-end', () => {
    sink += calibrationWork();
  });
  await calib.run();
  await bench.run();
  await end.run();
  const lat = (b: Bench, name: string) =>
    (b.getTask(name)!.result as unknown as { latency: { mean: number; rme: number; samplesCount: number } }).latency;
  const x = lat(bench, o.task);
  return {
    meanMs: x.mean,
    rmePct: x.rme,
    samples: x.samplesCount,
    calibrationMs: (lat(calib, 'calibration').mean + lat(end, 'calibration-end').mean) / 2,
  };
}

/** One measurement in a fresh worker thread (workers/bench-worker.js runs the compiled dist/). */
function measureInWorker(o: { task: string; timeMs: number; slowdown: number }): Promise<TaskMeasurement> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('../../workers/bench-worker.js', import.meta.url), { workerData: o });
    w.once('message', (m: TaskMeasurement) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`bench worker for ${o.task} exited with ${code}`)));
  });
}

export async function runSuite(o: SuiteOptions = {}): Promise<BenchReport> {
  const rounds = o.rounds ?? 5;
  const timeMs = o.timeMs ?? Math.max(50, Math.round(1000 / rounds));
  const slowdown = o.slowdown ?? 0;
  const names = TASKS.filter((n) => !o.filter || o.filter.test(n));
  const per = new Map(names.map((n) => [n, [] as TaskMeasurement[]]));
  const calibration: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const task of names) {
      const m = await measureInWorker({ task, timeMs, slowdown });
      per.get(task)!.push(m);
      calibration.push(m.calibrationMs);
    }
  }
  const out: BenchTask[] = names.map((task) => {
    const ms = per.get(task)!;
    const ratios = ms.map((m) => m.meanMs / m.calibrationMs);
    const ratio = median(ratios);
    const meanMs = median(ms.map((m) => m.meanMs));
    return {
      task,
      meanMs: Number(meanMs.toFixed(4)),
      rmePct: Number(median(ms.map((m) => m.rmePct)).toFixed(2)),
      opsPerSec: Math.round(1000 / meanMs),
      samples: ms.reduce((a, m) => a + m.samples, 0),
      ratio: Number(ratio.toPrecision(5)),
      noisePct: Number(((medianError(ratios) / ratio) * 100).toFixed(2)),
    };
  });
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
  return {
    kind: 'dsim.bench',
    schemaVersion: 2,
    machine,
    rounds,
    calibrationMs: Number(median(calibration).toFixed(4)),
    ...(slowdown > 0 && { slowdown }),
    tasks: out,
  };
}
