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

/** The mean and its t interval, intersected with `bounds` where the quantity cannot leave them (shares: [0, 1]). */
export function meanStat(m: Moments, bounds?: readonly [number, number]): MeanStat {
  const [lo, hi] = meanCi95(m.mean, m.variance, m.count);
  const b = bounds ?? [-Infinity, Infinity];
  return { n: m.count, mean: r7(m.mean), ci95: [r7(Math.max(b[0], lo)), r7(Math.min(b[1], hi))] };
}

/** Bounds of a share or a utilisation. */
export const UNIT: readonly [number, number] = [0, 1];

export function distStat(d: Distribution, bounds?: readonly [number, number]): DistStat {
  const q = (p: number): Num => r7(d.quantile(p));
  return {
    ...meanStat(d.moments, bounds),
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    min: r7(d.moments.min),
    max: r7(d.moments.max),
  };
}

export function probability(k: number, n: number): { p: Num; ci95: [Num, Num] } {
  const [lo, hi] = wilsonCi95(k, n);
  return { p: n > 0 ? r7(k / n) : null, ci95: [r7(lo), r7(hi)] };
}

/** k / n rounded, null when n is 0. */
export function ratio(k: number, n: number): Num {
  return r7(n > 0 ? k / n : NaN);
}
