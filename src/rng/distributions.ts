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

/** Poisson variate: Knuth's product method below mean 30, else a rounded normal (mean ≥ 30). */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
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
