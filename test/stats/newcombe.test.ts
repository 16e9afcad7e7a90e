/**
 * Newcombe's intervals for a difference of probabilities (stats/newcombe.ts): the published table
 * for independent samples, the paired version's coverage by simulation and its reduction to the
 * unpaired form, and that neither leaves [−1, 1].
 */
import { describe, expect, it } from 'vitest';
import { streamRng } from '../../src/rng/stream.js';
import { Moments } from '../../src/stats/moments.js';
import { newcombePaired, newcombeUnpaired, pairedCells } from '../../src/stats/newcombe.js';

const round4 = (x: readonly number[]) => x.map((v) => Math.round(v * 1e4) / 1e4);

describe("Newcombe's intervals", () => {
  it('independent samples: Newcombe (1998) Table II, method 10', () => {
    // the paper gives p1 − p2; dsim's functions give the second minus the first
    const table = (k1: number, n1: number, k2: number, n2: number) => round4(newcombeUnpaired(k2, n2, k1, n1));
    expect(table(9, 10, 3, 10)).toEqual([0.1705, 0.809]);
    expect(table(6, 7, 2, 7)).toEqual([0.0582, 0.8062]);
    expect(table(5, 56, 0, 29)).toEqual([-0.0381, 0.1926]);
    expect(table(0, 10, 0, 20)).toEqual([-0.1611, 0.2775]);
  });

  it('never leaves [−1, 1], even at 0% against 100% (where Wald prints +100% ± 2.6%)', () => {
    for (const [lo, hi] of [newcombeUnpaired(0, 10, 10, 10), newcombeUnpaired(0, 1000, 1000, 1000), newcombePaired(0, 0, 500, 0)]) {
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      expect(lo).toBeLessThan(1);
    }
    expect(newcombePaired(0, 0, 500, 0)[1]).toBe(1);
  });

  it('paired: with no correlation (φ = 0) it is the unpaired interval of the two margins', () => {
    // a·d − b·c = 0 exactly: independent margins 30/60 and 40/60
    const [both, onlyA, onlyB, neither] = [20, 10, 20, 10];
    expect(both * neither - onlyA * onlyB).toBe(0);
    const paired = newcombePaired(both, onlyA, onlyB, neither);
    const unpaired = newcombeUnpaired(both + onlyA, 60, both + onlyB, 60);
    expect(paired[0]).toBeCloseTo(unpaired[0], 12);
    expect(paired[1]).toBeCloseTo(unpaired[1], 12);
  });

  it('paired: covers the true difference about 95% of the time on correlated pairs', () => {
    // A met with 0.8; B met whenever A is, and with 0.25 otherwise: pB = 0.85, pB − pA = 0.05, strongly correlated
    const rng = streamRng(1, 0, 'newcombe-coverage');
    const trials = 2000;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const cells = [0, 0, 0, 0];
      for (let i = 0; i < 200; i++) {
        const a = rng() < 0.8;
        const b = a || rng() < 0.25;
        cells[a && b ? 0 : a ? 1 : b ? 2 : 3]!++;
      }
      const [lo, hi] = newcombePaired(cells[0]!, cells[1]!, cells[2]!, cells[3]!);
      if (lo <= 0.05 && 0.05 <= hi) covered++;
    }
    // binomial sd at 2,000 trials ≈ 0.5 points
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.975);
  });

  it('recovers the 2×2 table from the sums a paired accumulator keeps', () => {
    const pairs: [number, number][] = [
      [1, 1],
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 0],
    ];
    const a = new Moments();
    const d = new Moments();
    for (const [x, y] of pairs) {
      a.add(x);
      d.add(y - x);
    }
    expect(pairedCells(d.count, a.sum, d.sum, d.sumSquares)).toEqual({ both: 2, onlyA: 1, onlyB: 3, neither: 1 });
  });
});
