import { describe, expect, it } from 'vitest';
import { lensArea, nearestInDisc, nearestSurvival } from '../../src/geo/disc.js';
import { streamRng } from '../../src/rng/stream.js';

describe('the nearest of m points uniform on a disc (first responders on a built-up area)', () => {
  it('lens areas: inside, covering, and two unit circles one apart (2π/3 − √3/2)', () => {
    expect(lensArea(2, 0.5, 1)).toBeCloseTo(Math.PI, 12); // the whole search circle inside
    expect(lensArea(2, 0.5, 2.5)).toBeCloseTo(4 * Math.PI, 12); // covers the disc
    expect(lensArea(1, 1, 1)).toBeCloseTo((2 * Math.PI) / 3 - Math.sqrt(3) / 2, 12);
    // a search circle centred on the edge with a tiny radius: half of it inside
    expect(lensArea(1, 1, 1e-3) / (Math.PI * 1e-6)).toBeCloseTo(0.5, 3);
  });
  it('from the centre with one point: P(nearest ≤ x) = x²/R², so x = R√u', () => {
    for (const u of [0.1, 0.5, 0.9]) expect(nearestInDisc(3, 0, 1, u)).toBeCloseTo(3 * Math.sqrt(u), 9);
    // and the survival it inverts
    expect(nearestSurvival(3, 0, 1, 1.5)).toBeCloseTo(1 - 0.25, 12);
  });
  it('agrees with scattering the points: 10 on a unit disc seen from radius 0.9 (20,000 draws)', () => {
    const r = streamRng(7, 0, 'disc-test');
    const rho = 0.9;
    const n = 20_000;
    const nearest: number[] = [];
    for (let k = 0; k < n; k++) {
      let best = Infinity;
      for (let j = 0; j < 10; j++) {
        const radius = Math.sqrt(r());
        const angle = 2 * Math.PI * r();
        best = Math.min(best, Math.hypot(radius * Math.cos(angle) - rho, radius * Math.sin(angle)));
      }
      nearest.push(best);
    }
    nearest.sort((a, b) => a - b);
    for (const u of [0.25, 0.5, 0.75, 0.95]) {
      const empirical = nearest[Math.floor(u * n)]!;
      // the order statistic's spread at n = 20,000 is well under 0.01 here
      expect(Math.abs(nearestInDisc(1, rho, 10, u) - empirical)).toBeLessThan(0.01);
    }
    // the infinite-plane Rayleigh law puts the median nearer than the points do at the edge
    const rayleighMedian = Math.sqrt(Math.log(2) / 10);
    expect(nearest[n / 2]!).toBeGreaterThan(rayleighMedian * 1.1);
  });
});

describe('the inversion', () => {
  it('agrees with plain bisection of the lens area (2,000 random discs, points and counts)', () => {
    const r = streamRng(3, 0, 'disc-inversion');
    let worst = 0;
    for (let k = 0; k < 2000; k++) {
      const R = 0.2 + 3 * r();
      const rho = R * Math.sqrt(r());
      const m = 0.3 + 20 * r();
      const u = r();
      const target = Math.PI * R * R * (1 - (1 - u) ** (1 / m));
      let lo = 0;
      let hi = rho + R;
      for (let i = 0; i < 200; i++) {
        const mid = (lo + hi) / 2;
        if (lensArea(R, rho, mid) < target) lo = mid;
        else hi = mid;
      }
      worst = Math.max(worst, Math.abs(nearestInDisc(R, rho, m, u) - (lo + hi) / 2) / R);
    }
    expect(worst).toBeLessThan(1e-8);
  });
});
