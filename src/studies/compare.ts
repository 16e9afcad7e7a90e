/**
 * Paired comparisons of variants of a scenario. Variant k of replication i draws the same random
 * numbers as every other variant of replication i (streams are named by content: rng/stream.ts),
 * so all K variants of a replication run together and the per-replication *differences* against
 * the first variant are accumulated: the mean difference with a paired 95% interval, far narrower
 * than comparing two independent means when the variants share their floods, fires and releases.
 * Merges are exact, so the figures do not depend on how the replications were split.
 */

import { DsimError, ErrorCodes } from '../errors.js';
import type { RunResult } from '../kpi/result.js';
import { ENGINE_VERSION, r7, summarise } from '../kpi/summary.js';
import type { Executor } from '../run/executor.js';
import { evaluatedTargets } from '../run/local.js';
import { METRICS, PairedAccumulator } from '../run/paired.js';
import type { WorkerPool } from '../run/pool.js';
import { compile } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import { meanCi95 } from '../stats/interval.js';
import type { Moments } from '../stats/moments.js';
import { newcombePaired, newcombeUnpaired, pairedCells } from '../stats/newcombe.js';
import { type AssumptionOptions, type Assumptions, assumptionsOf } from './assumptions.js';
import { withValue } from './size.js';

export interface Variant {
  readonly name: string;
  readonly scenario: Scenario;
  /** Evaluate relief at this deadline instead of the scenario's (evaluation only). */
  readonly deadlineHours?: number;
}

export interface Difference {
  readonly variant: string;
  /** Replications where both variants have a value. */
  readonly n: number;
  readonly mean: number | null;
  readonly ci95: [number | null, number | null];
  /** The interval two independent runs would give (same replications, differences ignored). */
  readonly unpairedCi95: [number | null, number | null];
  /** Whether the paired interval excludes 0. */
  readonly significant: boolean;
}

export interface ComparedMetric {
  readonly id: string;
  readonly label: string;
  /** A column header. */
  readonly short: string;
  readonly unit: string;
  /** Each variant's mean over the replications where it has a value. */
  readonly values: (number | null)[];
  readonly differences: Difference[];
}

export interface Comparison {
  readonly kind: 'dsim.comparison';
  readonly schemaVersion: 1;
  readonly engineVersion: string;
  readonly seed: number;
  readonly replications: number;
  /** False when compared from stored results: their differences are unpaired (no per-replication values kept). */
  readonly paired: boolean;
  readonly variants: { readonly name: string; readonly result: RunResult }[];
  /** Headline KPIs, then every target shared by the variants (`target:ID`: met 1, missed 0, so the mean is P(met)). */
  readonly metrics: ComparedMetric[];
}

const ci = (m: Moments): [number | null, number | null] => {
  if (m.count < 2) return [null, null];
  const [lo, hi] = meanCi95(m.mean, m.variance, m.count);
  return [r7(lo), r7(hi)];
};

/** Newcombe's paired interval of P(met) in B − P(met) in A, from A's 0/1 values and the differences B − A. */
export function pairedProbabilityCi(a: Moments, diff: Moments): [number | null, number | null] {
  if (diff.count === 0) return [null, null];
  const cells = pairedCells(diff.count, a.sum, diff.sum, diff.sumSquares);
  const [lo, hi] = newcombePaired(cells.both, cells.onlyA, cells.onlyB, cells.neither);
  return [r7(lo), r7(hi)];
}

/** Newcombe's interval of P(met) in B − P(met) in A as if the two were independent samples. */
function unpairedProbabilityCi(a: Moments, b: Moments): [number | null, number | null] {
  if (a.count === 0 || b.count === 0) return [null, null];
  const [lo, hi] = newcombeUnpaired(Math.round(a.sum), a.count, Math.round(b.sum), b.count);
  return [r7(lo), r7(hi)];
}

/** The interval of a difference of two means taken as independent (Welch, normal quantile). */
function unpaired(a: Moments, b: Moments): [number | null, number | null] {
  if (a.count < 2 || b.count < 2) return [null, null];
  const d = b.mean - a.mean;
  const se = Math.sqrt(a.variance / a.count + b.variance / b.count);
  return [r7(d - 1.959964 * se), r7(d + 1.959964 * se)];
}

export interface PairedRunOptions {
  readonly replications: number;
  /**
   * A worker pool runs batches of replications on its threads (all variants of a replication
   * together); anything else, or none, runs them in this thread. The figures are the same.
   */
  readonly executor?: Executor;
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs the variants on the same replications, in this thread (yielding every 50 ms so progress
 * and Ctrl-C get through), and compares each with the first.
 */
export async function comparePaired(variants: readonly Variant[], o: PairedRunOptions): Promise<Comparison> {
  if (variants.length < 1) throw new Error('nothing to compare');
  const models = variants.map((v) => compile(v.scenario));
  const seed = o.seed ?? variants[0]!.scenario.seed;
  const targets = models.map((m, k) =>
    evaluatedTargets(m, variants[k]!.deadlineHours === undefined ? {} : { deadlineHours: variants[k]!.deadlineHours! }),
  );
  const p = new PairedAccumulator(models, targets);
  const pool = o.executor?.kind === 'pool' ? (o.executor as WorkerPool) : undefined;
  if (pool) {
    const merge = (data: unknown) => p.merge(PairedAccumulator.fromUntrusted(models, targets, data));
    await pool.runPaired(models, targets, seed, 0, o.replications, merge, (done) => o.onProgress?.(done, o.replications), o.signal);
    return summariseComparison(variants, p, seed);
  }
  let r = 0;
  while (r < o.replications) {
    if (o.signal?.aborted) throw o.signal.reason;
    const until = performance.now() + 50;
    do p.addReplication(seed, r++);
    while (r < o.replications && performance.now() < until);
    o.onProgress?.(r, o.replications);
    await new Promise((res) => setImmediate(res));
  }
  return summariseComparison(variants, p, seed);
}

export function summariseComparison(variants: readonly Variant[], p: PairedAccumulator, seed: number): Comparison {
  const label = (id: string) => {
    const m = METRICS.find((x) => x.id === id);
    if (m) return { label: m.label, short: m.short, unit: m.unit };
    const t = id.slice('target:'.length);
    return { label: `P(met): ${t}`, short: `P(${t})`, unit: 'share' };
  };
  const results = variants.map((_, k) => summarise(p.models[k]!, p.accs[k]!, seed));
  // The headline, as a run prints it: people relieved / people displaced, summed over the
  // replications, its paired difference by the delta method (stats/paired-ratio.ts).
  const half = (r: RunResult) => {
    const [lo, hi] = r.kpis.reliefWithinDeadline.ci95;
    return lo === null || hi === null ? null : (hi - lo) / 2 / 1.959964;
  };
  const headline: ComparedMetric = {
    id: 'reliefWithinDeadline',
    label: 'Share of displaced relieved within the deadline (people relieved / people displaced, summed)',
    short: 'relieved',
    unit: 'share',
    values: results.map((r) => r.kpis.reliefWithinDeadline.mean ?? null),
    differences: variants.slice(1).map((v, i) => {
      const k = i + 1;
      const d = p.relief[k]!.difference();
      const [sa, sb] = [half(results[0]!), half(results[k]!)];
      const zero = d.mean !== null && d.ci95[0] !== null && Math.abs(d.ci95[1]! - d.ci95[0]) < 1e-12 && d.mean === 0;
      const c: [number | null, number | null] = zero
        ? [0, 0]
        : [d.ci95[0] === null ? null : r7(d.ci95[0]), d.ci95[1] === null ? null : r7(d.ci95[1])];
      return {
        variant: v.name,
        n: p.relief[k]!.n,
        mean: d.mean === null ? null : r7(d.mean),
        ci95: c,
        unpairedCi95:
          d.mean === null || sa === null || sb === null
            ? [null, null]
            : [r7(d.mean - 1.959964 * Math.hypot(sa, sb)), r7(d.mean + 1.959964 * Math.hypot(sa, sb))],
        significant: !zero && c[0] !== null && (c[0] > 0 || c[1]! < 0),
      };
    }),
  };
  return {
    kind: 'dsim.comparison',
    schemaVersion: 1,
    engineVersion: ENGINE_VERSION,
    seed,
    replications: p.accs[0]!.replications,
    paired: true,
    variants: variants.map((v, k) => ({ name: v.name, result: results[k]! })),
    metrics: [
      headline,
      ...p.metricIds.map(
        (id, j): ComparedMetric => ({
          id,
          ...label(id),
          values: p.values.map((row) => (row[j]!.count > 0 ? r7(row[j]!.mean) : null)),
          differences: variants.slice(1).map((v, i) => {
            const k = i + 1;
            const d = p.diffs[k]![j]!;
            const [a, b] = p.paired[k]![j]!;
            // A target's P(met) is a share of 0/1 values: its difference gets Newcombe's bounded intervals.
            const probability = id.startsWith('target:');
            const c = probability ? pairedProbabilityCi(a!, d) : ci(d);
            // identical replications give a zero difference with a zero-width interval
            const zero = d.count > 0 && d.min === 0 && d.max === 0;
            return {
              variant: v.name,
              n: d.count,
              mean: d.count > 0 ? r7(d.mean) : null,
              ci95: zero ? [0, 0] : c,
              unpairedCi95: probability ? unpairedProbabilityCi(a!, b!) : unpaired(a!, b!),
              significant: !zero && c[0] !== null && (c[0] > 0 || c[1]! < 0),
            };
          }),
        }),
      ),
    ],
  };
}

/** One swept quantity and its values. */
export interface SweepRange {
  readonly path: string;
  readonly values: readonly number[];
}

export interface Sweep extends Omit<Comparison, 'kind'> {
  readonly kind: 'dsim.sweep';
  readonly paths: string[];
  /** What the sweep rests on, in words (absent in results stored before 0.10). */
  readonly assumptions?: Assumptions;
  /** The grid points, in the order of `variants` and of every metric's `values`. */
  readonly points: number[][];
}

/** At most this many grid points in one sweep. */
export const MAX_SWEEP_POINTS = 200;

/** The grid of a sweep (every combination of the ranges' values) as variants of `base`. */
export function sweepGrid(
  base: Scenario,
  ranges: readonly SweepRange[],
  deadlineHours?: number,
): { points: number[][]; variants: Variant[] } {
  let points: number[][] = [[]];
  for (const r of ranges) points = points.flatMap((p) => r.values.map((v) => [...p, v]));
  if (points.length > MAX_SWEEP_POINTS)
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.tooManyPoints', { count: points.length, max: MAX_SWEEP_POINTS });
  const variants = points.map((pt) => {
    let s = base;
    pt.forEach((v, i) => (s = withValue(s, ranges[i]!.path, v)));
    return {
      name: pt.map((v, i) => `${ranges[i]!.path}=${v}`).join(' '),
      scenario: s,
      ...(deadlineHours !== undefined && { deadlineHours }),
    };
  });
  return { points, variants };
}

/** Runs a sweep: every grid point on the same replications (common random numbers). */
export async function runSweep(
  base: Scenario,
  ranges: readonly SweepRange[],
  o: PairedRunOptions & { readonly deadlineHours?: number; readonly set?: AssumptionOptions['set'] },
): Promise<Sweep> {
  const { points, variants } = sweepGrid(base, ranges, o.deadlineHours);
  const c = await comparePaired(variants, o);
  const paths = ranges.map((r) => r.path);
  return { ...c, kind: 'dsim.sweep', paths, points, assumptions: assumptionsOf(base, paths, { ...o, seed: c.seed }) };
}

/**
 * Compares stored results of the same seed and replications. A result keeps no per-replication
 * values, so the differences are unpaired: d = b − a with the normal interval of two independent
 * means (each mean's standard error from its stored 95% interval). For paired differences run the
 * variants together (`comparePaired`).
 */
export function compareStored(results: readonly { name: string; result: RunResult }[]): Comparison {
  const [first] = results;
  if (!first || results.length < 2) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.twoResults');
  for (const r of results) {
    if (r.result.seed !== first.result.seed || r.result.replications !== first.result.replications) {
      throw new DsimError(
        ErrorCodes.RUN_OPTION,
        `${r.name}: seed ${r.result.seed} and ${r.result.replications} replications, but ${first.name} has seed ${first.result.seed} and ${first.result.replications}: compare results of the same seed and replications`,
      );
    }
  }
  type Read = (x: RunResult) => { mean: number | null; ci95: [number | null, number | null]; n: number } | undefined;
  const headline: { id: string; label: string; short: string; unit: string; read: Read }[] = [
    {
      id: 'reliefWithinDeadline',
      label: 'Share of displaced relieved within the deadline',
      short: 'relieved',
      unit: 'share',
      read: (x) => ({
        mean: x.kpis.reliefWithinDeadline.mean,
        ci95: x.kpis.reliefWithinDeadline.ci95,
        n: x.kpis.reliefWithinDeadline.replications,
      }),
    },
    { id: 'lossRatio', label: 'Direct loss / GDP', short: 'loss/GDP', unit: 'ratio', read: (x) => x.kpis.lossRatio },
    {
      id: 'responseTimeMinutes',
      label: 'Response time (min)',
      short: 'response min',
      unit: 'minutes',
      read: (x) => x.kpis.responseTimeMinutes,
    },
  ];
  const targetIds = first.result.targets.map((t) => t.id).filter((id) => results.every((r) => r.result.targets.some((t) => t.id === id)));
  const metrics: { id: string; label: string; short: string; unit: string; read: Read }[] = [
    ...headline,
    ...targetIds.map((id) => ({
      id: `target:${id}`,
      label: `P(met): ${id}`,
      short: `P(${id})`,
      unit: 'share',
      read: (x: RunResult) => {
        const t = x.targets.find((y) => y.id === id)!;
        return { mean: t.pMet, ci95: t.ci95, n: t.judged };
      },
    })),
  ];
  const se = (v: { ci95: [number | null, number | null] }) =>
    v.ci95[0] === null || v.ci95[1] === null ? null : (v.ci95[1] - v.ci95[0]) / (2 * 1.959964);
  return {
    kind: 'dsim.comparison',
    schemaVersion: 1,
    engineVersion: ENGINE_VERSION,
    seed: first.result.seed,
    replications: first.result.replications,
    paired: false,
    variants: results.map((r) => ({ name: r.name, result: r.result })),
    metrics: metrics.map((m) => {
      const a = m.read(first.result);
      return {
        id: m.id,
        label: m.label,
        short: m.short,
        unit: m.unit,
        values: results.map((r) => m.read(r.result)?.mean ?? null),
        differences: results.slice(1).map((r) => {
          const b = m.read(r.result);
          const sa = a && se(a);
          const sb = b && se(b);
          const d = a?.mean !== null && a?.mean !== undefined && b?.mean !== null && b?.mean !== undefined ? b.mean - a.mean : null;
          const half =
            d !== null && sa !== null && sa !== undefined && sb !== null && sb !== undefined ? 1.959964 * Math.hypot(sa, sb) : null;
          // P(met): Newcombe's interval from the judged counts (bounded by ±100%); other metrics: the normal one from the CIs.
          const counts = m.id.startsWith('target:') && a && b && a.n > 0 && b.n > 0 && d !== null;
          const ci: [number | null, number | null] = counts
            ? (newcombeUnpaired(Math.round(a!.mean! * a!.n), a!.n, Math.round(b!.mean! * b!.n), b!.n).map(r7) as [number, number])
            : d === null || half === null
              ? [null, null]
              : [r7(d - half), r7(d + half)];
          return {
            variant: r.name,
            n: Math.min(a?.n ?? 0, b?.n ?? 0),
            mean: d === null ? null : r7(d),
            ci95: ci,
            unpairedCi95: ci,
            significant: ci[0] !== null && ci[1] !== null && (ci[0] > 0 || ci[1] < 0),
          };
        }),
      };
    }),
  };
}
