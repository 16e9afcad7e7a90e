import { describe, expect, it } from 'vitest';
import { poisson, poissonQuantile } from '../../src/rng/distributions.js';
import { streamRng } from '../../src/rng/stream.js';

describe('Poisson by inversion: one uniform a draw', () => {
  it('gives the smallest k whose CDF exceeds u (mean 2, by hand: 0.1353, 0.4060, 0.6767, 0.8571)', () => {
    expect(poissonQuantile(0.1, 2)).toBe(0);
    expect(poissonQuantile(0.1353352, 2)).toBe(0);
    expect(poissonQuantile(0.1353353, 2)).toBe(1);
    expect(poissonQuantile(0.4, 2)).toBe(1);
    expect(poissonQuantile(0.5, 2)).toBe(2);
    expect(poissonQuantile(0.8, 2)).toBe(3);
    expect(poissonQuantile(0.99, 0)).toBe(0);
  });
  it('draws exactly one uniform whatever the mean, so a stream stays aligned', () => {
    for (const mean of [0, 0.01, 3, 45, 120, 1e6]) {
      let draws = 0;
      const r = streamRng(1, 0, 'count');
      poisson(() => {
        draws++;
        return r();
      }, mean);
      expect(draws).toBe(1);
    }
  });
  it('couples monotonically: on one uniform a larger mean never gives fewer', () => {
    const means = [0.05, 0.5, 1, 2.5, 10, 50, 100, 100.5, 120, 300, 2000, 1e5];
    for (let u = 0.0005; u < 1; u += 0.01) {
      const ks = means.map((m) => poissonQuantile(u, m));
      for (let i = 1; i < ks.length; i++) expect(ks[i]).toBeGreaterThanOrEqual(ks[i - 1]!);
    }
  });
  it('has the Poisson distribution: χ² of 100,000 draws at mean 3.7 below the 0.999 quantile (29.6, 10 df)', () => {
    const mean = 3.7;
    const r = streamRng(7, 0, 'poisson');
    const n = 100_000;
    const bins = 11; // 0..9 and ≥ 10
    const seen = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) seen[Math.min(bins - 1, poisson(r, mean))]!++;
    let p = Math.exp(-mean);
    let rest = 1;
    let chi2 = 0;
    for (let k = 0; k < bins; k++) {
      const pk = k < bins - 1 ? p : rest;
      chi2 += (seen[k]! - n * pk) ** 2 / (n * pk);
      rest -= p;
      p *= mean / (k + 1);
    }
    expect(chi2).toBeLessThan(29.59);
  });
  it('starts its sum below a large mean without changing the answer: against the sum from 0 at mean 400', () => {
    const mean = 400;
    const pmf = [Math.exp(-mean)];
    for (let k = 1; k < 700; k++) pmf.push((pmf[k - 1]! * mean) / k);
    const fromZero = (u: number): number => {
      let cdf = 0;
      for (let k = 0; k < pmf.length; k++) {
        cdf += pmf[k]!;
        if (cdf > u) return k;
      }
      return pmf.length;
    };
    for (const u of [1e-9, 0.001, 0.2, 0.5, 0.8, 0.999, 1 - 1e-9]) expect(poissonQuantile(u, mean)).toBe(fromZero(u));
  });
  it('keeps mean and variance at a mean of a million (20,000 draws)', () => {
    const r = streamRng(7, 0, 'large');
    const mean = 1e6;
    const xs = Array.from({ length: 20_000 }, () => poisson(r, mean));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(mean / xs.length)); // 4 standard errors
    expect(v / mean).toBeGreaterThan(0.96); // the variance's sd at n = 20,000 is 1%
    expect(v / mean).toBeLessThan(1.04);
  });
});
