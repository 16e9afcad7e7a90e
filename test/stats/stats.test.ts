import { sampleVariance, mean as ssMean } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../src/stats/exact-sum.js';
import { meanCi95, tQuantile975, wilsonCi95 } from '../../src/stats/interval.js';
import { Moments } from '../../src/stats/moments.js';
import { QuantileSketch, SKETCH_RELATIVE_ERROR } from '../../src/stats/sketch.js';

describe('ExactSum (Shewchuk partials)', () => {
  it('sums exactly where naive addition loses everything', () => {
    const s = new ExactSum();
    for (const x of [1e100, 1, -1e100]) s.add(x);
    expect(s.value()).toBe(1);
    const t = new ExactSum();
    for (let i = 0; i < 10; i++) t.add(0.1);
    expect(t.value()).toBe(1); // fsum([0.1]*10) == 1.0
  });
  it('gives the same bits for any order and any split', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
    const whole = new ExactSum();
    xs.forEach((x) => whole.add(x));
    const left = new ExactSum();
    const right = new ExactSum();
    xs.slice(0, 333)
      .reverse()
      .forEach((x) => left.add(x));
    xs.slice(333).forEach((x) => right.add(x));
    right.merge(left);
    expect(right.value()).toBe(whole.value());
  });
});

describe('Moments', () => {
  it('mean and sample variance of 2, 4, 4, 4, 5, 5, 7, 9 are 5 and 32/7', () => {
    const m = new Moments();
    [2, 4, 4, 4, 5, 5, 7, 9].forEach((x) => m.add(x));
    expect(m.mean).toBe(5);
    expect(m.variance).toBeCloseTo(32 / 7, 14);
    expect([m.min, m.max]).toEqual([2, 9]);
  });
  it('merging halves equals one pass', () => {
    const a = new Moments();
    const b = new Moments();
    const all = new Moments();
    for (let i = 0; i < 100; i++) {
      (i % 2 ? a : b).add(i * 1.5);
      all.add(i * 1.5);
    }
    a.merge(b);
    expect(a.mean).toBe(all.mean);
    expect(a.variance).toBe(all.variance);
    const xs = Array.from({ length: 100 }, (_, i) => i * 1.5);
    expect(a.mean).toBeCloseTo(ssMean(xs), 12); // independent implementation
    expect(a.variance).toBeCloseTo(sampleVariance(xs), 9);
  });
});

describe('QuantileSketch', () => {
  it('quantiles of 1..10000 are within the stated relative error of the nearest-rank value', () => {
    const s = new QuantileSketch();
    for (let i = 1; i <= 10000; i++) s.add(i);
    for (const q of [0.01, 0.5, 0.9, 0.99]) {
      const exact = Math.ceil(q * 10000);
      expect(Math.abs(s.quantile(q) - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-12);
    }
  });
  it('counts zeros exactly and merges by adding counts', () => {
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    [0, 0, 0, 5].forEach((x) => a.add(x));
    [5, 5, 100].forEach((x) => b.add(x));
    a.merge(b);
    expect(a.count).toBe(7);
    expect(a.quantile(3 / 7)).toBe(0);
    expect(a.quantile(0.5)).toBeCloseTo(5, 1);
    expect(a.shareAtMost(0)).toBeCloseTo(3 / 7, 12);
  });
});

describe('intervals', () => {
  it('t 97.5% quantiles match the table (df 1, 5, 10, 30, 120)', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(5)).toBeCloseTo(2.571, 3);
    expect(tQuantile975(10)).toBeCloseTo(2.228, 3);
    expect(tQuantile975(30)).toBeCloseTo(2.042, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
  });
  it('mean CI brackets the mean and narrows as n grows', () => {
    const [lo, hi] = meanCi95(10, 4, 16);
    expect(lo).toBeCloseTo(10 - 2.1314 * 0.5, 3);
    expect(hi).toBeCloseTo(10 + 2.1314 * 0.5, 3);
    const [lo2, hi2] = meanCi95(10, 4, 64);
    expect(hi2 - lo2).toBeLessThan(hi - lo);
  });
  it('Wilson interval for 0 of 10 is [0, 0.2775]', () => {
    const [lo, hi] = wilsonCi95(0, 10);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.2775, 4);
  });
});

describe('Distribution (moments + sketch + exact extreme atoms)', async () => {
  const { Distribution } = await import('../../src/kpi/accumulator.js');
  it('reports quantiles on the min and max atoms exactly', () => {
    const d = new Distribution();
    [1, 1, 1, 0.5, 0.25, 0, 1, 1, 1, 1].forEach((x) => d.add(x)); // 7 ones, one 0
    expect(d.quantile(0.1)).toBe(0);
    expect(d.quantile(0.5)).toBe(1);
    expect(d.quantile(0.99)).toBe(1);
    expect(d.quantile(0.25)).toBeCloseTo(0.5, 2);
  });
  it('merges the atoms exactly, whichever side holds the extreme', () => {
    const a = new Distribution();
    const b = new Distribution();
    const all = new Distribution();
    for (const x of [3, 3, 7, 9, 9]) a.add(x);
    for (const x of [1, 9, 9, 9, 2]) b.add(x);
    for (const x of [3, 3, 7, 9, 9, 1, 9, 9, 9, 2]) all.add(x);
    a.merge(b);
    expect([a.atMin, a.atMax]).toEqual([all.atMin, all.atMax]);
    expect([a.atMin, a.atMax]).toEqual([1, 5]);
  });
});

describe('Exemplars (representative replications)', async () => {
  const { Exemplars } = await import('../../src/stats/exemplars.js');
  const { Distribution } = await import('../../src/stats/distribution.js');
  // ten replications, values 10 %, 20 %, … 100 % (a share: lower is worse) or 1 … 10 (a loss);
  // replication r holds the value of rank 10 − r, so the index is not the rank
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const fill = (lowerIsWorse: boolean, scale: number) => {
    const ex = new Exemplars(lowerIsWorse);
    const d = new Distribution();
    values.forEach((v, i) => {
      ex.add(v * scale, 9 - i);
      d.add(v * scale);
    });
    return { ex, d };
  };
  it('names, for a loss, the replication of quantile(q): p90 is the 9th of 10, p50 the 5th', () => {
    const { ex, d } = fill(false, 1);
    expect(ex.atSeverity(0.9)).toBe(9 - 8); // value 9
    expect(Math.abs(d.quantile(0.9) / 9 - 1)).toBeLessThan(SKETCH_RELATIVE_ERROR); // a sketch bin's midpoint
    expect(ex.atSeverity(0.5)).toBe(9 - 4); // value 5
    expect(ex.atSeverity(0.99)).toBe(0); // value 10
  });
  it('names, for a share relieved, the replication of quantile(1 − q): p90 is the lowest of 10, p50 the 5th', () => {
    const { ex, d } = fill(true, 0.1);
    expect(ex.atSeverity(0.9)).toBe(9); // value 0.1, which quantile(0.1) reports
    expect(d.quantile(0.1)).toBe(0.1);
    expect(ex.atSeverity(0.5)).toBe(9 - 4); // value 0.5 = quantile(0.5)
    expect(ex.atSeverity(0.99)).toBe(9); // quantile(0.01): still the lowest, not thrown off by 1 − 0.99 ≠ 0.01
  });
});
