import { describe, expect, it } from 'vitest';
import { damageFraction, JRC_ASIA, JRC_DEPTHS_M } from '../../src/physics/flood/damage.js';
import { zoneAtReturnPeriod } from '../../src/physics/flood/footprint.js';
import { gevCdf, gevQuantile, levelForReturnPeriod, returnPeriodOf } from '../../src/physics/flood/severity.js';

describe('JRC global depth-damage functions, Asia (Huizinga et al. 2017)', () => {
  // The published table (anchors.md D1, as in CLIMADA petals river_flood.py), depth in m.
  const table: Record<string, Record<number, number>> = {
    residential: { 0.5: 0.327, 1: 0.494, 1.5: 0.617, 2: 0.721, 3: 0.87, 4: 0.931, 5: 0.984, 6: 1 },
    commercial: { 0.5: 0.377, 1: 0.538, 1.5: 0.659, 2: 0.763, 3: 0.883, 4: 0.942, 5: 0.981, 6: 1 },
    industrial: { 0.5: 0.283, 1: 0.482, 1.5: 0.629, 2: 0.717, 3: 0.857, 4: 0.909, 5: 0.955, 6: 1 },
    transport: { 0.5: 0.358, 1: 0.572, 1.5: 0.733, 2: 0.847, 3: 1, 4: 1, 5: 1, 6: 1 },
    infrastructure: { 0.5: 0.214, 1: 0.373, 1.5: 0.604, 2: 0.71, 3: 0.808, 4: 0.887, 5: 0.969, 6: 1 },
    agriculture: { 0.5: 0.135, 1: 0.37, 1.5: 0.524, 2: 0.558, 3: 0.66, 4: 0.834, 5: 0.988, 6: 1 },
  };
  for (const [sector, values] of Object.entries(table)) {
    it(`${sector} matches the published values at every tabulated depth`, () => {
      for (const [depth, fraction] of Object.entries(values)) {
        expect(damageFraction(sector as keyof typeof JRC_ASIA, Number(depth))).toBe(fraction);
      }
      expect(damageFraction(sector as keyof typeof JRC_ASIA, 0)).toBe(0);
      expect(damageFraction(sector as keyof typeof JRC_ASIA, 12)).toBe(1);
    });
  }
  it('interpolates linearly between tabulated depths', () => {
    expect(damageFraction('residential', 0.75)).toBeCloseTo((0.327 + 0.494) / 2, 12);
    expect(damageFraction('agriculture', 2.5)).toBeCloseTo((0.558 + 0.66) / 2, 12);
  });
  it('has one value per depth and never decreases with depth', () => {
    for (const ys of Object.values(JRC_ASIA)) {
      expect(ys).toHaveLength(JRC_DEPTHS_M.length);
      ys.forEach((y, i) => i > 0 && expect(y).toBeGreaterThanOrEqual(ys[i - 1]!));
    }
  });
});

describe('extreme-value severity (Coles 2001)', () => {
  const gumbel = { location: 600, scale: 250, shape: 0 };
  it('Gumbel T-year level is mu - beta ln(-ln(1 - 1/T))', () => {
    expect(levelForReturnPeriod(gumbel, 50)).toBeCloseTo(600 - 250 * Math.log(-Math.log(1 - 1 / 50)), 9);
    expect(levelForReturnPeriod(gumbel, 50)).toBeCloseTo(1575.4847, 3);
  });
  it('return period inverts the level for Gumbel and GEV', () => {
    for (const shape of [0, 0.1, -0.1]) {
      const p = { location: 100, scale: 30, shape };
      for (const t of [2, 10, 100, 1000]) expect(returnPeriodOf(p, levelForReturnPeriod(p, t))).toBeCloseTo(t, 6);
    }
  });
  it('GEV with xi = 0.1 matches its closed form', () => {
    const p = { location: 100, scale: 30, shape: 0.1 };
    const q = 0.99;
    expect(gevQuantile(p, q)).toBeCloseTo(100 + (30 * ((-Math.log(q)) ** -0.1 - 1)) / 0.1, 9);
    expect(gevCdf(p, gevQuantile(p, q))).toBeCloseTo(q, 12);
  });
});

describe('depth by return period', () => {
  const table = { returnPeriodYears: [5, 20, 50, 100], depthM: [0.2, 0.8, 1.3, 1.7], floodedShare: [0.01, 0.03, 0.06, 0.09] };
  it('returns the tabulated values at tabulated return periods', () => {
    expect(zoneAtReturnPeriod(table, 50)).toEqual({ depthM: 1.3, floodedShare: 0.06 });
  });
  it('interpolates in ln T and holds beyond the last return period', () => {
    const t = Math.exp((Math.log(20) + Math.log(50)) / 2); // geometric midpoint
    expect(zoneAtReturnPeriod(table, t).depthM).toBeCloseTo(1.05, 12);
    expect(zoneAtReturnPeriod(table, 1000).depthM).toBe(1.7);
    expect(zoneAtReturnPeriod(table, 1).depthM).toBe(0);
  });
});

describe('the flood tail beyond the tabulated return periods', () => {
  const table = { returnPeriodYears: [5, 20, 50, 100], depthM: [0.2, 0.8, 1.3, 1.7], floodedShare: [0.01, 0.03, 0.06, 0.09] };
  const gev = { location: 100, scale: 30, shape: 0 };
  it('is unchanged within the table', () => {
    expect(zoneAtReturnPeriod(table, 50, gev)).toEqual(zoneAtReturnPeriod(table, 50));
    expect(zoneAtReturnPeriod(table, 100, gev).depthM).toBeCloseTo(1.7, 12);
  });
  it('grows linearly in the severity with the slope of the last two points, by hand at T = 200', () => {
    const x = (T: number) => levelForReturnPeriod(gev, T);
    const slope = (1.7 - 1.3) / (x(100) - x(50));
    const at = zoneAtReturnPeriod(table, 200, gev);
    expect(at.depthM).toBeCloseTo(1.7 + slope * (x(200) - x(100)), 12);
    expect(at.floodedShare).toBeCloseTo(0.09 + ((0.09 - 0.06) / (x(100) - x(50))) * (x(200) - x(100)), 12);
    // Gumbel: x(T) ≈ μ − β ln(−ln(1 − 1/T)); x(200) − x(100) ≈ β ln 2 ≈ 20.8, x(100) − x(50) ≈ 21.0
    expect(at.depthM).toBeGreaterThan(2.05);
    expect(at.depthM).toBeLessThan(2.15);
  });
  it('is capped at twice the last tabulated value', () => {
    const far = zoneAtReturnPeriod(table, 1e6, gev);
    expect(far.depthM).toBe(3.4);
    expect(far.floodedShare).toBe(0.18);
  });
});
