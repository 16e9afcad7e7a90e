/**
 * Comparing a benchmark run with a stored baseline: a task regresses when its time relative to
 * the calibration measured in the same run (`ratio`) grew by more than the allowed percentage and
 * by more than the noise both runs measured. Ratios carry across machines; milliseconds do not.
 * Tasks missing on either side are listed, not failed.
 */
export interface BenchTask {
  readonly task: string;
  /** CPU ms per replication (all threads of the measuring process), median over the rounds. */
  readonly meanMs: number;
  /** Wall ms per replication, median over the rounds (secondary: a neighbour's load shows here). */
  readonly wallMs?: number;
  readonly opsPerSec?: number;
  /** Replications timed, all rounds. */
  readonly samples?: number;
  /** Calibration–task pairs, all rounds. */
  readonly pairs?: number;
  /** Rounds it was measured in, where more than the run's `rounds` (measured again near the bound). */
  readonly rounds?: number;
  /** CPU time per replication / the calibration's, median over pairs in a round, then over rounds. */
  readonly ratio: number;
  /** The standard error of the median ratio (from the rounds' MAD), % of the median. */
  readonly noisePct: number;
  /** The rounds' ratios from the lowest to the highest, % of the median (how far its children disagree). */
  readonly spreadPct?: number;
  /**
   * Each round's ratio, in the order measured (with `against`, the even-numbered rounds made this
   * build first and the odd-numbered the other first): what the median and the spread come from.
   */
  readonly roundRatios?: readonly number[];
}

export interface BenchReport {
  readonly kind: 'dsim.bench';
  readonly schemaVersion: 3;
  readonly machine: Record<string, unknown>;
  readonly rounds: number;
  /** The calibration's CPU time (ms), median over the rounds. */
  readonly calibrationMs: number;
  readonly slowdown?: number;
  /** Measured against another build (its root) instead of the calibration: ratios are this build's cost over that one's. */
  readonly against?: string;
  readonly tasks: readonly BenchTask[];
}

export interface Comparison {
  readonly task: string;
  readonly baselineRatio: number;
  readonly currentRatio: number;
  /** (current ratio / baseline ratio − 1) × 100. */
  readonly changePct: number;
  /** The bound it was judged by: the larger of --max-regression and NOISE_FACTOR × both runs' noise. */
  readonly boundPct: number;
  /** The current run's spread of its rounds (BenchTask `spreadPct`), where it has one. */
  readonly spreadPct?: number;
  readonly regressed: boolean;
}

/**
 * The default bound, %. On the 2-core AMD EPYC machine, idle, against a baseline of the same
 * machine: with wall-clock ratios (tinybench) a run moved a task by up to +15.1%; measured as now
 * (CPU time, paired, the same work in every block), two runs by at most +2.7%, and a deliberate 25%
 * slowdown read +15.8% to +39.4% (bench/gate-check.js; README).
 */
export const DEFAULT_MAX_REGRESSION = 15;

/** A change counts only beyond this multiple of the two runs' measured noise (added). */
export const NOISE_FACTOR = 2;

/**
 * Whether a task's first rounds cannot be judged: its change reads too near the bound (above half
 * the bound and no further above the bound than that half again), or its children disagree by more
 * than the bound (the spread of their ratios), so that the median of three rests on which of them
 * were lucky. Such a task is measured for as many rounds again and judged on all of them (runSuite's
 * `recheck`): two stages, as a sequential test does.
 * - Near the bound: on the 2-core machine with 4 busy processes, three rounds of a copy of this
 *   build read up to +12.7% and three of a 25% slowdown as little as +15.3% with a noise that lifted
 *   the bound above it; each child's two builds settle a few per cent apart (its own JIT's luck).
 * - Disagreeing: a child's second-made build now and then settles 30–70% slow for the whole child
 *   (README, "The order the builds are made in"). Three children of `year:yanzhou` slowed by 25%
 *   read 0.885, 0.995 and 1.7: a median of −0.5%, far from the bound, and the slowdown missed. The
 *   median's own noise (from the MAD) cannot see it, being robust to exactly one such child.
 * A task clear of the bound with children that agree is not measured again.
 */
export function undecided(row: Comparison, maxRegressionPct: number): boolean {
  const nearBound = row.changePct > maxRegressionPct / 2 && row.changePct <= row.boundPct + maxRegressionPct / 2;
  return nearBound || (row.spreadPct ?? 0) > maxRegressionPct;
}

/**
 * A run measured against another build (`dsim bench --against`) judged as a comparison: that build
 * is the baseline at ratio 1 with no noise of its own (its noise is inside each pair's ratio), so a
 * task regressed when this build's cost over that one's grew by more than the bound.
 */
export function compareAgainst(current: BenchReport, maxRegressionPct: number): { rows: Comparison[]; missing: string[] } {
  const other: BenchReport = { ...current, tasks: current.tasks.map((t) => ({ task: t.task, meanMs: t.meanMs, ratio: 1, noisePct: 0 })) };
  return compareBench(current, other, maxRegressionPct);
}

export function compareBench(
  current: BenchReport,
  baseline: BenchReport,
  maxRegressionPct: number,
): { rows: Comparison[]; missing: string[] } {
  const base = new Map(baseline.tasks.map((t) => [t.task, t]));
  const rows: Comparison[] = [];
  const missing: string[] = [];
  for (const t of current.tasks) {
    const b = base.get(t.task);
    if (!b) {
      missing.push(t.task);
      continue;
    }
    const changePct = (t.ratio / b.ratio - 1) * 100;
    const boundPct = Math.max(maxRegressionPct, NOISE_FACTOR * (t.noisePct + b.noisePct));
    rows.push({
      task: t.task,
      baselineRatio: b.ratio,
      currentRatio: t.ratio,
      changePct,
      boundPct,
      ...(t.spreadPct !== undefined && { spreadPct: t.spreadPct }),
      regressed: changePct > boundPct,
    });
  }
  for (const b of baseline.tasks) if (!current.tasks.some((t) => t.task === b.task)) missing.push(b.task);
  return { rows, missing };
}
