/**
 * Dense-gas dispersion: the Britter & McQuaid (1988) workbook correlations, *Workbook on the
 * Dispersion of Dense Gases*, HSE Contract Research Report 17/1988, as restated in CCPS (1999),
 * *Guidelines for Consequence Analysis of Chemical Releases*, §2.3 (Figures 2.44 and 2.45, the
 * curves in the straight-line form EPA's TSCREEN digitised).
 *
 * Continuous release (plume) of volume rate q₀ (m³/s) at density ρ₀, wind u (m/s at 10 m):
 *   g₀′ = g (ρ₀ − ρa)/ρa,  D = √(q₀/u),  α = ⅕ log₁₀(g₀′² q₀ / u⁵),  β = log₁₀(x/D);
 *   the cloud is dense when (g₀′ q₀ / (u³ D))^{1/3} ≥ 0.15 (the workbook's Richardson criterion).
 *   Each curve gives β at which the isothermal centreline ratio C* / C₀ falls to 0.1 … 0.002;
 *   nearer than x/D = min(30, half the first curve's β distance) the near-field form
 *   C* / C₀ = 306/(306 + (x/D)²) holds, joined to the curves by interpolation in log C.
 *   Plume half-width (a top hat): L_H = L_H0 + 2.5 L_b^{1/3} x^{2/3}, L_H0 = D + 8 L_b, L_b = g₀′ q₀/u³.
 * Instantaneous release (puff) of volume V₀:
 *   α = ½ log₁₀(g₀′ V₀^{1/3} / u²),  β = log₁₀(x / V₀^{1/3}), curves 0.1 … 0.001, near field
 *   C* / C₀ = 3.24/(3.24 + (x/V₀^{1/3})²) (joined as for the plume); the cloud is dense when √(g₀′ V₀^{1/3}) / u ≥ 0.2; its
 *   radius R² = R₀² + 1.2 √(g₀′ V₀) t with the cloud centre moving at 0.4 u.
 * A cold release is corrected for its warming (workbook §5.5): C = C* ÷ (C* + (1 − C*) T₀/Ta).
 *
 * Between tabulated curves log C is interpolated linearly in β. Beyond the last curve (C* / C₀ =
 * 0.002 for a plume, 0.001 for a puff) the cloud is no longer dense: it continues as the passive
 * Gaussian plume (or puff) of plume.ts from a virtual source placed so that the two agree there.
 * Correlations outside α ≤ 1 are extrapolated along their last segment and flagged.
 */

import { DsimError, ErrorCodes } from '../../errors.js';
import { type Curve, curveBeta, PLUME_CURVES, PUFF_CURVES } from './dense-curves.js';
import { briggsSigma, centreline, type Dispersion, gaussianPlume, lnRatio, type PlumeParams } from './plume.js';
import type { Substance } from './substances.js';

const G = 9.81;
const R_GAS = 8.314;
const P_ATM = 101_325;
const AIR_MOLAR_KG = 0.02896;
/** Ambient air temperature the simulation assumes (20 °C). */
export const AMBIENT_K = 293.15;

/** Released gas: its mass (rate), density and temperature as released. */
export interface DenseSource {
  /** Density of the released gas (kg/m³) at its release temperature. */
  readonly densityKgM3: number;
  readonly temperatureK: number;
  /** Wind speed at 10 m (m/s). */
  readonly windMPerS: number;
  readonly ambientK?: number;
}

/** Density of dry air (kg/m³) at `ambientK` and 1 atm. */
export function ambientDensity(ambientK: number = AMBIENT_K): number {
  return (P_ATM * AIR_MOLAR_KG) / (R_GAS * ambientK);
}

/** Density (kg/m³) of a substance's vapour at its normal boiling point: how a pressure-liquefied gas flashes. */
export function boilingVapourDensity(s: Substance): number {
  return (P_ATM * (s.molarMass / 1000)) / (R_GAS * s.boilingK);
}

/**
 * Whether a pressure-liquefied substance's vapour, flashed at its boiling point with no aerosol,
 * is denser than the ambient air: where the workbook's correlations can apply at all (ammonia,
 * 0.87 against 1.20 kg/m³, is not).
 */
export function denserThanAirWhenFlashed(s: Substance, ambientK: number = AMBIENT_K): boolean {
  return boilingVapourDensity(s) > ambientDensity(ambientK);
}

/** Log-log interpolation through points (β, log₁₀ ratio) sorted by β; undefined beyond the last. */
function interpolate(points: readonly (readonly [number, number])[], beta: number): number | undefined {
  for (let i = 1; i < points.length; i++) {
    const [b1, c1] = points[i]!;
    if (beta <= b1) {
      const [b0, c0] = points[i - 1]!;
      const t = b1 === b0 ? 1 : (beta - b0) / (b1 - b0);
      return 10 ** (c0 + t * (c1 - c0));
    }
  }
  return undefined;
}

/**
 * The isothermal ratio C* / C₀ at scaled distance x′ for one release: the near-field form up to
 * x′ = min(nearLimit, half the first curve's distance), then the curves; undefined beyond the last curve.
 */
function ratioProfile(curves: readonly Curve[], alpha: number, near: (x: number) => number, nearLimit: number) {
  const curvePts = curves.map((c) => [curveBeta(c, alpha), Math.log10(c.ratio)] as const).sort((a, b) => a[0] - b[0]);
  const xFirst = 10 ** curvePts[0]![0];
  const xNear = Math.min(nearLimit, xFirst / 2);
  const points = [[Math.log10(xNear), Math.log10(near(xNear))] as const, ...curvePts];
  const last = 10 ** curvePts[curvePts.length - 1]![0];
  return {
    /** Where the correlations end (scaled distance). */
    end: last,
    ratio(xs: number): number | undefined {
      if (xs <= xNear) return Math.min(1, near(Math.max(0, xs)));
      return interpolate(points, Math.log10(xs));
    },
  };
}

/** The warming correction of a cold release (workbook §5.5). */
function warm(ratio: number, temperatureK: number, ambientK: number): number {
  return ratio / (ratio + (1 - ratio) * (temperatureK / ambientK));
}

/** Finds s with f(s) = c for a decreasing f, by bisection on log s over [0.01 m, 1,000 km]. */
function virtualDistance(f: (s: number) => number, c: number): number {
  let lo = Math.log(0.01);
  let hi = Math.log(1e6);
  for (let k = 0; k < 80; k++) {
    const mid = (lo + hi) / 2;
    if (f(Math.exp(mid)) > c) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

export interface DensePlume {
  readonly alpha: number;
  /** (g₀′ q₀ / (u³ D))^{1/3}: the cloud is dense at 0.15 or more. */
  readonly richardson: number;
  readonly dense: boolean;
  /** α beyond the correlations' range (> 1): extrapolated. */
  readonly extrapolated: boolean;
  readonly D: number;
  readonly lb: number;
  /** Where the correlations end and the passive plume takes over (m). */
  readonly passiveFromM: number;
  /** Beyond passiveFromM, x metres downwind is x + offsetM from the passive plume's virtual source. */
  readonly offsetM: number;
  /** Volume fraction of the released gas on the axis at x (m), after the warming correction. */
  fraction(x: number): number;
  /** Half-width of the top hat at x (m). */
  halfWidthM(x: number): number;
}

/**
 * A continuous dense release of `rateKgPerS`; `passive(s)` is the volume fraction of the passive
 * plume at distance s from its source, used beyond the correlations.
 */
export function densePlume(rateKgPerS: number, src: DenseSource, passive?: (s: number) => number): DensePlume {
  const ambientK = src.ambientK ?? AMBIENT_K;
  const rhoA = ambientDensity(ambientK);
  const u = src.windMPerS;
  const q0 = rateKgPerS / src.densityKgM3;
  const gPrime = (G * (src.densityKgM3 - rhoA)) / rhoA;
  const D = Math.sqrt(q0 / u);
  const richardson = gPrime > 0 ? Math.cbrt((gPrime * q0) / (u ** 3 * D)) : 0;
  const alpha = gPrime > 0 ? 0.2 * Math.log10((gPrime ** 2 * q0) / u ** 5) : -Infinity;
  const lb = Math.max(0, (gPrime * q0) / u ** 3);
  const profile = ratioProfile(PLUME_CURVES, alpha, (x) => 306 / (306 + x * x), 30);
  const xEnd = profile.end * D;
  const endFraction = warm(profile.ratio(profile.end)!, src.temperatureK, ambientK);
  const offset = passive ? virtualDistance(passive, endFraction) - xEnd : 0;
  return {
    alpha,
    richardson,
    dense: richardson >= 0.15,
    extrapolated: alpha > 1,
    D,
    lb,
    passiveFromM: xEnd,
    offsetM: offset,
    fraction(x: number): number {
      if (x < 0) return 0;
      if (x <= xEnd) return warm(profile.ratio(x / D)!, src.temperatureK, ambientK);
      // Beyond the correlations: the passive plume from its virtual source, or the x⁻² decay of a passive plume.
      return passive ? passive(x + offset) : endFraction * (xEnd / x) ** 2;
    },
    halfWidthM: (x) => D + 8 * lb + 2.5 * Math.cbrt(lb * x * x),
  };
}

export interface DensePuff {
  readonly alpha: number;
  /** √(g₀′ V₀^{1/3}) / u: the cloud is dense at 0.2 or more. */
  readonly richardson: number;
  readonly dense: boolean;
  readonly extrapolated: boolean;
  /** V₀^{1/3}, the length scale (m). */
  readonly scaleM: number;
  readonly passiveFromM: number;
  readonly offsetM: number;
  /** Largest volume fraction passing x (m), after the warming correction. */
  fraction(x: number): number;
  /** Cloud radius when its centre is at x (m). */
  radiusM(x: number): number;
}

/** An instantaneous dense release of `massKg`; `passive(s)` as in densePlume, for the passive puff. */
export function densePuff(massKg: number, src: DenseSource, passive?: (s: number) => number): DensePuff {
  const ambientK = src.ambientK ?? AMBIENT_K;
  const rhoA = ambientDensity(ambientK);
  const u = src.windMPerS;
  const v0 = massKg / src.densityKgM3;
  const gPrime = (G * (src.densityKgM3 - rhoA)) / rhoA;
  const scale = Math.cbrt(v0);
  const richardson = gPrime > 0 ? Math.sqrt(gPrime * scale) / u : 0;
  const alpha = gPrime > 0 ? 0.5 * Math.log10((gPrime * scale) / u ** 2) : -Infinity;
  const profile = ratioProfile(PUFF_CURVES, alpha, (x) => 3.24 / (3.24 + x * x), Infinity);
  const xEnd = profile.end * scale;
  const endFraction = warm(profile.ratio(profile.end)!, src.temperatureK, ambientK);
  const offset = passive ? virtualDistance(passive, endFraction) - xEnd : 0;
  const r0 = Math.cbrt((3 * v0) / (4 * Math.PI));
  return {
    alpha,
    richardson,
    dense: richardson >= 0.2,
    extrapolated: alpha > 1,
    scaleM: scale,
    passiveFromM: xEnd,
    offsetM: offset,
    fraction(x: number): number {
      if (x < 0) return 0;
      if (x <= xEnd) return warm(profile.ratio(x / scale)!, src.temperatureK, ambientK);
      return passive ? passive(x + offset) : endFraction * (xEnd / x) ** 2;
    },
    radiusM(x: number): number {
      const t = Math.max(0, x) / (0.4 * u);
      return Math.sqrt(r0 * r0 + 1.2 * Math.sqrt(Math.max(0, gPrime) * v0) * t);
    },
  };
}

/** g/m³ of a substance per unit volume fraction, at 25 °C and 1 atm (the convention of substances.ts). */
function gramsPerM3(s: Substance): number {
  return (s.molarMass * 1000) / 24.45;
}

function flashing(s: Substance, windMPerS: number): DenseSource {
  return { densityKgM3: boilingVapourDensity(s), temperatureK: s.boilingK, windMPerS };
}

/**
 * A `Dispersion` from a dense cloud's axis fraction and top hat, continuing beyond the correlations
 * as a Gaussian of σy at the virtual distance.
 */
function denseDispersion(
  s: Substance,
  p: PlumeParams,
  cloud: { readonly passiveFromM: number; readonly offsetM: number; fraction(x: number): number },
  topHat: (x: number) => number,
): Dispersion {
  const perFraction = gramsPerM3(s);
  const sigmaY = (x: number) => briggsSigma(x + cloud.offsetM, p.stability, p.terrain).sigmaY;
  return {
    model: 'dense',
    centreline: (x) => cloud.fraction(x) * perFraction,
    lateral(x, y) {
      if (x <= cloud.passiveFromM) return Math.abs(y) <= topHat(x) ? 1 : 0;
      return Math.exp(-(y * y) / (2 * sigmaY(x) ** 2));
    },
    halfWidth(x, loc) {
      const c = cloud.fraction(x) * perFraction;
      if (c <= loc) return 0;
      if (x <= cloud.passiveFromM) return topHat(x);
      return sigmaY(x) * Math.sqrt(2 * lnRatio(c, loc));
    },
  };
}

/**
 * The dense-plume `Dispersion` of a pressure-liquefied substance released at `p.rateGPerS`: the
 * vapour flashes at its boiling point (no aerosol); beyond the correlations it continues as the
 * ground-level Gaussian plume of `p` (its height is ignored: the workbook treats ground releases).
 */
export function densePlumeDispersion(s: Substance, p: PlumeParams): Dispersion & { readonly cloud: DensePlume } {
  const ground: PlumeParams = { ...p, heightM: 0 };
  const perFraction = gramsPerM3(s);
  const cloud = densePlume(p.rateGPerS / 1000, flashing(s, p.windMPerS), (x) => centreline(ground, x) / perFraction);
  return { ...denseDispersion(s, p, cloud, (x) => cloud.halfWidthM(x)), cloud };
}

/**
 * Largest ground-level concentration (g/m³) of a passive Gaussian puff of `massKg` released at
 * ground level when its centre passes x: 2M / ((2π)^{3/2} σx σy σz), with σx = σy taken from the
 * plume coefficients (an approximation: puff coefficients are narrower along the wind).
 */
export function gaussianPuffPeak(massKg: number, p: PlumeParams, x: number): number {
  if (x <= 0) return 0;
  const { sigmaY, sigmaZ } = briggsSigma(x, p.stability, p.terrain);
  return (2 * massKg * 1000) / ((2 * Math.PI) ** 1.5 * sigmaY * sigmaY * sigmaZ);
}

/** The passive Gaussian puff of `massKg` as a `Dispersion` of the largest concentration passing each point. */
export function gaussianPuff(massKg: number, p: PlumeParams): Dispersion {
  const sigmaY = (x: number) => briggsSigma(x, p.stability, p.terrain).sigmaY;
  return {
    model: 'gaussian',
    centreline: (x) => gaussianPuffPeak(massKg, p, x),
    lateral: (x, y) => Math.exp(-(y * y) / (2 * sigmaY(x) ** 2)),
    halfWidth(x, loc) {
      const c = gaussianPuffPeak(massKg, p, x);
      return c <= loc ? 0 : sigmaY(x) * Math.sqrt(2 * lnRatio(c, loc));
    },
  };
}

/** The dense-puff `Dispersion` of `massKg` of a pressure-liquefied substance released at once. */
export function densePuffDispersion(s: Substance, massKg: number, p: PlumeParams): Dispersion & { readonly cloud: DensePuff } {
  const perFraction = gramsPerM3(s);
  const cloud = densePuff(massKg, flashing(s, p.windMPerS), (x) => gaussianPuffPeak(massKg, p, x) / perFraction);
  return { ...denseDispersion(s, p, cloud, (x) => cloud.radiusM(x)), cloud };
}

export type DispersionModel = 'auto' | 'gaussian' | 'dense';

/**
 * The dispersion of a steady release (`massKg` undefined) or of an instantaneous one: Gaussian,
 * dense, or (auto) dense when the workbook's criterion says the cloud is dense, as ALOHA switches.
 */
export function dispersionFor(s: Substance, p: PlumeParams, model: DispersionModel, massKg?: number): Dispersion {
  if (model === 'dense' && !denserThanAirWhenFlashed(s))
    // refused where the model is asked for (the scenario's references, dsim plume); never NaN zones
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.denseBuoyant', denseBuoyantParams(s));
  if (model === 'gaussian' || !denserThanAirWhenFlashed(s)) return massKg === undefined ? gaussianPlume(p) : gaussianPuff(massKg, p);
  const dense = massKg === undefined ? densePlumeDispersion(s, p) : densePuffDispersion(s, massKg, p);
  if (model === 'dense' || dense.cloud.dense) return dense;
  return massKg === undefined ? gaussianPlume(p) : gaussianPuff(massKg, p);
}

/** The figures `err.denseBuoyant` gives: the vapour's density at its boiling point and the air's (kg/m³). */
export function denseBuoyantParams(s: Substance): { substance: string; vapour: string; air: string } {
  return { substance: s.formula, vapour: boilingVapourDensity(s).toFixed(2), air: ambientDensity().toFixed(2) };
}
