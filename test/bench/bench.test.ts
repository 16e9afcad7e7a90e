import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCpuList, pinnableCpus, pinnedCommand } from '../../src/bench/children.js';
import { type BenchReport, compareAgainst, compareBench, undecided } from '../../src/bench/compare.js';
import { MIN_PAIRS, TaskMeasurement } from '../../src/bench/measure.js';
import { runMmc } from '../../src/bench/mmc.js';
import { CHILD_FLAGS, medianError, summarise } from '../../src/bench/suite.js';
import { dsim } from '../helpers.js';
import { alive, ended, spawnTracked } from '../procs.js';

const report = (tasks: [string, number, number?][]): BenchReport => ({
  kind: 'dsim.bench',
  schemaVersion: 3,
  machine: {},
  rounds: 3,
  calibrationMs: 10,
  tasks: tasks.map(([task, ratio, noisePct = 1]) => ({ task, meanMs: ratio * 10, ratio, noisePct })),
});

describe('bench comparison (ratios to the calibration, beyond the noise)', () => {
  it('flags a task whose ratio grew beyond the bound, and only that one', () => {
    const base = report([
      ['a', 1.0],
      ['b', 2.0],
    ]);
    const cur = report([
      ['a', 1.05],
      ['b', 2.5],
    ]);
    const { rows } = compareBench(cur, base, 10);
    expect(rows.map((r) => [r.task, r.regressed])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(rows[1]!.changePct).toBeCloseTo(25, 10);
  });
  it('judges ratios, not milliseconds: a machine twice as slow moves no ratio', () => {
    const base = report([['a', 0.5]]);
    const slowMachine: BenchReport = { ...base, calibrationMs: 20, tasks: base.tasks.map((t) => ({ ...t, meanMs: t.meanMs * 2 })) };
    expect(compareBench(slowMachine, base, 10).rows[0]).toMatchObject({ changePct: 0, regressed: false });
  });
  it('widens the bound to twice the two runs’ noise where that is larger than --max-regression', () => {
    const { rows } = compareBench(report([['a', 1.3, 8]]), report([['a', 1.0, 9]]), 10);
    expect(rows[0]!.boundPct).toBeCloseTo(2 * (8 + 9), 10);
    expect(rows[0]!.regressed).toBe(false); // +30% within 34%
    expect(compareBench(report([['a', 1.4, 8]]), report([['a', 1.0, 9]]), 10).rows[0]!.regressed).toBe(true);
  });
  it('lists tasks present in one run only instead of failing on them', () => {
    const { rows, missing } = compareBench(
      report([
        ['a', 1],
        ['new', 1],
      ]),
      report([
        ['a', 1],
        ['old', 1],
      ]),
      10,
    );
    expect(rows).toHaveLength(1);
    expect(missing.sort()).toEqual(['new', 'old']);
  });
  it('measures again only a task whose change reads too near the bound to judge', () => {
    // bound 15%: from half the bound (7.5%) to half a bound above it (22.5%)
    const at = (changePct: number, noisePct = 1) => compareAgainst(report([['a', 1 + changePct / 100, noisePct]]), 15).rows[0]!;
    expect([-3, 5, 7.4, 7.6, 12.7, 15.3, 22.4, 22.6, 29].map((c) => undecided(at(c), 15))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    // noise of 10% lifts the bound to 20%: a change up to 27.5% is not yet clear of it
    expect(at(25, 10).boundPct).toBeCloseTo(20, 10);
    expect(undecided(at(25, 10), 15)).toBe(true);
    expect(undecided(at(28, 10), 15)).toBe(false);
  });
  it('measures again a task whose children disagree by more than the bound, wherever its median reads', () => {
    // three slowed children of year:yanzhou read 0.885, 0.995 and 1.7: median 0.995 (−0.5%), MAD 0.11
    const runs = [0.885, 0.995, 1.7];
    const median = 0.995;
    const spreadPct = ((1.7 - 0.885) / median) * 100; // 81.9%
    const noisePct = (medianError(runs) / median) * 100; // 11.9%: lifts the bound to 23.7%, not near −0.5%
    const row = (spread: number) =>
      compareAgainst({ ...report([]), tasks: [{ task: 'year:yanzhou', meanMs: 1, ratio: median, noisePct, spreadPct: spread }] }, 15)
        .rows[0]!;
    expect(row(spreadPct).spreadPct).toBeCloseTo(81.9, 1);
    expect(row(spreadPct).regressed).toBe(false);
    expect(undecided(row(spreadPct), 15)).toBe(true);
    // children within the bound of each other, clear of it: judged on three
    expect(undecided(row(14.9), 15)).toBe(false);
    expect(undecided(row(15.1), 15)).toBe(true);
    // the spread a run reports: (highest − lowest) / median of its rounds' ratios
    const m = (ratio: number) => ({
      task: 'year:yanzhou',
      ratio,
      cpuMs: 1,
      wallMs: 1,
      calibrationCpuMs: 1,
      calibrationWallMs: 1,
      pairs: 4,
      replications: 64,
    });
    const t = summarise('year:yanzhou', runs.map(m), 3);
    expect([t.ratio, t.spreadPct, t.noisePct]).toEqual([0.995, 81.91, 11.86]);
    expect(t.roundRatios).toEqual(runs);
  });
  it('the noise is the standard error of the median from the rounds’ MAD, robust to one disturbed round', () => {
    // MAD of [1, 1.1, 0.9, 1, 5] is 0.1: σ ≈ 0.148; s.e. of the median over 5 rounds ≈ 0.083
    expect(medianError([1, 1.1, 0.9, 1, 5])).toBeCloseTo((1.2533 * 1.4826 * 0.1) / Math.sqrt(5), 12);
  });
});

afterEach(() => vi.restoreAllMocks());

describe('dsim bench --compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsim-bench-'));
  const gate = ['bench', '--filter', '^mmc$', '--time', '60', '--rounds', '2'];
  // The suite runs for real (one small task, each round in a fresh child process); baselines with
  // ratios 10× smaller or larger make the verdict certain.
  it('fails, naming the task, when the current ratio is beyond the baseline’s; passes when it is below', async () => {
    const first = join(dir, 'now.json');
    expect((await dsim(...gate, '--json', first)).code).toBe(0);
    const now = JSON.parse((await import('node:fs')).readFileSync(first, 'utf8')) as BenchReport;
    expect(now.tasks.map((t) => t.task)).toEqual(['mmc']);
    expect(now.tasks[0]!.ratio).toBeCloseTo(now.tasks[0]!.meanMs / now.calibrationMs, 1);
    const faster = join(dir, 'faster.json');
    writeFileSync(faster, JSON.stringify({ ...now, tasks: now.tasks.map((t) => ({ ...t, ratio: t.ratio / 10 })) }));
    const r = await dsim(...gate, '--compare', faster, '--max-regression', '10');
    expect(r.code).toBe(6);
    expect(r.err).toMatch(/slower than the baseline by more than 10%: mmc/);
    const slower = join(dir, 'slower.json');
    writeFileSync(slower, JSON.stringify({ ...now, tasks: now.tasks.map((t) => ({ ...t, ratio: t.ratio * 10 })) }));
    expect((await dsim(...gate, '--compare', slower)).code).toBe(0);
  });
  it('catches a task slowed on purpose (DSIM_BENCH_SLOWDOWN: twice the work) against a baseline of this machine', async () => {
    const base = join(dir, 'base.json');
    expect((await dsim(...gate, '--json', base)).code).toBe(0);
    process.env['DSIM_BENCH_SLOWDOWN'] = '1';
    try {
      const r = await dsim(...gate, '--compare', base, '--max-regression', '40');
      expect(r.code).toBe(6);
      expect(r.out).toMatch(/SLOWER mmc/);
    } finally {
      delete process.env['DSIM_BENCH_SLOWDOWN'];
    }
  });
  it('measures a task near the bound for as many rounds again, and judges it on all of them', async () => {
    const now = join(dir, 'near.json');
    expect((await dsim(...gate, '--json', now)).code).toBe(0);
    const first = JSON.parse(readFileSync(now, 'utf8')) as BenchReport;
    expect(first.tasks[0]!.rounds).toBeUndefined();
    // a baseline at half the ratio: +100% against a bound of 100% is neither clear pass nor clear fail
    const half = join(dir, 'half.json');
    writeFileSync(half, JSON.stringify({ ...first, tasks: first.tasks.map((t) => ({ ...t, ratio: t.ratio / 2 })) }));
    const out = join(dir, 'rechecked.json');
    const r = await dsim(...gate, '--compare', half, '--max-regression', '100', '--json', out);
    expect([0, 6]).toContain(r.code);
    expect(r.out).toMatch(/^mmc .*\(4 rounds: measured again: too near the bound or too spread to judge\)$/m);
    const again = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(again.rounds).toBe(2);
    expect(again.tasks[0]!.rounds).toBe(4);
    expect(again.tasks[0]!.pairs).toBeGreaterThanOrEqual(4 * MIN_PAIRS);
    // a baseline at the same ratio is clear of the bound: two rounds, not measured again
    const clear = await dsim(...gate, '--compare', now, '--max-regression', '100');
    expect(clear.code).toBe(0);
    expect(clear.out).not.toContain('measured again');
  });
  it('rejects a baseline that is not a bench report with ratios, naming the file and the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"tasks": 3}');
    const r = await dsim('bench', '--compare', bad, '--filter', 'nothing');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad} is not a dsim bench report with calibration ratios (kind:`);
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ kind: 'dsim.bench', machine: {}, tasks: [{ task: 'mmc', meanMs: 4, rmePct: 1 }] }));
    expect((await dsim('bench', '--compare', old, '--filter', 'nothing')).err).toContain('refresh it with `dsim bench --json');
  });
});

describe('dsim bench --against (this build against another, in the same processes)', () => {
  it('judges each task against ratio 1 (that build), by the bound or twice the noise, whichever is larger', () => {
    const { rows } = compareAgainst(
      report([
        ['same', 1.04],
        ['slower', 1.3],
        ['noisy', 1.3, 9],
      ]),
      10,
    );
    expect(rows.map((r) => [r.task, r.baselineRatio, Math.round(r.changePct), r.boundPct, r.regressed])).toEqual([
      ['same', 1, 4, 10, false],
      ['slower', 1, 30, 10, true],
      ['noisy', 1, 30, 18, true],
    ]);
  });

  // A second copy of this build in a folder of its own (its own module instances, as a worktree's
  // build would be): the same code, so the true ratio is 1; DSIM_BENCH_SLOWDOWN=1 doubles the
  // work of this build only, so it is 2.
  const copy = mkdtempSync(join(tmpdir(), 'dsim-against-'));
  const root = join(import.meta.dirname, '..', '..');
  const gate = ['bench', '--filter', '^mmc$', '--time', '60', '--rounds', '1', '--against', copy];
  it('reads a copy of this build at a ratio near 1, and the same build doing twice the work near 2', async () => {
    for (const f of ['dist', 'scenarios', 'package.json']) cpSync(join(root, f), join(copy, f), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const same = await dsim(...gate, '--json', '-');
    expect(same.code, same.err).toBe(0);
    const ratio = (JSON.parse(same.out) as BenchReport).tasks[0]!.ratio;
    expect((JSON.parse(same.out) as BenchReport).machine['pinned']).toBe(pinnableCpus().length > 0);
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
    process.env['DSIM_BENCH_SLOWDOWN'] = '1';
    try {
      const slowed = await dsim(...gate, '--max-regression', '40');
      expect(slowed.code).toBe(6);
      const m = /SLOWER mmc\s+ratio 1\.000 -> ([\d.]+)/.exec(slowed.out);
      expect(m, slowed.out).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(1.7);
      expect(Number(m![1])).toBeLessThan(2.3);
      expect(slowed.err).toMatch(/slower than the build in --against by more than 40%: mmc/);
    } finally {
      delete process.env['DSIM_BENCH_SLOWDOWN'];
    }
  });
  it('refuses a folder that holds no build, naming it and what is missing, and --against with --compare', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dsim-against-empty-'));
    const r = await dsim('bench', '--against', empty, '--filter', 'nothing');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--against: ${empty} is not a built dsim (missing dist/scenario/load.js`);
    expect(r.err).not.toMatch(/\n\s+at /);
    const both = await dsim('bench', '--against', empty, '--compare', 'x.json');
    expect(both.code).toBe(2);
    expect(both.err).toContain('--against and --compare are two gates');
  });
});

describe('a measuring child pinned to one CPU (children.ts)', () => {
  it('reads a Linux CPU list, and refuses anything else by pinning nothing', () => {
    expect(parseCpuList('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(parseCpuList('5')).toEqual([5]);
    for (const bad of ['', '3-1', '0-', 'a', '0,,1', '99999']) expect(parseCpuList(bad), bad).toEqual([]);
  });
  it('pins only where taskset is on the PATH and the CPUs this process may use are known', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-pin-'));
    const status = join(dir, 'status');
    writeFileSync(status, 'Name:\tnode\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'taskset'), '#!/bin/sh\n');
    chmodSync(join(bin, 'taskset'), 0o755);
    expect(pinnableCpus(status, `/nonexistent:${bin}`)).toEqual([0, 1]);
    expect(pinnableCpus(status, '/nonexistent')).toEqual([]);
    expect(pinnableCpus(join(dir, 'missing'), bin)).toEqual([]);
    chmodSync(join(bin, 'taskset'), 0o644);
    expect(pinnableCpus(status, bin)).toEqual([]);
  });
  it('runs the child on the CPU it names, as the same process (taskset execs it)', () => {
    expect(pinnedCommand(undefined, 'node', ['a'])).toEqual(['node', ['a']]);
    const cpus = pinnableCpus();
    if (cpus.length === 0) return; // not Linux, or no taskset: the suite pins nothing (the test above)
    const cpu = cpus[cpus.length - 1]!;
    const [file, args] = pinnedCommand(cpu, process.execPath, [
      '-e',
      'process.stdout.write(require("fs").readFileSync("/proc/self/status","utf8").match(/^Cpus_allowed_list:\\s*(\\S+)/m)[1])',
    ]);
    const r = spawnSync(file, args, { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(String(cpu));
  });
});

/** The measuring child, as the suite starts it, given its request. */
const child = (arg: string) =>
  spawnSync(process.execPath, [...CHILD_FLAGS, join(import.meta.dirname, '..', '..', 'workers', 'bench-child.js'), arg], {
    encoding: 'utf8',
  });

describe('dsim bench stopped by a signal', () => {
  // A child of pid whose command line (its arguments) passes `is`, once dsim has started it
  // (Linux: /proc/PID/task/PID/children; between fork and exec its command line is still dsim's).
  const childOf = (pid: number, is: (argv: string[]) => boolean): number | undefined => {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
    return kids.find((k) => {
      try {
        return is(readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0'));
      } catch {
        return false;
      }
    });
  };
  /** Starts dsim with `args`, sends SIGTERM once its child named `what` runs, and checks both are gone. */
  const stopsWithChild = async (args: string[], what: string, is: (argv: string[]) => boolean) => {
    const p = spawnTracked(process.execPath, ['bin/dsim.js', ...args], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | number | null>((r) => p.once('exit', (code, signal) => r(signal ?? code)));
    let child = childOf(p.pid!, is);
    while (child === undefined) {
      expect(ended(p), `dsim ${args.join(' ')} ended before starting its child`).toBe(false);
      await new Promise((r) => setTimeout(r, 20));
      child = childOf(p.pid!, is);
    }
    process.kill(p.pid!, 'SIGTERM');
    expect(await exited).toBe('SIGTERM');
    // killed (SIGKILL) before dsim ended: dead within moments, where a left child runs for minutes
    for (let i = 0; i < 3000 && alive(child); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(child), `the child ${child} (${what}) outlived dsim ${args[0]}`).toBe(false);
  };
  it.runIf(process.platform === 'linux')('takes its measuring child with it and ends by that signal', async () => {
    // --time 600000: the child would measure for ten minutes of CPU if it were left behind
    await stopsWithChild(['bench', '--filter', '^mmc$', '--rounds', '1', '--time', '600000'], 'the measuring child', (argv) =>
      argv.some((a) => a.endsWith('bench-child.js')),
    );
  });
  it.runIf(process.platform === 'linux')('dsim bench peers takes its running peer with it', async () => {
    // 100 million customers: SimPy would run for hours, C for seconds, the floor for a minute
    // (gcc, which builds the C peer first, is not a peer: it names mmc.c, not runs it)
    await stopsWithChild(
      ['bench', 'peers', '--customers', '100000000', '--rounds', '1'],
      'a peer',
      (argv) =>
        argv.some((a) => a.endsWith('mmc_simpy.py') || a.endsWith('mmc_floor.mjs') || /\/dsim-mmc-[^/]+\/mmc$/.test(a)) &&
        !argv[0]!.endsWith('gcc'),
    );
  });
});

describe('the measuring child (a process boundary)', () => {
  it('refuses a request that is not JSON or names no task of the suite, naming the field, without a stack trace', () => {
    const bad = child('{"task": "flood:atlantis", "timeMs": 300, "slowdown": 0}');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^bench-child: not a measurement request: .*"task"/s);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const huge = child('{"task": "mmc", "timeMs": 1e12, "slowdown": 0}');
    expect(huge.status).toBe(2);
    expect(huge.stderr).toMatch(/timeMs/);
    expect(child('not json').status).toBe(2);
  });
  it('measures in pairs, at least MIN_PAIRS, and reports figures its parent can parse', () => {
    const r = child('{"task": "mmc", "timeMs": 1, "slowdown": 0}');
    expect(r.status, r.stderr).toBe(0);
    const m = TaskMeasurement.parse(JSON.parse(r.stdout));
    expect(m.pairs).toBe(MIN_PAIRS); // 1 ms of timed work is reached in the first pair; the minimum holds
    expect(m.replications).toBeGreaterThanOrEqual(m.pairs); // a block is one replication at least
    // GC on the main thread (CHILD_FLAGS) and the compiler threads left out: no helper thread adds CPU time beyond the wall clock
    expect(m.cpuMs).toBeLessThanOrEqual(m.wallMs * 1.01);
  });
});

describe('dsim bench mmc', () => {
  it('runs exactly N customers through the engine and reports the documented keys', async () => {
    const r = runMmc({ lambda: 4, mu: 1, servers: 5, customers: 20_000, seed: 2 });
    expect(r.customers).toBe(20_000);
    expect(Object.keys(r).sort()).toEqual(['customers', 'eventsPerSec', 'events', 'meanWait', 'wallMs'].sort());
    expect(r.events).toBeGreaterThanOrEqual(2 * 20_000); // an arrival and a departure per customer
    expect(r.meanWait).toBeGreaterThan(0.3); // Erlang C: 0.554 h; one run of 20,000 is noisy
    expect(r.meanWait).toBeLessThan(0.9);
  });
  it('refuses an unstable queue', async () => {
    const out = await dsim('bench', 'mmc', '--lambda', '2', '--mu', '0.1', '--servers', '10', '--customers', '10');
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/unstable queue/);
  });
});

describe('dsim bench peers', () => {
  it('runs the same M/M/c in dsim and each installed peer, each near the Erlang C mean wait; a missing peer says so', async () => {
    const { erlangCWait, runPeers } = await import('../../src/bench/peers.js');
    // Erlang C by hand for λ 4, μ 1, c 5 (a = 4, ρ 0.8): P(wait) = 0.5541, Wq = 0.5541 / (5 − 4)
    expect(erlangCWait(4, 1, 5)).toBeCloseTo(0.55411, 4);
    expect(erlangCWait(0.9, 0.1, 10)).toBeCloseTo(6.6873, 3);
    const r = await runPeers({ lambda: 4, mu: 1, servers: 5, customers: 200_000, seed: 3 }, 1);
    expect(r.runs.map((x) => x.engine)).toEqual(['dsim', 'simpy', 'c', 'js']);
    expect(r.runs[3]!.wallMs, 'the JavaScript floor needs only node').not.toBeNull();
    for (const x of r.runs) {
      if (x.wallMs === null) {
        expect(x.missing).toMatch(/not installed|not found|failed/);
        continue;
      }
      expect(x.customers, x.engine).toBe(200_000);
      expect(Math.abs(x.meanWait! / r.erlangCWait - 1), x.engine).toBeLessThan(0.1);
    }
    expect(r.runs[0]!.wallMs).toBeGreaterThan(0);
  });
  it("times a scenario task at what `dsim run` spends on it: the harness's CPU per replication within 1.5× of the run's", () => {
    // Issue 27: on a slower machine the old harness read huantai's flood 10–18× the CPU that
    // `dsim run` spent there. Both by CPU time (not wall: a loaded runner changes neither), on this
    // machine, now: the harness's steady replications 0–63 against a run of 3,000 made after a run
    // of 500 in the same process, so that neither side pays for start-up, imports or the JIT's first
    // compiles. (Timed cold, the run's start-up under a loaded CI runner outweighed its 3,000
    // replications and the ratio fell to 0.32: a bound on luck, not on the harness.)
    const m = TaskMeasurement.parse(JSON.parse(child('{"task": "flood:huantai", "timeMs": 200, "slowdown": 0}').stdout));
    const script = `const { main } = await import(${JSON.stringify(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js'))});
const args = (n) => ['run', 'huantai/flood-50y', '-n', String(n), '--workers', '1', '--quiet', '--no-timing', '--json', '/dev/null'];
const warm = await main(args(500));
const c = process.cpuUsage();
const code = await main(args(3000));
const u = process.cpuUsage(c);
process.stdout.write(JSON.stringify({ warm, code, ms: (u.user + u.system) / 1000 }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const { warm, code, ms } = JSON.parse(run.stdout) as { warm: number; code: number; ms: number };
    expect([warm, code]).toEqual([0, 0]);
    const runMsPerReplication = ms / 3000;
    expect(m.cpuMs / runMsPerReplication, `harness ${m.cpuMs} ms, run ${runMsPerReplication} ms a replication`).toBeLessThan(1.5);
    // and not a harness that skips the work: at least a third of the run's cost (measured 0.53–0.75,
    // idle and with four busy processes; the run also keeps the KPIs and their summary)
    expect(m.cpuMs / runMsPerReplication).toBeGreaterThan(1 / 3);
  });
});
