import { describe, expect, it } from 'vitest';
import { fireOutcome, tSquaredKw } from '../../src/hazards/fire/growth.js';
import { runBundled } from '../helpers.js';

describe('the 5-minute fire circle on a one-station case (scenarios/validation/fire-circle.yaml)', () => {
  const r = runBundled('validation/fire-circle');
  const f = (r.kpis as any).fire;
  it('reaches fires in A in exactly 4 min and in B in exactly 7 min', () => {
    expect(f.responseMinutes.min).toBe(4);
    expect(f.responseMinutes.max).toBe(7);
    expect(f.byMutualAidShare).toBe(0);
  });
  it('the share within 5 min is 0.3 within its binomial 99.9% band', () => {
    const n = f.fires;
    expect(n).toBeGreaterThan(3000); // 50 per 10,000 × 100,000 people × 30 days × 100 replications ≈ 4,110
    const band = 3.3 * Math.sqrt((0.3 * 0.7) / n);
    expect(Math.abs(f.withinCircleShare - 0.3)).toBeLessThan(band);
  });
  it('the fire count matches the rate: 50/10,000/year × 100,000 × 30/365 per replication', () => {
    const expected = (50 * 10 * 30) / 365;
    expect(Math.abs(f.firesPerReplication - expected)).toBeLessThan(3.3 * Math.sqrt(expected / 100));
  });
  it('misses the 90% target in every replication', () => {
    expect(r.targets.find((t) => t.id === 'fire-circle')).toMatchObject({ pMet: 0, met: false });
  });
  it('fire loss per fire follows the t-squared growth: 4-min fires burn 48.8 m², 7-min fires 67.5 m²', () => {
    // detection 3 + response 4 + control 10 = 17 min: Q = 0.01172 × 1020² = 12,193.5 kW, / 250 kW/m²
    // = 48.77 m² (under the 100 m² cap) → 146,323 CNY; response 7 → 20 min → 16,876.8 kW → 67.51 m².
    const p = { hrrPerAreaKwM2: 250, valueCnyPerM2: 3000, flashoverKw: 1000, deathBeforeFlashover: 0, deathAfterFlashover: 0 };
    const draw = { detectionMinutes: 3, alphaKwPerS2: 0.01172, controlMinutes: 10, maxAreaM2: 100, deathU: 0.5 };
    expect(tSquaredKw(0.01172, 17)).toBeCloseTo(12193.49, 1);
    expect(fireOutcome(p, draw, 4).areaM2).toBeCloseTo(48.774, 3);
    expect(fireOutcome(p, draw, 7).areaM2).toBeCloseTo(67.507, 3);
    expect(fireOutcome(p, draw, 4).flashover).toBe(true); // 7 min after ignition: 2,067 kW
    expect(fireOutcome(p, { ...draw, detectionMinutes: 1 }, 3).flashover).toBe(false); // 4 min: 675 kW
    const mean = 0.3 * 48.774 * 3000 + 0.7 * 67.507 * 3000;
    const perFire = (r.kpis as any).fire.lossCny.mean / f.firesPerReplication;
    expect(Math.abs(perFire - mean) / mean).toBeLessThan(0.02);
  });
});
