/**
 * One task of the benchmark suite measured in the process it runs in (a child process of its own,
 * started by src/bench/suite.ts through workers/bench-child.js), by the CPU time it consumes:
 *
 *   1. the task is built and warmed up by a fixed count (a fresh isolate's JIT needs it, whatever
 *      the machine's speed), and so is the calibration;
 *   2. a block of replications is sized to take about one calibration's CPU time;
 *   3. calibration and block then alternate, C₀ T₁ C₁ T₂ C₂ …, each timed by `process.cpuUsage()`
 *      (user + system of the whole process: every thread, so garbage collection counts) and by
 *      the wall clock; pair i's ratio is the block's CPU per replication over the mean of the two
 *      calibrations either side of it, and the task's ratio is the median over the pairs.
 *
 * CPU time is what the work costs, not how long a neighbour kept the core; a ratio taken from
 * timings milliseconds apart sees the same machine state (frequency, caches, a neighbour's memory
 * traffic) in both terms. Wall times are kept as a secondary column.
 */
import { median } from 'simple-statistics';
import { z } from 'zod';
import { KpiAccumulator } from '../kpi/accumulator.js';
import { runTrial } from '../perils/trial.js';
import { compile } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import { calibrationWork } from './calibration.js';
import { mmcScenario } from './mmc.js';

export const DISTRICTS = ['huantai', 'zibo-hitech', 'linqing', 'yanzhou', 'taierzhuang'] as const;

/**
 * Replications a scenario task runs before it is timed, whatever the machine's speed: a fresh
 * isolate's JIT needs a few hundred (huantai/flood-50y: 1.1 ms a replication over the first 500,
 * 0.38 after). A warm-up by time alone covered 1,200 replications on a fast machine and 300 on one
 * 1.6× slower, whose timed replications were then still cold: the ratio to the calibration grew
 * 2.8× (0.081 against the baseline's 0.029) where the engine had grown 1.5× like the calibration.
 * Then the timed cycle itself runs until it settles (below), which takes what these 500 leave.
 */
const SCENARIO_WARMUP = 500;

/** Calibration calls before the first timed one (its JIT warm-up). */
const CALIBRATION_WARMUP = 10;

/** Cycles of the task in a timed block (about four calibrations' time). */
const BLOCK_CYCLES = 4;

/** Blocks without a new best (by 2%) that count as settled, and the most blocks spent settling. */
const SETTLED_BLOCKS = 4;
const MAX_SETTLE_BLOCKS = 12;

/** Calibration calls timed together between two blocks. */
const CALIBRATION_UNITS = 2;

/** Pairs at least, however short the requested time. */
export const MIN_PAIRS = 10;

/**
 * The tasks, by name, each made on demand (a child builds only the one it measures). `cycle`: the
 * replications 0…cycle−1 are what is timed, over and over, so that every block of every child on
 * every machine does the same work. Replications differ a lot in cost (a huantai/flood-50y
 * replication takes 0.16–1.0 ms by how big its flood is), and blocks of whichever replications
 * came next read a 25% slowdown as anything from +2% to +46%. A cycle takes about one calibration.
 */
function taskList(): { name: string; warmup: number; cycle: number; make: () => (r: number) => void }[] {
  const scenarioTask = (scenarioName: string) => () => {
    const m = compile(loadScenario(scenarioName).scenario);
    const acc = new KpiAccumulator(m);
    return (r: number) => acc.add(runTrial(m, m.scenario.seed, r, acc));
  };
  return [
    ...DISTRICTS.map((d) => ({ name: `flood:${d}`, warmup: SCENARIO_WARMUP, cycle: 64, make: scenarioTask(`${d}/flood-50y`) })),
    ...DISTRICTS.map((d) => ({ name: `year:${d}`, warmup: SCENARIO_WARMUP, cycle: 16, make: scenarioTask(`${d}/annual`) })),
    {
      name: 'mmc',
      // 20,000 customers an iteration: 16 warm-up iterations are 640,000 events
      warmup: 16,
      cycle: 4,
      make: () => {
        const mmc = compile(mmcScenario({ lambda: 0.9, mu: 0.1, servers: 10, customers: 20_000, seed: 1 }));
        return (r: number) => void runTrial(mmc, 1, r, { response() {} });
      },
    },
  ];
}

/** The names of the suite's tasks, in order. */
export const TASKS: readonly string[] = [...DISTRICTS.map((d) => `flood:${d}`), ...DISTRICTS.map((d) => `year:${d}`), 'mmc'];

/** What a child is asked to measure (it crosses a process boundary: parsed, not trusted). */
export const MeasureRequest = z.strictObject({
  task: z.enum(TASKS as [string, ...string[]]),
  /** CPU milliseconds of the task's timed blocks, at least (MIN_PAIRS pairs in any case). */
  timeMs: z.number().int().min(1).max(600_000),
  /** Extra trials per replication, as a fraction: a deliberate slowdown (DSIM_BENCH_SLOWDOWN). */
  slowdown: z.number().min(0).max(100),
});
export type MeasureRequest = z.infer<typeof MeasureRequest>;

/** What a child reports (parsed by the parent: a process boundary). */
export const TaskMeasurement = z.strictObject({
  task: z.string(),
  /** Median over pairs: CPU ms per replication / calibration CPU ms. */
  ratio: z.number().positive().finite(),
  /** CPU ms per replication, median over the blocks. */
  cpuMs: z.number().positive().finite(),
  /** Wall ms per replication, median over the blocks. */
  wallMs: z.number().positive().finite(),
  /** The calibration's CPU and wall ms, medians. */
  calibrationCpuMs: z.number().positive().finite(),
  calibrationWallMs: z.number().positive().finite(),
  pairs: z.number().int().positive(),
  /** Replications timed (slowdown's extra trials not counted). */
  replications: z.number().int().positive(),
});
export type TaskMeasurement = z.infer<typeof TaskMeasurement>;

/** Where the calibration's checksum goes, so its work is never optimised away. */
let sink = 0;

/** CPU milliseconds this process has used, all threads, user and system. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Measures one task in this process (see the file's comment). */
export function measureTask(o: MeasureRequest): TaskMeasurement {
  const t = taskList().find((x) => x.name === o.task);
  if (!t) throw new Error(`bench: no task ${o.task}`);
  const trial = t.make();
  // the warm-up runs replications 0…warmup−1 (varied work for the JIT); the timed blocks cycle
  // through 0…cycle−1, extra trials of a slowdown included, so each block repeats the same work
  let j = 0;
  let owed = 0;
  const next = (): void => trial(j++ % t.cycle);
  const step = (): void => {
    next();
    owed += o.slowdown;
    while (owed >= 1) {
      next();
      owed -= 1;
    }
  };
  const calibrate = (): { cpu: number; wall: number } => {
    const w = performance.now();
    const c = cpuMs();
    for (let i = 0; i < CALIBRATION_UNITS; i++) sink += calibrationWork();
    return { cpu: (cpuMs() - c) / CALIBRATION_UNITS, wall: (performance.now() - w) / CALIBRATION_UNITS };
  };
  for (let r = 0; r < t.warmup; r++) trial(r);
  for (let i = 0; i < CALIBRATION_WARMUP; i++) calibrate();
  // A block is BLOCK_CYCLES whole cycles' worth of steps, whatever the slowdown, and a slowdown
  // whose period divides it (0.25: one extra trial in each 4 steps) puts the same share of extra
  // work in every block. Blocks of one length: what a block costs beyond its trials (switching from
  // the calibration: caches, the young generation) weighs the same with and without a slowdown.
  // With blocks of one cycle against four, a 25% slowdown read −30% on flood:linqing.
  const block = t.cycle * BLOCK_CYCLES;
  // Then blocks until the JIT settles: the per-trial cost of huantai/flood-50y still fell from 0.40
  // to 0.29 ms over the 7,000 trials after those 1,000, so a child's early pairs read high and a
  // slowed child, running more trials, read the slowdown short (+7% for +25%). Settled: no block
  // in the last SETTLED_BLOCKS came within 2% below the best, or MAX_SETTLE_BLOCKS ran.
  const timeBlock = (): number => {
    const c = cpuMs();
    for (let i = 0; i < block; i++) step();
    return cpuMs() - c;
  };
  let best = Number.POSITIVE_INFINITY;
  for (let n = 0, since = 0; n < MAX_SETTLE_BLOCKS && since < SETTLED_BLOCKS; n++) {
    const x = timeBlock();
    if (x < best * 0.98) since = 0;
    else since++;
    best = Math.min(best, x);
  }
  const cals = [calibrate()];
  const ratios: number[] = [];
  const cpu: number[] = [];
  const wall: number[] = [];
  let timed = 0;
  while (ratios.length < MIN_PAIRS || timed < o.timeMs) {
    const w = performance.now();
    const blockCpu = timeBlock();
    wall.push((performance.now() - w) / block);
    cpu.push(blockCpu / block);
    timed += blockCpu;
    const after = calibrate();
    cals.push(after);
    ratios.push(blockCpu / block / ((cals[cals.length - 2]!.cpu + after.cpu) / 2));
  }
  if (sink === Number.MIN_VALUE) process.stderr.write('');
  return {
    task: o.task,
    ratio: median(ratios),
    cpuMs: median(cpu),
    wallMs: median(wall),
    calibrationCpuMs: median(cals.map((x) => x.cpu)),
    calibrationWallMs: median(cals.map((x) => x.wall)),
    pairs: ratios.length,
    replications: ratios.length * block,
  };
}
