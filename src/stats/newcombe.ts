/**
 * Intervals for a difference of two probabilities that stay inside [−1, 1] and behave at 0 and 1,
 * where the normal (Wald) interval of a difference of shares prints "+100.0% [+97.4%, +102.6%]":
 * Newcombe's hybrid score intervals, which combine the Wilson score intervals of the two
 * probabilities (wilsonCi95, interval.ts).
 * - Independent samples: Newcombe, R. G. (1998) "Interval estimation for the difference between
 *   independent proportions: comparison of eleven methods", Stat. Med. 17, 873–890, method 10.
 * - Paired samples (both variants judged on the same replications): Newcombe, R. G. (1998)
 *   "Improved confidence intervals for the difference between binomial proportions based on
 *   paired data", Stat. Med. 17, 2635–2650, method 10, whose correlation term φ has Newcombe's
 *   continuity adjustment (AD − BC less n/2 when above it, 0 between 0 and n/2).
 * Both give the interval of pB − pA (the second minus the first, as dsim's comparisons do).
 */
import { wilsonCi95 } from './interval.js';

export type Interval = [number, number];

const clip = (x: number) => Math.min(1, Math.max(-1, x));

/** 95% interval of pB − pA from kA of nA and kB of nB independent trials (method 10). */
export function newcombeUnpaired(kA: number, nA: number, kB: number, nB: number): Interval {
  const pA = kA / nA;
  const pB = kB / nB;
  const [lA, uA] = wilsonCi95(kA, nA);
  const [lB, uB] = wilsonCi95(kB, nB);
  const d = pB - pA;
  return [clip(d - Math.hypot(pB - lB, uA - pA)), clip(d + Math.hypot(uB - pB, pA - lA))];
}

/**
 * 95% interval of pB − pA from paired trials: `both` met in A and B, `onlyA` met in A only,
 * `onlyB` in B only, `neither` (method 10 of the paired paper).
 */
export function newcombePaired(both: number, onlyA: number, onlyB: number, neither: number): Interval {
  const n = both + onlyA + onlyB + neither;
  if (n === 0) return [-1, 1];
  const kA = both + onlyA;
  const kB = both + onlyB;
  const pA = kA / n;
  const pB = kB / n;
  const [lA, uA] = wilsonCi95(kA, n);
  const [lB, uB] = wilsonCi95(kB, n);
  // φ, the correlation of the pair, with Newcombe's continuity adjustment; 0 when a margin is empty.
  const margins = (both + onlyA) * (onlyB + neither) * (both + onlyB) * (onlyA + neither);
  const cross = both * neither - onlyA * onlyB;
  const adjusted = cross > n / 2 ? cross - n / 2 : cross < 0 ? cross : 0;
  const phi = margins === 0 ? 0 : adjusted / Math.sqrt(margins);
  const d = pB - pA;
  // The lower limit takes B's lower distance and A's upper one; the upper limit the reverse.
  const below = Math.sqrt(Math.max(0, (pB - lB) ** 2 - 2 * phi * (pB - lB) * (uA - pA) + (uA - pA) ** 2));
  const above = Math.sqrt(Math.max(0, (uB - pB) ** 2 - 2 * phi * (uB - pB) * (pA - lA) + (pA - lA) ** 2));
  return [clip(d - below), clip(d + above)];
}

/**
 * The four cells of a paired 2×2 table from what a paired accumulator keeps of 0/1 values: the
 * count n, the sums of A's and of B's values, and the sum and the sum of squares of B − A (each
 * difference is −1, 0 or 1, so its square counts the discordant pairs). Rounded: the sums are of
 * integers, kept in floating point.
 */
export function pairedCells(
  n: number,
  sumA: number,
  sumDiff: number,
  sumSqDiff: number,
): { both: number; onlyA: number; onlyB: number; neither: number } {
  const discordant = Math.round(sumSqDiff);
  const net = Math.round(sumDiff);
  const onlyB = (discordant + net) / 2;
  const onlyA = (discordant - net) / 2;
  const both = Math.round(sumA) - onlyA;
  return { both, onlyA, onlyB, neither: Math.round(n) - both - onlyA - onlyB };
}
