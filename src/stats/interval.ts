/**
 * Confidence intervals: Student t for means of replications, Wilson score for probabilities.
 */
import { probit } from 'simple-statistics';

const T975_SMALL = [NaN, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706];

/**
 * Two-sided 97.5% quantile of Student's t with `df` degrees of freedom: exact values for
 * df <= 5, else the Cornish–Fisher expansion of Abramowitz & Stegun 26.7.5 (error < 1e-4).
 */
export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df < T975_SMALL.length) return T975_SMALL[df]!;
  const z = probit(0.975);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * (5 * z2 * z2 + 16 * z2 + 3)) / 96;
  const g3 = (z * (3 * z2 * z2 * z2 + 19 * z2 * z2 + 17 * z2 - 15)) / 384;
  const g4 = (z * (79 * z2 ** 4 + 776 * z2 ** 3 + 1482 * z2 * z2 - 1920 * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** 95% t interval for a mean from n observations with sample variance v. */
export function meanCi95(mean: number, variance: number, n: number): [number, number] {
  if (n < 2 || !Number.isFinite(variance)) return [mean, mean];
  const h = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return [mean - h, mean + h];
}

/** 95% Wilson score interval for k successes in n trials. */
export function wilsonCi95(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959963984540054;
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
