/**
 * One task of the benchmark suite measured in the process it runs in (a child process of its own,
 * started by src/bench/suite.ts through workers/bench-child.js), by the CPU time it consumes:
 *
 *   1. the task is built and warmed up by a fixed count (a fresh isolate's JIT needs it, whatever
 *      the machine's speed), and so is the calibration;
 *   2. a block of replications is sized to take about one calibration's CPU time;
 *   3. calibration and block then alternate, C₀ T₁ C₁ T₂ C₂ …, each timed by the CPU time of the
 *      process's own work (user + system, garbage collection included, V8's compiler threads left
 *      out: see cpuMs) and by the wall clock; pair i's ratio is the block's CPU per replication over the mean of the two
 *      calibrations either side of it, and the task's ratio is the median over the pairs.
 *
 * CPU time is what the work costs, not how long a neighbour kept the core; a ratio taken from
 * timings milliseconds apart sees the same machine state (frequency, caches, a neighbour's memory
 * traffic) in both terms. Wall times are kept as a secondary column.
 *
 * With `against` (the root of another build of dsim: its dist/ and scenarios/), the reference is not
 * the calibration but the same task run by that build, loaded into this process: B₀ T₁ B₁ T₂ B₂ …,
 * every block the same replications, and pair i's ratio is T_i over the mean of B_{i−1} and B_i —
 * this build's cost over that build's. Both terms have the same mix of arithmetic, allocation and
 * memory traffic, so a neighbour's load, which moves a scenario's CPU time more than the
 * calibration's, moves both alike.
 */
import { existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from 'simple-statistics';
import { z } from 'zod';
import type { KpiAccumulator } from '../kpi/accumulator.js';
import type { runTrial } from '../perils/trial.js';
import type { compile } from '../scenario/compile.js';
import type { loadScenario } from '../scenario/load.js';
import { calibrationWork } from './calibration.js';
import type { mmcScenario } from './mmc.js';

/**
 * What a task needs of an engine: this build's modules, or another build's (`against`), whose
 * dist/ exports the same five functions and classes (every build since engine 0.9.0 does).
 */
interface Engine {
  readonly loadScenario: typeof loadScenario;
  readonly compile: typeof compile;
  readonly runTrial: typeof runTrial;
  readonly KpiAccumulator: typeof KpiAccumulator;
  readonly mmcScenario: typeof mmcScenario;
}

/**
 * The root of this build (this file is its dist/bench/measure.js): its engine is imported from
 * there like another build's, when the child asks for it and in the order it asks (see
 * MeasureRequest's `otherFirst`), not with this module.
 */
const THIS_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The files of a build that `engineAt` imports, relative to its root. */
const ENGINE_FILES = ['scenario/load.js', 'scenario/compile.js', 'perils/trial.js', 'kpi/accumulator.js', 'bench/mmc.js'].map((f) =>
  join('dist', f),
);

/** The files a build's root lacks to be measured against (none: it can be). */
export function missingEngineFiles(root: string): string[] {
  return ENGINE_FILES.filter((f) => !existsSync(join(root, f)));
}

/** Another build's engine, from its root (a checkout with dist/ built); a clear error when it has none. */
export async function engineAt(root: string): Promise<Engine> {
  const missing = missingEngineFiles(root);
  if (missing.length > 0) throw new Error(`bench: ${root} is not a built dsim (no ${missing.join(', ')})`);
  const [load, comp, trial, acc, mmc] = await Promise.all(ENGINE_FILES.map((f) => import(pathToFileURL(join(root, f)).href)));
  const engine = {
    loadScenario: load.loadScenario,
    compile: comp.compile,
    runTrial: trial.runTrial,
    KpiAccumulator: acc.KpiAccumulator,
    mmcScenario: mmc.mmcScenario,
  };
  for (const [name, f] of Object.entries(engine)) {
    if (typeof f !== 'function') throw new Error(`bench: the build in ${root} has no ${name}`);
  }
  return engine as Engine;
}

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
function taskList(e: Engine): { name: string; warmup: number; cycle: number; make: () => (r: number) => void }[] {
  const scenarioTask = (scenarioName: string) => () => {
    const m = e.compile(e.loadScenario(scenarioName).scenario);
    const acc = new e.KpiAccumulator(m);
    return (r: number) => acc.add(e.runTrial(m, m.scenario.seed, r, acc));
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
        const mmc = e.compile(e.mmcScenario({ lambda: 0.9, mu: 0.1, servers: 10, customers: 20_000, seed: 1 }));
        return (r: number) => void e.runTrial(mmc, 1, r, { response() {} });
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
  /** Extra trials per replication, as a fraction: a deliberate slowdown (DSIM_BENCH_SLOWDOWN), in this build only. */
  slowdown: z.number().min(0).max(100),
  /**
   * With `against`: that build is imported, made and warmed up first, this one second. A child's
   * second build settled slower than its first: `year:linqing` A/A with four busy processes read
   * 0.93 (this build made first) and 0.97 (that one first), median of ten children each, and the
   * children whose second build ran 1.3–1.5× slower for all their pairs (one in ten idle) read
   * 0.63–0.72 or 1.25; the suite alternates the order from one child of a task to the next.
   */
  otherFirst: z.boolean().optional(),
  /** The root of another build to measure against instead of the calibration (absolute). */
  against: z
    .string()
    .min(2)
    .max(4096)
    .refine((p) => isAbsolute(p) && !p.includes('\0'), 'an absolute path')
    .optional(),
});
export type MeasureRequest = z.infer<typeof MeasureRequest>;

/** What a child reports (parsed by the parent: a process boundary). */
export const TaskMeasurement = z.strictObject({
  task: z.string(),
  /** Median over pairs: CPU ms per replication / calibration CPU ms (with `against`: / that build's CPU ms per replication). */
  ratio: z.number().positive().finite(),
  /** CPU ms per replication, median over the blocks. */
  cpuMs: z.number().positive().finite(),
  /** Wall ms per replication, median over the blocks. */
  wallMs: z.number().positive().finite(),
  /** The calibration's CPU and wall ms, medians (with `against`: that build's, per replication). */
  calibrationCpuMs: z.number().positive().finite(),
  calibrationWallMs: z.number().positive().finite(),
  pairs: z.number().int().positive(),
  /** Replications timed (slowdown's extra trials not counted). */
  replications: z.number().int().positive(),
});
export type TaskMeasurement = z.infer<typeof TaskMeasurement>;

/** Where the calibration's checksum goes, so its work is never optimised away. */
let sink = 0;

/** Where Linux keeps each thread's CPU time (nanoseconds on the CPU, the first field of `schedstat`). */
const THREADS_DIR = '/proc/self/task';
const MAIN_THREAD = String(process.pid);
/** Each other thread's open schedstat and its CPU nanoseconds when last read (kept once it ends). */
const otherThreads = new Map<string, { fd: number; ns: number }>();
const statBuffer = Buffer.alloc(256);

/** The CPU nanoseconds of this process's threads other than the main one, or 0 where /proc has none. */
function otherThreadsNs(): number {
  let names: string[];
  try {
    names = readdirSync(THREADS_DIR);
  } catch {
    return 0;
  }
  let ns = 0;
  for (const name of names) {
    if (name === MAIN_THREAD || otherThreads.has(name)) continue;
    try {
      otherThreads.set(name, { fd: openSync(`${THREADS_DIR}/${name}/schedstat`, 'r'), ns: 0 });
    } catch {
      // a thread that ended between the listing and the open: its time was not seen, as before it
    }
  }
  for (const t of otherThreads.values()) {
    try {
      const n = readSync(t.fd, statBuffer, 0, statBuffer.length, 0);
      const read = Number.parseInt(statBuffer.toString('latin1', 0, n), 10);
      if (Number.isFinite(read)) t.ns = read;
    } catch {
      // the thread ended: its last reading stands (getrusage keeps a finished thread's time too)
    }
    ns += t.ns;
  }
  return ns;
}

/**
 * CPU milliseconds of this process's own work: user + system of the whole process (getrusage,
 * exact), less what its other threads spent (where Linux says: their `schedstat`, exact for a
 * thread not on a CPU at that instant, else up to one scheduler tick behind). The child runs with
 * `--single-threaded-gc` (src/bench/suite.ts), so garbage collection is on the main thread and
 * counts; what the other threads do is V8 compiling optimised code. Compiled on the main thread
 * (`--single-threaded`), a recompile of year:taierzhuang's `runTrial` after a deoptimisation cost
 * 20–60 ms — the work of 3–8 cycles of the task; compiles still came in one cycle in ten 3,000
 * replications in — and fell in whichever build's block it came: pairs read 0.55 to 3.5, and a 25% slowdown read
 * +5.6%, +5.8% and +13.5% in three idle children. Compiled on a helper thread and left out, the
 * same children's pairs read 0.83–1.38 and the slowdown +23% to +24%. Where /proc has no threads
 * (not Linux) the compiler threads' time counts, as in the whole process's.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000 - otherThreadsNs() / 1e6;
}

/** Measures one task in this process (see the file's comment). */
export async function measureTask(o: MeasureRequest): Promise<TaskMeasurement> {
  const task = (e: Engine) => {
    const found = taskList(e).find((x) => x.name === o.task);
    if (!found) throw new Error(`bench: no task ${o.task}`);
    return found;
  };
  // the builds, imported and then made and warmed up (blockTimer) in this order
  const order: readonly ('this' | 'other')[] = o.against === undefined ? ['this'] : o.otherFirst ? ['other', 'this'] : ['this', 'other'];
  const tasks = new Map<'this' | 'other', ReturnType<typeof task>>();
  for (const which of order) tasks.set(which, task(await engineAt(which === 'this' ? THIS_ROOT : o.against!)));
  const t = tasks.get('this')!;
  const other = tasks.get('other');
  // A block is BLOCK_CYCLES whole cycles' worth of steps, whatever the slowdown, and a slowdown
  // whose period divides it (0.25: one extra trial in each 4 steps) puts the same share of extra
  // work in every block. Blocks of one length: what a block costs beyond its trials (switching from
  // the calibration: caches, the young generation) weighs the same with and without a slowdown.
  // With blocks of one cycle against four, a 25% slowdown read −30% on flood:linqing.
  const block = t.cycle * BLOCK_CYCLES;
  const timers = new Map(order.map((which) => [which, which === 'this' ? blockTimer(t, block, o.slowdown) : blockTimer(other!, block, 0)]));
  const timeBlock = timers.get('this')!;
  const otherBlock = timers.get('other');
  // the reference: the calibration, or the other build's blocks of the same replications (per replication)
  let reference: () => { cpu: number; wall: number };
  if (otherBlock) {
    // Both builds made and warmed up before either settles, and settled side by side: see settle.
    settle([otherBlock, timeBlock]);
    reference = () => {
      const w = performance.now();
      const cpu = otherBlock();
      return { cpu: cpu / block, wall: (performance.now() - w) / block };
    };
  } else {
    reference = () => {
      const w = performance.now();
      const c = cpuMs();
      for (let i = 0; i < CALIBRATION_UNITS; i++) sink += calibrationWork();
      return { cpu: (cpuMs() - c) / CALIBRATION_UNITS, wall: (performance.now() - w) / CALIBRATION_UNITS };
    };
    for (let i = 0; i < CALIBRATION_WARMUP; i++) reference();
    settle([timeBlock]);
  }
  const refs = [reference()];
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
    const after = reference();
    refs.push(after);
    ratios.push(blockCpu / block / ((refs[refs.length - 2]!.cpu + after.cpu) / 2));
  }
  if (sink === Number.MIN_VALUE) process.stderr.write('');
  return {
    task: o.task,
    ratio: median(ratios),
    cpuMs: median(cpu),
    wallMs: median(wall),
    calibrationCpuMs: median(refs.map((x) => x.cpu)),
    calibrationWallMs: median(refs.map((x) => x.wall)),
    pairs: ratios.length,
    replications: ratios.length * block,
  };
}

/**
 * A task made and warmed up: replications 0…warmup−1 (varied work for the JIT); then a timer of
 * blocks that cycle through 0…cycle−1, a slowdown's extra trials included, so each block repeats
 * the same work. Returns a block's CPU milliseconds.
 */
function blockTimer(t: ReturnType<typeof taskList>[number], block: number, slowdown: number): () => number {
  const trial = t.make();
  let j = 0;
  let owed = 0;
  const next = (): void => trial(j++ % t.cycle);
  const step = (): void => {
    next();
    owed += slowdown;
    while (owed >= 1) {
      next();
      owed -= 1;
    }
  };
  for (let r = 0; r < t.warmup; r++) trial(r);
  return () => {
    const c = cpuMs();
    for (let i = 0; i < block; i++) step();
    return cpuMs() - c;
  };
}

/**
 * Runs the timers' blocks in turn until the JIT settles: the per-trial cost of huantai/flood-50y
 * still fell from 0.40 to 0.29 ms over the 7,000 trials after the warm-up, so a child's early pairs
 * read high and a slowed child, running more trials, read the slowdown short (+7% for +25%).
 * Settled: no timer's block in the last SETTLED_BLOCKS turns came within 2% below its best, or
 * MAX_SETTLE_BLOCKS turns ran.
 *
 * Two builds settle side by side, never one after the other: the two engines share what V8 shares
 * within a process (the maps of the objects JSON.parse makes, among others), so making and running
 * the second build deoptimised the first's settled code. Its next four blocks of flood:linqing then
 * cost 1.6–2.7× its settled blocks, and the first four of the ten pairs read 0.33–0.69 in an A/A
 * run: the median fell to 0.94 idle, and to 0.75–0.88 on a loaded machine, where a 25% slowdown
 * read +9.5% to +13%. Settled in turns, the first pairs read 0.93–1.05.
 */
function settle(timers: readonly (() => number)[]): void {
  const best = timers.map(() => Number.POSITIVE_INFINITY);
  for (let n = 0, since = 0; n < MAX_SETTLE_BLOCKS && since < SETTLED_BLOCKS; n++) {
    let improved = false;
    timers.forEach((timeBlock, i) => {
      const x = timeBlock();
      if (x < best[i]! * 0.98) improved = true;
      best[i] = Math.min(best[i]!, x);
    });
    since = improved ? 0 : since + 1;
  }
}
