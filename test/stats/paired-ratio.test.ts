import { describe, expect, it } from 'vitest';
import { streamRng } from '../../src/rng/stream.js';
import { tQuantile975 } from '../../src/stats/interval.js';
import { PairedRatio } from '../../src/stats/paired-ratio.js';

/** The delta-method interval computed the long way: each replication's linearised residual. */
function byHand(rows: [number, number, number, number][]) {
  const n = rows.length;
  const sum = (f: (r: [number, number, number, number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const [ra, rb] = [sum((r) => r[1]) / sum((r) => r[0]), sum((r) => r[3]) / sum((r) => r[2])];
  const [ma, mb] = [sum((r) => r[0]) / n, sum((r) => r[2]) / n];
  const u = rows.map(([xa, ya, xb, yb]) => (yb - rb * xb) / mb - (ya - ra * xa) / ma);
  const se = Math.sqrt(u.reduce((s, x) => s + x * x, 0) / (n * (n - 1)));
  return { mean: rb - ra, half: tQuantile975(n - 1) * se };
}

describe('the paired difference of two ratios of sums', () => {
  it('matches the residuals computed one by one, on a hand case and on random ones', () => {
    // R_a = 36/60 = 0.6, R_b = 44/60 = 0.7333…
    const rows: [number, number, number, number][] = [
      [10, 5, 10, 8],
      [20, 10, 20, 12],
      [30, 21, 30, 24],
    ];
    const p = new PairedRatio();
    for (const r of rows) p.add(...r);
    expect(p.ratios()).toEqual([0.6, 44 / 60]);
    const d = p.difference();
    const h = byHand(rows);
    expect(d.mean).toBeCloseTo(44 / 60 - 0.6, 12);
    expect(d.ci95[1]! - d.mean!).toBeCloseTo(h.half, 10);
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let trial = 0; trial < 20; trial++) {
      const rs: [number, number, number, number][] = Array.from({ length: 50 }, () => {
        const x = Math.floor(rand() * 5000);
        const ya = Math.floor(x * rand());
        return [x, ya, x, Math.min(x, ya + Math.floor(rand() * 200))];
      });
      const q = new PairedRatio();
      for (const r of rs) q.add(...r);
      const e = q.difference();
      const want = byHand(rs);
      expect(e.mean).toBeCloseTo(want.mean, 12);
      expect((e.ci95[1]! - e.ci95[0]!) / 2).toBeCloseTo(want.half, 9);
    }
  });

  it('gives identical variants a difference of exactly 0 with an interval of [0, 0], not rounding noise', () => {
    // displaced and relieved people of 500 replications, the same in both variants (before, the
    // expansion's rounding gave ±9.4·10⁻¹⁰ here)
    const r = streamRng(3, 0, 'x');
    const p = new PairedRatio();
    const q = new PairedRatio();
    for (let i = 0; i < 500; i++) {
      const x = Math.round(1000 * (0.2 + r()));
      const y = Math.round(x * r());
      p.add(x, y, x, y);
      q.add(x, y, x, y + (i === 17 ? 1 : 0)); // one person more in one replication of 500
    }
    expect(p.difference()).toEqual({ mean: 0, ci95: [0, 0] });
    const d = q.difference();
    expect(d.ci95[1]! - d.ci95[0]!).toBeGreaterThan(0); // a real difference, however small, keeps its interval
  });
  it('is the same however the replications were split and merged', () => {
    const rows: [number, number, number, number][] = Array.from({ length: 30 }, (_, i) => [100 + i, 50 + i, 100 + i, 60 + (i % 7)]);
    const whole = new PairedRatio();
    for (const r of rows) whole.add(...r);
    const parts = [new PairedRatio(), new PairedRatio(), new PairedRatio()];
    rows.forEach((r, i) => parts[i % 3]!.add(...r));
    const merged = PairedRatio.fromData(parts[2]!.toData());
    merged.merge(parts[0]!);
    merged.merge(PairedRatio.fromData(JSON.parse(JSON.stringify(parts[1]!.toData()))));
    expect(merged.difference()).toEqual(whole.difference());
  });
});
