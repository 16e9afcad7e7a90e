import { describe, expect, it } from 'vitest';
import { fireOutcome, tSquaredKw } from '../../src/physics/fire/growth.js';
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

describe('first responders and built-up areas, derivable on paper', async () => {
  const { loadScenario } = await import('../../src/scenario/load.js');
  const { runLocal } = await import('../../src/run/local.js');
  const { summarise } = await import('../../src/kpi/summary.js');
  const base = loadScenario('validation/fire-circle').scenario;
  const run = (s: typeof base) => {
    const out = runLocal(s, { replications: 100, seed: 3 });
    return summarise(out.model, out.acc, out.seed);
  };
  it('one micro station scattered over B (20 km², 30 km/h, no turnout): within 5 min 0.3 + 0.7 (1 − e^{−π·2.5²/20})', () => {
    // Rayleigh nearest distance: P(r ≤ x) = 1 − e^{−nπx²/A}; 2.5 km in 5 min at 30 km/h
    const zones = base.district.zones.map((z) => (z.id === 'B' ? { ...z, areaKm2: 20 } : z));
    const hazards = base.hazards.map((h) =>
      h.type === 'urban-fire' ? { ...h, firstResponders: { stationsByZone: { B: 1 }, turnoutMinutes: 0, speedKmh: 30 } } : h,
    );
    const f = run({ ...base, district: { ...base.district, zones }, hazards }).kpis.fire!;
    const p5 = 1 - Math.exp((-Math.PI * 2.5 ** 2) / 20);
    const share = 0.3 + 0.7 * p5; // 0.7377
    const n = f.fires;
    expect(Math.abs(f.withinCircleShare! - share)).toBeLessThan(3.3 * Math.sqrt((share * (1 - share)) / n));
    // the micro station is first in B whenever it beats the engine's 7 minutes: 3.5 km
    const first = 0.7 * (1 - Math.exp((-Math.PI * 3.5 ** 2) / 20)); // 0.598
    expect(Math.abs(f.firstResponderShare! - first)).toBeLessThan(3.3 * Math.sqrt((first * (1 - first)) / n));
    expect(f.responseMinutes.max).toBe(7);
  });
  it('a built-up area holding half of A (2 km² around its centre): its fires are the ones the target judges', () => {
    const zones = base.district.zones.map((z) => (z.id === 'A' ? { ...z, areaKm2: 10, builtUp: { share: 0.5, areaKm2: 2 } } : z));
    const r = run({ ...base, district: { ...base.district, zones } });
    const f = r.kpis.fire!;
    // built-up fires: 30% × 50% of all; a uniform point of a 2 km² disc is within 0.5 km (1 min at
    // 30 km/h, after 1 + 3 min) with probability π·0.5²/2 = 0.3927
    expect(Math.abs(f.builtUpFires / f.fires - 0.15)).toBeLessThan(3.3 * Math.sqrt((0.15 * 0.85) / f.fires));
    const p = (Math.PI * 0.25) / 2;
    expect(Math.abs(f.builtUpWithinCircleShare! - p)).toBeLessThan(3.3 * Math.sqrt((p * (1 - p)) / f.builtUpFires));
    const t = r.targets.find((x) => x.id === 'fire-circle')!;
    expect(t.description).toContain('in built-up areas');
    expect(t.value).toBe(f.builtUpWithinCircleShare);
  });
});
