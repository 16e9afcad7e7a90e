import { describe, expect, it } from 'vitest';
import {
  briggsSigma,
  centreline,
  concentration,
  lnRatio,
  type PlumeParams,
  STABILITY_CLASSES,
  threatZone,
} from '../../src/physics/chemical/plume.js';
import { deathProbability, levelsOfConcern, normalCdf, ppmToMgM3, SUBSTANCES } from '../../src/physics/chemical/substances.js';

describe('Briggs (1973) open-country dispersion coefficients', () => {
  // Evaluated by hand from the table in anchors.md C2 (σy, σz in m at x = 100, 1,000, 5,000 m).
  const table: Record<string, [number, number][]> = {
    A: [
      [21.891, 20.0],
      [209.762, 200.0],
      [898.146, 1000.0],
    ],
    B: [
      [15.921, 12.0],
      [152.554, 120.0],
      [653.197, 600.0],
    ],
    C: [
      [10.945, 7.921],
      [104.881, 73.03],
      [449.073, 282.843],
    ],
    D: [
      [7.96, 5.595],
      [76.277, 37.947],
      [326.599, 102.899],
    ],
    E: [
      [5.97, 2.913],
      [57.208, 23.077],
      [244.949, 60.0],
    ],
    F: [
      [3.98, 1.553],
      [38.139, 12.308],
      [163.299, 32.0],
    ],
  };
  for (const cls of STABILITY_CLASSES) {
    it(`class ${cls} matches the table at 100 m, 1 km and 5 km`, () => {
      [100, 1000, 5000].forEach((x, i) => {
        const { sigmaY, sigmaZ } = briggsSigma(x, cls);
        expect(sigmaY).toBeCloseTo(table[cls]![i]![0], 2);
        expect(sigmaZ).toBeCloseTo(table[cls]![i]![1], 2);
      });
    });
  }
  it('E and F σz use exponent −1 (F at 5 km: 80/2.5 = 32 m, not 80/√2.5 = 50.6 m)', () => {
    expect(briggsSigma(5000, 'F').sigmaZ).toBeCloseTo(32, 10);
    expect(briggsSigma(5000, 'E').sigmaZ).toBeCloseTo(60, 10);
  });
  it('urban fits (McElroy–Pooler) share A–B and E–F', () => {
    expect(briggsSigma(1000, 'A', 'urban')).toEqual(briggsSigma(1000, 'B', 'urban'));
    expect(briggsSigma(1000, 'E', 'urban')).toEqual(briggsSigma(1000, 'F', 'urban'));
    expect(briggsSigma(1000, 'D', 'urban').sigmaY).toBeCloseTo(160 / Math.sqrt(1.4), 10);
    expect(briggsSigma(1000, 'A', 'urban').sigmaZ).toBeCloseTo(240 * Math.sqrt(2), 10);
  });
});

describe('Gaussian plume with ground reflection', () => {
  const p: PlumeParams = { rateGPerS: 100, windMPerS: 5, stability: 'D', heightM: 10, terrain: 'rural' };
  it('matches a hand computation at x = 1 km, y = 50 m, ground level', () => {
    // σy = 76.277, σz = 37.947; C = Q/(2π u σy σz) e^{−y²/2σy²} · 2 e^{−H²/2σz²} = 1.7136e-3 g/m³
    expect(concentration(p, 1000, 50, 0)).toBeCloseTo(1.71364e-3, 7);
  });
  it('on the ground centreline equals Q/(π u σy σz) · exp(−H²/2σz²)', () => {
    const { sigmaY, sigmaZ } = briggsSigma(2000, 'D');
    expect(centreline(p, 2000)).toBeCloseTo((100 / (Math.PI * 5 * sigmaY * sigmaZ)) * Math.exp(-100 / (2 * sigmaZ ** 2)), 12);
  });
  it('is zero upwind and symmetric across the wind', () => {
    expect(concentration(p, -10, 0, 0)).toBe(0);
    expect(concentration(p, 800, 30, 0)).toBe(concentration(p, 800, -30, 0));
  });
});

describe('threat zones', () => {
  const base: PlumeParams = { rateGPerS: 1000, windMPerS: 3, stability: 'D', heightM: 0, terrain: 'rural' };
  it('a level of concern near zero gives finite widths and areas, never Infinity (ln of the ratio by subtraction)', async () => {
    expect(lnRatio(1, 1e-300)).toBeCloseTo(300 * Math.LN10, 9);
    expect(lnRatio(1e10, 1e-300)).toBeCloseTo(310 * Math.LN10, 9);
    expect(lnRatio(2, 1)).toBe(Math.log(2)); // an ordinary ratio keeps its bits
    const { dsim } = await import('../helpers.js');
    for (const release of [
      ['--mass-kg', '1000'],
      ['--rate-g-s', '1000'],
    ]) {
      const r = await dsim('plume', '--loc-mg-m3', '1e-300,1,10', ...release, '--wind-m-s', '3', '--stability', 'D', '--json');
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(/Infinity|NaN|null,\s*"atDistanceM"/);
      const zones = JSON.parse(r.out)['zones'] as { maxHalfWidthM: number; areaKm2: number }[];
      for (const z of zones) expect(Number.isFinite(z.maxHalfWidthM) && Number.isFinite(z.areaKm2)).toBe(true);
    }
  });
  it('the distance is where the centreline concentration equals the LOC', () => {
    const z = threatZone(base, 58);
    expect(z.capped).toBe(false);
    expect(centreline(base, z.distanceM) * 1000).toBeCloseTo(58, 3);
  });
  it('grows with release rate', () => {
    const d = [100, 300, 1000, 3000].map((q) => threatZone({ ...base, rateGPerS: q }, 58).distanceM);
    d.forEach((x, i) => i > 0 && expect(x).toBeGreaterThan(d[i - 1]!));
  });
  it('grows from unstable (A) to stable (F) air', () => {
    const d = STABILITY_CLASSES.map((s) => threatZone({ ...base, stability: s }, 58).distanceM);
    d.forEach((x, i) => i > 0 && expect(x).toBeGreaterThan(d[i - 1]!));
  });
  it('shrinks with a higher level of concern', () => {
    const [l1, l2, l3] = levelsOfConcern(SUBSTANCES['chlorine']!).map((loc) => threatZone(base, loc).distanceM);
    expect(l1!).toBeGreaterThan(l2!);
    expect(l2!).toBeGreaterThan(l3!);
  });
  it('caps at 10 km and flags it', () => {
    const z = threatZone({ ...base, rateGPerS: 1e6, stability: 'F' }, 1);
    expect(z).toMatchObject({ distanceM: 10000, capped: true });
  });
  it('refuses winds below 1 m/s', () => {
    expect(() => threatZone({ ...base, windMPerS: 0.5 }, 58)).toThrow(/below the model's limit/);
  });
});

describe('substances', () => {
  it('converts chlorine AEGL-3 20 ppm to 58.0 mg/m³ (× 70.9 / 24.45)', () => {
    expect(ppmToMgM3(20, 70.9)).toBeCloseTo(57.996, 3);
  });
  it('normal CDF matches the table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
  it('chlorine probit: 100 ppm for 30 min gives Y = −8.29 + 0.92 ln(100² · 30)', () => {
    const y = -8.29 + 0.92 * Math.log(100 ** 2 * 30);
    expect(deathProbability(SUBSTANCES['chlorine']!, 100, 30)).toBeCloseTo(normalCdf(y - 5), 12);
    expect(deathProbability(SUBSTANCES['chlorine']!, 100, 30)).toBeGreaterThan(deathProbability(SUBSTANCES['chlorine']!, 50, 30));
  });
});

describe('release consequences', async () => {
  const { releaseConsequences } = await import('../../src/physics/chemical/consequences.js');
  const chlorine = SUBSTANCES['chlorine']!;
  const p: PlumeParams = { rateGPerS: 1000, windMPerS: 3, stability: 'D', heightM: 0, terrain: 'rural' };
  const evac = { activationMinutes: 30, seats: 30 * 45, roundTripMinutes: 40 };
  const density = 650e-6; // 650 people per km²
  const c = releaseConsequences(chlorine, p, 20, density, evac);
  it('people in each zone = zone area × density, nested AEGL-1 ⊃ 2 ⊃ 3', () => {
    c.zones.forEach((z, i) => expect(c.exposed[i]).toBeCloseTo(z.areaM2 * density, 9));
    expect(c.exposed[0]).toBeGreaterThan(c.exposed[1]);
    expect(c.exposed[1]).toBeGreaterThan(c.exposed[2]);
  });
  it('evacuating the AEGL-2 zone takes activation + ceil(N / seats) round trips', () => {
    expect(c.evacuationMinutes).toBe(30 + Math.ceil(c.evacuated / 1350) * 40);
  });
  it('expected deaths grow with the release rate and vanish with nobody there', () => {
    const bigger = releaseConsequences(chlorine, { ...p, rateGPerS: 3000 }, 20, density, evac);
    expect(c.expectedDeaths).toBeGreaterThan(0);
    expect(bigger.expectedDeaths).toBeGreaterThan(c.expectedDeaths);
    expect(releaseConsequences(chlorine, p, 20, 0, evac).expectedDeaths).toBe(0);
  });
  it('a shorter release (less exposure) kills fewer', () => {
    const shorter = releaseConsequences(chlorine, p, 5, density, evac);
    expect(shorter.expectedDeaths).toBeLessThan(c.expectedDeaths);
  });
});

describe('sheltering in place (single-box infiltration)', () => {
  it('scales the outdoor concentration by the closed forms for n = 1 and n = 2', async () => {
    const { shelterFactor } = await import('../../src/physics/chemical/consequences.js');
    const lambda = 0.5 / 60; // 0.5 air changes per hour, per minute
    const D = 30;
    const a = lambda * D;
    expect(shelterFactor(0.5, D, 1)).toBeCloseTo(1 - (1 - Math.exp(-a)) / a, 5);
    expect(shelterFactor(0.5, D, 2)).toBeCloseTo(Math.sqrt(1 - (2 * (1 - Math.exp(-a))) / a + (1 - Math.exp(-2 * a)) / (2 * a)), 5);
    // a 30-minute plume against 0.5 changes an hour: indoors breathe about an eighth of the outdoor level (n = 1)
    expect(shelterFactor(0.5, D, 1)).toBeGreaterThan(0.1);
    expect(shelterFactor(0.5, D, 1)).toBeLessThan(0.13);
    // a leaky building over a long release approaches the outdoor level
    expect(shelterFactor(20, 600, 2)).toBeGreaterThan(0.98);
  });
  it('counts the load from the order to the all-clear (closed forms for n = 1)', async () => {
    const { shelteredMinutes, shelterFactor } = await import('../../src/physics/chemical/consequences.js');
    const lambda = 0.5 / 60;
    const D = 30;
    const fill = 1 - Math.exp(-lambda * D);
    // n = 1, ordered at the start: D − (1 − e^{−λD})/λ indoors during the release, then the box's
    // content flushing until the all-clear A minutes later: (1 − e^{−λD})(1 − e^{−λA})/λ
    const during = D - fill / lambda;
    expect(shelteredMinutes(0.5, 0, D, 0, 1)).toBeCloseTo(during, 4);
    expect(shelteredMinutes(0.5, 0, D, 0, 2)).toBeCloseTo(D * shelterFactor(0.5, D, 2) ** 2, 6); // aired at once: the old model
    expect(shelteredMinutes(0.5, 0, D, 60, 1)).toBeCloseTo(during + (fill * (1 - Math.exp(-lambda * 60))) / lambda, 4);
    // a house never aired gives back, for n = 1, the whole outdoor dose C·D (the box only delays it)
    expect(shelteredMinutes(0.5, 0, D, 1e7, 1)).toBeCloseTo(D, 3);
    // with 0.5 changes an hour, the load taken in while the house flushes for 2 hours is 4.85 times
    // the load taken in during a 30-minute release (n = 1; by hand: 0.2212 × 0.6321 / λ = 16.78
    // minutes against 3.456): what the model ignored before engine 0.14.0
    expect(during).toBeCloseTo(3.456, 3);
    const afterTwoHours = shelteredMinutes(0.5, 0, D, 120, 1) - during;
    expect(afterTwoHours / during).toBeCloseTo(4.855, 2);
    // outdoors for the first 10 minutes: 10 + ∫₁₀³⁰ (1 − e^{−λt}) dt
    const from10 = 10 + 20 - (Math.exp(-lambda * 10) - Math.exp(-lambda * D)) / lambda;
    expect(shelteredMinutes(0.5, 10, D, 0, 1)).toBeCloseTo(from10, 4);
    // an order after the release stopped protects nobody: the outdoor load
    expect(shelteredMinutes(0.5, 120, D, 60, 2)).toBe(D);
    expect(shelteredMinutes(0.5, D, D, 60, 2)).toBe(D);
  });
  it('honours the order time and the all-clear in the deaths', async () => {
    const { releaseConsequences } = await import('../../src/physics/chemical/consequences.js');
    const chlorine = SUBSTANCES['chlorine']!;
    const p: PlumeParams = { rateGPerS: 2000, windMPerS: 2, stability: 'E', heightM: 0, terrain: 'rural' };
    const deaths = (orderMinutes: number, airingMinutes: number) =>
      releaseConsequences(
        chlorine,
        p,
        30,
        650e-6,
        { activationMinutes: orderMinutes, seats: 0, roundTripMinutes: 40 },
        {
          policy: 'shelter',
          airExchangePerHour: 0.5,
          airingMinutes,
          thenEvacuate: false,
        },
      ).expectedDeaths;
    // nobody bused (no seats): evacuating leaves everyone outdoors through the release
    const outdoors = releaseConsequences(chlorine, p, 30, 650e-6, { activationMinutes: 0, seats: 0, roundTripMinutes: 40 }).expectedDeaths;
    expect(outdoors).toBeGreaterThan(1);
    expect(deaths(120, 30)).toBeCloseTo(outdoors, 9); // ordered 90 minutes after the release stopped
    expect(deaths(0, 0)).toBeLessThan(deaths(15, 0));
    expect(deaths(15, 0)).toBeLessThan(deaths(29, 0));
    expect(deaths(0, 0)).toBeLessThan(deaths(0, 60));
    expect(deaths(0, 60)).toBeLessThan(deaths(0, 600));
  });
  it('shelter then evacuate: the buses start at the all-clear, and deaths are those of sheltering', async () => {
    const { releaseConsequences } = await import('../../src/physics/chemical/consequences.js');
    const chlorine = SUBSTANCES['chlorine']!;
    const p: PlumeParams = { rateGPerS: 2000, windMPerS: 2, stability: 'E', heightM: 0, terrain: 'rural' };
    const evac = { activationMinutes: 20, seats: 30 * 45, roundTripMinutes: 40 };
    const shelter = { policy: 'shelter', airExchangePerHour: 0.5, airingMinutes: 25 } as const;
    const stay = releaseConsequences(chlorine, p, 30, 650e-6, evac, { ...shelter, thenEvacuate: false });
    const leave = releaseConsequences(chlorine, p, 30, 650e-6, evac, { ...shelter, thenEvacuate: true });
    expect(stay.evacuated).toBe(0);
    expect(leave.evacuated).toBe(leave.exposed[1]);
    expect(leave.expectedDeaths).toBe(stay.expectedDeaths);
    const trips = Math.ceil(leave.evacuated / evac.seats);
    expect(leave.evacuationMinutes).toBe(30 + 25 + trips * 40);
    expect(leave.evacuationStartMinutes).toBe(30 + 25); // the all-clear, after the 20-minute activation
    expect(releaseConsequences(chlorine, p, 30, 650e-6, evac).evacuationStartMinutes).toBe(20); // evacuating: activation
  });
  it('in a district run: nobody is bused out and, for the same releases, fewer die than evacuating by bus', async () => {
    const { loadScenario } = await import('../../src/scenario/load.js');
    const { runLocal } = await import('../../src/run/local.js');
    const { summarise } = await import('../../src/kpi/summary.js');
    const { scenario } = loadScenario('huantai/annual');
    const shelter = structuredClone(scenario);
    for (const h of shelter.hazards)
      if (h.type === 'chemical') h.protectiveAction = { policy: 'shelter', airExchangePerHour: 0.5, airingMinutes: 30 };
    const run = (s: typeof scenario) => {
      const out = runLocal(s, { replications: 300, seed: 4 });
      return summarise(out.model, out.acc, out.seed).kpis.chemical!;
    };
    const evacuate = run(scenario);
    const sheltered = run(shelter);
    expect(sheltered.releases).toBe(evacuate.releases); // the same releases (common random numbers)
    expect(sheltered.evacuationHours.n).toBe(0);
    expect(sheltered.deaths.mean!).toBeLessThan(evacuate.deaths.mean!);
  });
});

describe('a site setback (external safety distance)', async () => {
  const { releaseConsequences } = await import('../../src/physics/chemical/consequences.js');
  const chlorine = SUBSTANCES['chlorine']!;
  const p: PlumeParams = { rateGPerS: 1000, windMPerS: 3, stability: 'D', heightM: 0, terrain: 'rural' };
  const evac = { activationMinutes: 30, seats: 30 * 45, roundTripMinutes: 40 };
  it('counts people only beyond it: the area inside the setback, ∫₀ˢ 2w dx, is left out', () => {
    const all = threatZone(p, 58);
    const beyond = threatZone(p, 58, 300);
    expect(beyond.distanceM).toBe(all.distanceM);
    expect(beyond.areaM2).toBeLessThan(all.areaM2);
    expect(threatZone(p, 58, all.distanceM * 1.05).areaM2).toBe(0); // beyond the next grid point
  });
  it('nobody dies when everyone lives beyond the AEGL-2 zone', () => {
    const c = releaseConsequences(chlorine, p, 20, 650e-6, evac);
    expect(releaseConsequences(chlorine, p, 20, 650e-6, evac, undefined, 'gaussian', c.zones[1]!.distanceM + 1).expectedDeaths).toBe(0);
    expect(releaseConsequences(chlorine, p, 20, 650e-6, evac, undefined, 'gaussian', 200).expectedDeaths).toBeLessThan(c.expectedDeaths);
  });
});
