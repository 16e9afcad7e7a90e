/**
 * How statistics appear in a result: a mean with its 95% interval, a distribution with its
 * quantiles, a probability with its Wilson interval. Numbers are rounded to 7 significant digits
 * and non-finite ones become null (JSON has no NaN). The zod shapes are the result schema's
 * building blocks (kpi/result-schema.ts).
 */
import { z } from 'zod';
import type { Distribution } from './distribution.js';
import { meanCi95, wilsonCi95 } from './interval.js';
import type { Moments } from './moments.js';

export const Num = z.number().nullable();
export type Num = z.infer<typeof Num>;
export const Interval = z.tuple([Num, Num]);

export const MeanStat = z.object({ n: z.number().int(), mean: Num, ci95: Interval });
export type MeanStat = z.infer<typeof MeanStat>;

export const DistStat = MeanStat.extend({ p50: Num, p90: Num, p95: Num, p99: Num, min: Num, max: Num });
export type DistStat = z.infer<typeof DistStat>;

/** Rounds to 7 significant digits; non-finite numbers become null. */
export function r7(x: number): Num {
  return Number.isFinite(x) ? Number(x.toPrecision(7)) : null;
}

/**
 * The mean and its t interval, intersected with the quantity's support (`bounds`: by default
 * [0, ∞), as every quantity dsim reports is a count, a time, a loss or a share; shares [0, 1]), so
 * no printed interval leaves it: a t interval on a skewed quantity from few replications can
 * reach below zero.
 */
export function meanStat(m: Moments, bounds: readonly [number, number] = NONNEGATIVE): MeanStat {
  const [lo, hi] = meanCi95(m.mean, m.variance, m.count);
  const b = bounds;
  return { n: m.count, mean: r7(m.mean), ci95: [r7(Math.max(b[0], lo)), r7(Math.min(b[1], hi))] };
}

/** Bounds of a share or a utilisation. */
export const UNIT: readonly [number, number] = [0, 1];
/** Bounds of a count, a time, a loss. */
export const NONNEGATIVE: readonly [number, number] = [0, Infinity];

/**
 * A heavy-tailed quantity's quantiles without a mean: a flood's return period T has P(T > t) = 1/t,
 * so its mean is infinite and a sample mean (one 2,369,110-year flood among thousands) says
 * nothing; its t interval leaves the support. Quantiles, min and max stay.
 */
export function quantilesOnly(d: Distribution): DistStat {
  return { ...distStat(d), mean: null, ci95: [null, null] };
}

/**
 * A time censored at `horizon` (the replications where it did not happen by then, `censored`
 * of them, count as beyond it): quantiles over all the replications, null where they fall among
 * the censored (printed "> horizon"); the mean and its interval over those that happened, within
 * [0, horizon].
 */
export function censoredDistStat(d: Distribution, censored: number, horizon: number): DistStat {
  const seen = d.moments.count;
  const all = seen + censored;
  return withQuantiles(meanStat(d.moments, [0, horizon]), d, (p) =>
    all === 0 || p * all > seen ? null : r7(d.quantile(Math.min(1, (p * all) / seen))),
  );
}

export function distStat(d: Distribution, bounds: readonly [number, number] = NONNEGATIVE): DistStat {
  return withQuantiles(meanStat(d.moments, bounds), d, (p) => r7(d.quantile(p)));
}

/** A mean statistic with the quantiles `q` gives and the distribution's extremes. */
function withQuantiles(mean: MeanStat, d: Distribution, q: (p: number) => Num): DistStat {
  return { ...mean, p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), min: r7(d.moments.min), max: r7(d.moments.max) };
}

export function probability(k: number, n: number): { p: Num; ci95: [Num, Num] } {
  const [lo, hi] = wilsonCi95(k, n);
  return { p: n > 0 ? r7(k / n) : null, ci95: [r7(lo), r7(hi)] };
}

/** k / n rounded, null when n is 0. */
export function ratio(k: number, n: number): Num {
  return r7(n > 0 ? k / n : NaN);
}
