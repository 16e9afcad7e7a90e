/**
 * The batched adds the KPI sink uses (Distribution.addBuffered, QuantileSketch.addAll) against the
 * one-at-a-time adds they replace: a hand-computed small case, and 3,000 values in batches of
 * 1,024 giving the very same data (sums, extremes and their counts, sketch bins).
 */
import { describe, expect, it } from 'vitest';
import { Distribution } from '../../src/stats/distribution.js';
import { QuantileSketch } from '../../src/stats/sketch.js';

describe('batched adds', () => {
  it('a small case by hand: counts, sum, extremes and how often each occurs', () => {
    const d = new Distribution();
    d.addBuffered(Float64Array.of(2, 0, 5, 2, 5, 1, 99), 6); // the 7th value is past n
    const data = d.toData();
    expect(data.moments.count).toBe(6);
    expect(data.moments.min).toBe(0);
    expect(data.moments.max).toBe(5);
    expect(d.moments.mean).toBe(15 / 6);
    expect(data.atMin).toBe(1);
    expect(data.atMax).toBe(2);
    expect(data.sketch.count).toBe(6);
    expect(data.sketch.zeros).toBe(1);
    // 1, 2, 2 and 5, 5 fall in three bins of γ = 1.01
    expect(data.sketch.bins.map(([, c]) => c).sort()).toEqual([1, 2, 2]);
  });

  it('3,000 values in batches of 1,024 give the data of 3,000 single adds', () => {
    const xs = new Float64Array(3000);
    let s = 12345;
    for (let i = 0; i < xs.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      // zeros, ties at the extremes and a spread of waits, as response minutes come
      xs[i] = i % 7 === 0 ? 0 : i % 11 === 0 ? 480 : (s / 2 ** 32) * 480;
    }
    const one = new Distribution();
    const sketch = new QuantileSketch();
    for (const x of xs) {
      one.add(x, true);
      sketch.add(x);
    }
    const batched = new Distribution();
    const sketchBatched = new QuantileSketch();
    for (let i = 0; i < xs.length; i += 1024) {
      const part = xs.slice(i, i + 1024);
      batched.addBuffered(part, part.length);
      sketchBatched.addAll(part, part.length);
    }
    expect(batched.toData()).toEqual(one.toData());
    expect(sketchBatched.toData()).toEqual(sketch.toData());
    expect(one.atMin).toBe(Math.ceil(3000 / 7));
    expect(one.atMax).toBe(273 - 39); // multiples of 11 that are not of 7
  });

  it('a bad value is refused by the batch as by a single add', () => {
    expect(() => new QuantileSketch().addAll(Float64Array.of(1, Number.NaN), 2)).toThrow(/finite and >= 0, got NaN/);
    expect(() => new QuantileSketch().addAll(Float64Array.of(-1), 1)).toThrow(/got -1/);
  });
});
