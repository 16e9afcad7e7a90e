/**
 * Substances with public levels of concern and lethality probits.
 *
 * - Levels of concern: US EPA Acute Exposure Guideline Levels, final values for 60-minute exposure
 *   (AEGL-1 discomfort, AEGL-2 disabling, AEGL-3 life-threatening), in ppm
 *   (https://www.epa.gov/aegl; chlorine, ammonia and hydrogen sulfide final AEGL documents).
 * - ppm → mg/m³ at 25 °C and 1 atm: mg/m³ = ppm × M / 24.45 (M in g/mol).
 * - Lethality probit Y = a + b ln(Cⁿ t), C in ppm, t in minutes, P(death) = Φ(Y − 5), with the
 *   constants of CCPS (2000), *Guidelines for Chemical Process Quantitative Risk Analysis*,
 *   2nd ed., Table 2.xx (after Withers & Lees for chlorine, ten Berge for ammonia).
 */
import { normalCdf } from '../../stats/normal.js';

export { normalCdf };

export interface Substance {
  readonly name: string;
  readonly formula: string;
  /** Molar mass, g/mol. */
  readonly molarMass: number;
  /** AEGL-1/2/3, 60 min, ppm. */
  readonly aeglPpm: readonly [number, number, number];
  /** Normal boiling point, K (NIST Chemistry WebBook): a pressure-liquefied release flashes to vapour at it. */
  readonly boilingK: number;
  /** Lethality probit constants (C in ppm, t in min). */
  readonly probit: { readonly a: number; readonly b: number; readonly n: number };
}

export const SUBSTANCES: Readonly<Record<string, Substance>> = {
  chlorine: {
    name: 'chlorine',
    formula: 'Cl2',
    molarMass: 70.9,
    boilingK: 239.1,
    aeglPpm: [0.5, 2.0, 20],
    probit: { a: -8.29, b: 0.92, n: 2 },
  },
  ammonia: {
    name: 'ammonia',
    formula: 'NH3',
    molarMass: 17.03,
    boilingK: 239.8,
    aeglPpm: [30, 160, 1100],
    probit: { a: -35.9, b: 1.85, n: 2 },
  },
  'hydrogen-sulfide': {
    name: 'hydrogen sulfide',
    formula: 'H2S',
    molarMass: 34.08,
    boilingK: 212.8,
    aeglPpm: [0.51, 27, 50],
    probit: { a: -31.42, b: 3.008, n: 1.43 },
  },
};

export const MOLAR_VOLUME_L = 24.45;

export function ppmToMgM3(ppm: number, molarMass: number): number {
  return (ppm * molarMass) / MOLAR_VOLUME_L;
}

export function mgM3ToPpm(mgM3: number, molarMass: number): number {
  return (mgM3 * MOLAR_VOLUME_L) / molarMass;
}

/** Levels of concern of a substance, mg/m³ (AEGL-1, -2, -3). */
export function levelsOfConcern(s: Substance): [number, number, number] {
  return s.aeglPpm.map((ppm) => ppmToMgM3(ppm, s.molarMass)) as [number, number, number];
}

/** Probability of death after breathing `ppm` for `minutes` (probit). */
export function deathProbability(s: Substance, ppm: number, minutes: number): number {
  if (ppm <= 0 || minutes <= 0) return 0;
  const y = s.probit.a + s.probit.b * Math.log(ppm ** s.probit.n * minutes);
  return normalCdf(y - 5);
}
