/**
 * Sampling the scenario's random quantities (`Dist`) and a few standard variates. All take the
 * stream explicitly; nothing here touches Math.random.
 */
import type { Dist } from '../scenario/schema.js';
import type { Rng } from './stream.js';

/** Standard normal by Box–Muller (one of the pair; the other is discarded to keep draws aligned). */
export function normal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Exponential with the given mean, by inversion. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** Parameters (μ, σ) of the log of a lognormal with the given arithmetic mean and sd. */
export function lognormalParams(mean: number, sd: number): { mu: number; sigma: number } {
  const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/** Draws one value of a scenario distribution. */
export function sample(d: Dist, rng: Rng): number {
  if (typeof d === 'number') return d;
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng();
    case 'triangular': {
      const u = rng();
      const span = d.max - d.min;
      if (span === 0) return d.min;
      const c = (d.mode - d.min) / span;
      return u < c ? d.min + Math.sqrt(u * span * (d.mode - d.min)) : d.max - Math.sqrt((1 - u) * span * (d.max - d.mode));
    }
    case 'exponential':
      return exponential(rng, d.mean);
    case 'lognormal': {
      if (d.sd === 0) return d.mean;
      const { mu, sigma } = lognormalParams(d.mean, d.sd);
      return Math.exp(mu + sigma * normal(rng));
    }
  }
}

/**
 * A scenario distribution compiled to a sampling function once, for hot paths (same draws, in
 * the same order, as `sample`).
 */
export function sampler(d: Dist): (rng: Rng) => number {
  if (typeof d === 'number') return () => d;
  switch (d.dist) {
    case 'fixed':
      return () => d.value;
    case 'exponential': {
      const mean = d.mean;
      return (rng) => -mean * Math.log(1 - rng());
    }
    default:
      return (rng) => sample(d, rng);
  }
}

/** The mean of a scenario distribution (for reports and tests). */
export function distMean(d: Dist): number {
  if (typeof d === 'number') return d;
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
    case 'exponential':
    case 'lognormal':
      return d.mean;
  }
}

/**
 * Poisson variate from exactly one uniform, by inversion (`poissonQuantile`). One draw whatever
 * the mean keeps a stream aligned when a mean changes with a policy (deaths under evacuation or
 * sheltering), and inversion couples the variants monotonically: the same uniform gives at least
 * as many deaths to the larger mean, so a paired difference has the sign of the difference of
 * means in every replication (common random numbers at their sharpest).
 */
export function poisson(rng: Rng, mean: number): number {
  return poissonQuantile(rng(), mean);
}

/**
 * The smallest k with P(X ≤ k) > u for X ~ Poisson(mean), by summing the probabilities upward.
 * The sum starts at 0 for small means and at mean − 10√mean beyond (the mass left below is under
 * 10⁻²⁰), its first term from Stirling's series, so a large mean costs about 20√mean steps and no
 * term underflows. Exact to rounding at every mean, hence monotone in u and in the mean.
 */
export function poissonQuantile(u: number, mean: number): number {
  if (!(mean > 0)) return 0;
  let k = Math.max(0, Math.floor(mean - 10 * Math.sqrt(mean)));
  let p = k === 0 ? Math.exp(-mean) : Math.exp(-mean + k * Math.log(mean) - logFactorial(k));
  let cdf = p;
  // `p > 0`: rounding can leave the summed probabilities a hair under a u near 1
  while (u >= cdf && p > 0) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** ln n! by Stirling's series to the n⁻⁵ term (relative error below 10⁻¹⁰ from n = 10; exact table below). */
function logFactorial(n: number): number {
  if (n < 10) {
    let f = 1;
    for (let i = 2; i <= n; i++) f *= i;
    return Math.log(f);
  }
  const inv = 1 / n;
  const inv2 = inv * inv;
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** Index drawn with probability proportional to `weights` (all >= 0, sum > 0). */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
