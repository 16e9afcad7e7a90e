import { describe, expect, it } from 'vitest';
import type { ScenarioError } from '../../src/errors.js';
import {
  AMBIENT_K,
  boilingVapourDensity,
  denseBuoyantParams,
  densePlume,
  type densePlumeDispersion,
  densePuff,
  denserThanAirWhenFlashed,
  dispersionFor,
} from '../../src/physics/chemical/dense.js';
import { curveBeta, PLUME_CURVES, PUFF_CURVES } from '../../src/physics/chemical/dense-curves.js';
import { type PlumeParams, threatZone } from '../../src/physics/chemical/plume.js';
import { levelsOfConcern, SUBSTANCES } from '../../src/physics/chemical/substances.js';
import { LIGHTER_THAN_AIR_WHEN_FLASHED } from '../../src/scenario/hazards/chemical.js';
import { loadScenario, validateScenario } from '../../src/scenario/load.js';

/** x at which a decreasing f falls to c, by bisection over [lo, hi]. */
function solve(f: (x: number) => number, c: number, lo = 1, hi = 1e5): number {
  for (let k = 0; k < 100; k++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) > c) lo = mid;
    else hi = mid;
  }
  return lo;
}

const AIR = (101_325 * 0.02896) / (8.314 * AMBIENT_K);

describe('Britter & McQuaid correlations (CCPS 1999 Figs 2.44, 2.45)', () => {
  it('plume curves: flat below α ≈ −0.7, the published values at α = 0', () => {
    expect(PLUME_CURVES.map((c) => curveBeta(c, -0.75))).toEqual([1.75, 1.92, 2.08, 2.25, 2.4, 2.6]);
    PLUME_CURVES.map((c) => curveBeta(c, 0)).forEach((b, i) => expect(b).toBeCloseTo([1.78, 1.96, 2.16, 2.35, 2.56, 2.71][i]!, 10));
  });
  it('puff curves at α = 0', () => {
    PUFF_CURVES.map((c) => curveBeta(c, 0)).forEach((b, i) => expect(b).toBeCloseTo([0.81, 1.0, 1.19, 1.39, 1.62, 1.83, 2.05][i]!, 10));
  });
});

describe('continuous dense release', () => {
  // Worked example of the workbook's method (CCPS 1999 §2.3; Crowl & Louvar, *Chemical Process
  // Safety*, 3rd ed., Example 5-11): LNG spilled at 0.23 m³/s of liquid (425.6 kg/m³), vapour 1.76
  // kg/m³ at 111.6 K, wind 10.9 m/s, air at 298 K. By hand: q₀ = 55.6 m³/s, D = 2.26 m,
  // g₀′ = 4.77 m/s², (g₀′q₀/u³D)^{1/3} = 0.45 ≥ 0.15 (dense), α = −0.42; the 5% LFL is reached at
  // 367 m.
  const lng = densePlume(0.23 * 425.6, { densityKgM3: 1.76, temperatureK: 111.6, windMPerS: 10.9, ambientK: 298 });
  it('reproduces the worked example: dense, D = 2.26 m, α = −0.42, 5% at 367 m', () => {
    expect(lng.dense).toBe(true);
    expect(lng.richardson).toBeCloseTo(0.45, 2);
    expect(lng.D).toBeCloseTo(2.26, 2);
    expect(lng.alpha).toBeCloseTo(-0.42, 2);
    const x = solve((v) => lng.fraction(v), 0.05);
    expect(Math.abs(x - 367) / 367).toBeLessThan(0.03);
  });
  // An isothermal release built so that every quantity is round: ρ₀ = ρa (1 + 0.5/g) gives g₀′ = 0.5;
  // q₀ = 10 m³/s in a 2 m/s wind: D = √5, α = ⅕ log₁₀(0.25 · 10 / 32) = −0.2214.
  const q0 = 10;
  const rho0 = AIR * (1 + 0.5 / 9.81);
  const iso = densePlume(q0 * rho0, { densityKgM3: rho0, temperatureK: AMBIENT_K, windMPerS: 2 });
  it('isothermal: the ratio is the curve value at each curve distance', () => {
    expect(iso.alpha).toBeCloseTo(0.2 * Math.log10((0.25 * 10) / 32), 6);
    for (const c of PLUME_CURVES) expect(iso.fraction(Math.sqrt(5) * 10 ** curveBeta(c, iso.alpha))).toBeCloseTo(c.ratio, 6);
  });
  it('near field: 306 / (306 + (x/D)²) within x/D = 20', () => {
    expect(iso.fraction(10 * Math.sqrt(5))).toBeCloseTo(306 / 406, 10);
  });
  it('the plume widens as L_H0 + 2.5 L_b^{1/3} x^{2/3}', () => {
    const lb = (0.5 * q0) / 8;
    expect(iso.lb).toBeCloseTo(lb, 6);
    expect(iso.halfWidthM(1000)).toBeCloseTo(Math.sqrt(5) + 8 * lb + 2.5 * Math.cbrt(lb * 1e6), 6);
  });
  it('a cold release is warmed: C = C* ÷ (C* + (1 − C*) T₀/Ta)', () => {
    const cold = densePlume(q0 * rho0, { densityKgM3: rho0, temperatureK: 240, windMPerS: 2 });
    const x = Math.sqrt(5) * 10 ** curveBeta(PLUME_CURVES[3]!, iso.alpha);
    expect(cold.fraction(x)).toBeCloseTo(0.01 / (0.01 + 0.99 * (240 / AMBIENT_K)), 6);
  });
  it('continues passively beyond the last curve without a jump', () => {
    const x = iso.passiveFromM;
    expect(iso.fraction(x * 1.0001) / iso.fraction(x)).toBeCloseTo(1, 3);
    expect(iso.fraction(2 * x)).toBeCloseTo(iso.fraction(x) / 4, 10); // x⁻² with no passive plume given
  });
});

describe('instantaneous dense release', () => {
  // V₀ = 1,000 m³ (length scale 10 m), g₀′ = 0.4 m/s², u = 2 m/s: α = ½ log₁₀(0.4 · 10 / 4) = 0.
  const rho0 = AIR * (1 + 0.4 / 9.81);
  const puff = densePuff(1000 * rho0, { densityKgM3: rho0, temperatureK: AMBIENT_K, windMPerS: 2 });
  it('α = 0 and the ratio is the curve value at each curve distance', () => {
    expect(puff.alpha).toBeCloseTo(0, 10);
    expect(puff.richardson).toBeCloseTo(1, 10);
    PUFF_CURVES.forEach((c) => expect(puff.fraction(10 * 10 ** curveBeta(c, 0))).toBeCloseTo(c.ratio, 6));
  });
  it('near field: 3.24 / (3.24 + (x/V₀^⅓)²)', () => {
    expect(puff.fraction(10)).toBeCloseTo(3.24 / 4.24, 10);
  });
  it('the cloud spreads as R² = R₀² + 1.2 √(g₀′V₀) t, centre at 0.4 u', () => {
    const r0 = Math.cbrt(3000 / (4 * Math.PI));
    expect(puff.radiusM(80)).toBeCloseTo(Math.sqrt(r0 ** 2 + 1.2 * Math.sqrt(400) * 100), 6);
  });
});

describe('dispersion model choice', () => {
  const chlorine = SUBSTANCES['chlorine']!;
  const p: PlumeParams = { rateGPerS: 10_000, windMPerS: 3, stability: 'D', heightM: 0, terrain: 'rural' };
  it('chlorine flashing at 239 K is 3.0× as dense as air: dense by the criterion', () => {
    expect(boilingVapourDensity(chlorine) / AIR).toBeCloseTo(3.0, 1);
    expect(dispersionFor(chlorine, p, 'auto').model).toBe('dense');
    expect(dispersionFor(chlorine, p, 'gaussian').model).toBe('gaussian');
  });
  it('ammonia vapour is lighter than air: auto keeps the Gaussian plume, dense is refused (never zones of NaN)', () => {
    const ammonia = SUBSTANCES['ammonia']!;
    // 101,325 Pa × 0.01703 kg/mol ÷ (8.314 × 239.8 K) = 0.866 kg/m³ against the air's 1.204 at 20 °C
    expect(boilingVapourDensity(ammonia)).toBeCloseTo(0.8655, 3);
    expect(boilingVapourDensity(ammonia)).toBeLessThan(AIR);
    expect(dispersionFor(ammonia, p, 'auto').model).toBe('gaussian');
    expect(dispersionFor(ammonia, p, 'auto', 1000).model).toBe('gaussian');
    for (const mass of [undefined, 1000])
      expect(() => dispersionFor(ammonia, p, 'dense', mass)).toThrow(
        expect.objectContaining({ key: 'err.denseBuoyant', params: { substance: 'NH3', vapour: '0.87', air: '1.20' } }),
      );
  });
  it('the scenario layer’s list of substances lighter than air when flashed is the physics’ own', () => {
    const light = Object.entries(SUBSTANCES)
      .filter(([, s]) => !denserThanAirWhenFlashed(s))
      .map(([id, s]) => ({ id, ...denseBuoyantParams(s) }));
    expect(LIGHTER_THAN_AIR_WHEN_FLASHED.map((x) => ({ id: x.id, substance: x.formula, vapour: x.vapour, air: '1.20' }))).toEqual(light);
  });
  it('a scenario forcing dense gas on an ammonia site is refused, naming the field and the site', () => {
    const { scenario } = loadScenario('huantai/annual');
    const at = scenario.hazards.findIndex((h) => h.type === 'chemical');
    const hazards = scenario.hazards.map((h, i) => (i === at ? { ...h, dispersion: 'dense' } : h));
    let error: unknown;
    try {
      validateScenario({ ...scenario, hazards }, 'dense.yaml');
    } catch (e) {
      error = e;
    }
    const issues = (error as ScenarioError).issues;
    const sites = (scenario.hazards[at] as { sites: { substance: string }[] }).sites;
    const ammonia = sites.flatMap((s, j) => (s.substance === 'ammonia' ? [j] : []));
    expect(ammonia.length).toBeGreaterThan(0);
    expect(issues.map((x) => [x.path, x.key, x.params?.['substance']])).toEqual(
      ammonia.map((j) => [`hazards[${at}].dispersion`, 'err.denseBuoyant', `NH3 (hazards[${at}].sites[${j}])`]),
    );
  });
  it('a dense chlorine cloud hugs the ground: nested zones, and far zones that reach beyond the correlations', () => {
    const d = dispersionFor(chlorine, { ...p, rateGPerS: 1000 }, 'dense');
    const [z1, z2, z3] = levelsOfConcern(chlorine).map((loc) => threatZone(d, loc));
    expect(z1!.distanceM).toBeGreaterThan(z2!.distanceM);
    expect(z2!.distanceM).toBeGreaterThan(z3!.distanceM);
    expect(z3!.areaM2).toBeGreaterThan(0);
    // The AEGL-3 contour (20 ppm) lies beyond the correlations' end, in the passive continuation.
    expect(z3!.distanceM).toBeGreaterThan((d as ReturnType<typeof densePlumeDispersion>).cloud.passiveFromM);
  });
});
