/**
 * Steady Gaussian plume with ground reflection (Turner 1970, *Workbook of Atmospheric Dispersion
 * Estimates*, eq. 3.1), with the Briggs (1973) dispersion coefficients for open country and the
 * McElroy–Pooler urban fits as given by Briggs (formulas in shared/research/anchors.md C2):
 *
 *   C(x, y, z) = Q / (2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]
 *
 * Q emission rate (g/s), u wind speed (m/s), H effective release height (m), x downwind and y
 * crosswind distance (m); C in g/m³. A threat zone for a level of concern (LOC) is where the
 * ground-level concentration reaches it; its downwind extent solves C(x, 0, 0) = LOC and its
 * half-width at x is σy·sqrt(2 ln(C(x,0,0)/LOC)).
 *
 * Limits, as ALOHA states its own: a neutrally buoyant gas (no heavy-gas slumping), steady wind
 * of at least 1 m/s, flat terrain, Briggs fits meant for 100 m – 10 km; distances beyond 10 km are
 * capped at 10 km and flagged.
 */
export const STABILITY_CLASSES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type StabilityClass = (typeof STABILITY_CLASSES)[number];
export type Terrain = 'rural' | 'urban';

/**
 * The Pasquill–Gifford classes a 10-m wind speed allows (Turner 1970, Workbook of Atmospheric
 * Dispersion Estimates, Table 1, after Pasquill 1961): by day A–C by insolation, at night E–F by
 * cloud, D under overcast at any speed.
 *
 *   wind (m/s)   day       night
 *   < 2          A, B      E, F
 *   2–3          A, B, C   E, F
 *   3–5          B, C      D, E
 *   5–6          C, D      D
 *   ≥ 6          C, D      D
 */
export function stabilityClassesAt(windMPerS: number): readonly StabilityClass[] {
  if (windMPerS < 2) return ['A', 'B', 'D', 'E', 'F'];
  if (windMPerS < 3) return STABILITY_CLASSES;
  if (windMPerS < 5) return ['B', 'C', 'D', 'E'];
  return ['C', 'D'];
}

/** Distances are capped here (ALOHA does not report beyond 10 km). */
export const MAX_DISTANCE_M = 10_000;
/** Below this the Gaussian plume is not meaningful (ALOHA's lower wind limit). */
export const MIN_WIND_M_S = 1;
/** Nearest distance the search considers (the Briggs fits start at 100 m; closer is extrapolation). */
const MIN_DISTANCE_M = 10;

type Sigma = (x: number) => number;

/** Briggs (1973) open-country σy, σz (m) at downwind distance x (m). */
const RURAL: Record<StabilityClass, [Sigma, Sigma]> = {
  A: [(x) => 0.22 * x * (1 + 0.0001 * x) ** -0.5, (x) => 0.2 * x],
  B: [(x) => 0.16 * x * (1 + 0.0001 * x) ** -0.5, (x) => 0.12 * x],
  C: [(x) => 0.11 * x * (1 + 0.0001 * x) ** -0.5, (x) => 0.08 * x * (1 + 0.0002 * x) ** -0.5],
  D: [(x) => 0.08 * x * (1 + 0.0001 * x) ** -0.5, (x) => 0.06 * x * (1 + 0.0015 * x) ** -0.5],
  // E and F: σz exponent −1, not −½ (a slip in many public copies that shrinks stable-air zones).
  E: [(x) => 0.06 * x * (1 + 0.0001 * x) ** -0.5, (x) => 0.03 * x * (1 + 0.0003 * x) ** -1],
  F: [(x) => 0.04 * x * (1 + 0.0001 * x) ** -0.5, (x) => 0.016 * x * (1 + 0.0003 * x) ** -1],
};

/** Briggs urban fits of the McElroy–Pooler (St Louis) data; A–B and E–F share one fit each. */
const URBAN_AB: [Sigma, Sigma] = [(x) => 0.32 * x * (1 + 0.0004 * x) ** -0.5, (x) => 0.24 * x * (1 + 0.001 * x) ** 0.5];
const URBAN_EF: [Sigma, Sigma] = [(x) => 0.11 * x * (1 + 0.0004 * x) ** -0.5, (x) => 0.08 * x * (1 + 0.0015 * x) ** -0.5];
const URBAN: Record<StabilityClass, [Sigma, Sigma]> = {
  A: URBAN_AB,
  B: URBAN_AB,
  C: [(x) => 0.22 * x * (1 + 0.0004 * x) ** -0.5, (x) => 0.2 * x],
  D: [(x) => 0.16 * x * (1 + 0.0004 * x) ** -0.5, (x) => 0.14 * x * (1 + 0.0003 * x) ** -0.5],
  E: URBAN_EF,
  F: URBAN_EF,
};

export function briggsSigma(xM: number, cls: StabilityClass, terrain: Terrain = 'rural'): { sigmaY: number; sigmaZ: number } {
  const [sy, sz] = (terrain === 'rural' ? RURAL : URBAN)[cls];
  return { sigmaY: sy(xM), sigmaZ: sz(xM) };
}

export interface PlumeParams {
  /** Emission rate, g/s. */
  readonly rateGPerS: number;
  /** Wind speed at release height, m/s (>= 1). */
  readonly windMPerS: number;
  readonly stability: StabilityClass;
  /** Effective release height, m. */
  readonly heightM: number;
  readonly terrain: Terrain;
}

/** Concentration (g/m³) at (x, y, z) metres; 0 upwind. */
export function concentration(p: PlumeParams, x: number, y: number, z: number): number {
  if (x <= 0) return 0;
  const { sigmaY, sigmaZ } = briggsSigma(x, p.stability, p.terrain);
  const lateral = Math.exp(-(y * y) / (2 * sigmaY * sigmaY));
  const vertical = Math.exp(-((z - p.heightM) ** 2) / (2 * sigmaZ * sigmaZ)) + Math.exp(-((z + p.heightM) ** 2) / (2 * sigmaZ * sigmaZ));
  return (p.rateGPerS / (2 * Math.PI * p.windMPerS * sigmaY * sigmaZ)) * lateral * vertical;
}

/** Ground-level centreline concentration (g/m³): Q/(π u σy σz) · exp(−H²/2σz²). */
export function centreline(p: PlumeParams, x: number): number {
  return concentration(p, x, 0, 0);
}

export interface ThreatZone {
  /** Level of concern, mg/m³. */
  readonly locMgM3: number;
  /** Farthest downwind distance where the ground-level centreline concentration reaches the LOC (m); 0 if nowhere. */
  readonly distanceM: number;
  /** True when the zone reaches the 10 km cap (the distance is then 10 km, a lower bound). */
  readonly capped: boolean;
  /** Largest half-width of the zone (m) and where it occurs. */
  readonly maxHalfWidthM: number;
  readonly atDistanceM: number;
  /** Ground area inside the zone (m²), ∫ 2·w(x) dx. */
  readonly areaM2: number;
}

/**
 * What a dispersion model gives the threat zones and the dose integration: ground-level
 * concentrations (g/m³) on the plume's axis and across it. The Gaussian plume here and the
 * dense-gas correlations (dense.ts) both implement it.
 */
export interface Dispersion {
  /** Which model: the result and `dsim plume` say so. */
  readonly model: 'gaussian' | 'dense';
  /** Ground-level concentration on the axis at x metres downwind (g/m³); 0 upwind. */
  centreline(x: number): number;
  /** C(x, y) / C(x, 0) at crosswind offset y (m): a Gaussian profile, or a top hat for a dense cloud. */
  lateral(x: number, y: number): number;
  /** Half-width (m) of the contour where the ground-level concentration reaches `locGM3`; 0 where it does not. */
  halfWidth(x: number, locGM3: number): number;
}

/** The steady Gaussian plume of `p` as a `Dispersion`; refuses winds below the model's limit. */
export function gaussianPlume(p: PlumeParams): Dispersion {
  if (!(p.windMPerS >= MIN_WIND_M_S)) throw new RangeError(`wind ${p.windMPerS} m/s is below the model's limit of ${MIN_WIND_M_S} m/s`);
  return {
    model: 'gaussian',
    centreline: (x) => centreline(p, x),
    lateral(x, y) {
      const sy = briggsSigma(x, p.stability, p.terrain).sigmaY;
      return Math.exp(-(y * y) / (2 * sy * sy));
    },
    halfWidth: (x, loc) => halfWidth(p, x, loc),
  };
}

const GRID = 400;

/** Log-spaced downwind distances from 10 m to 10 km. */
function grid(): number[] {
  const out: number[] = [];
  const a = Math.log(MIN_DISTANCE_M);
  const b = Math.log(MAX_DISTANCE_M);
  for (let i = 0; i <= GRID; i++) out.push(Math.exp(a + ((b - a) * i) / GRID));
  return out;
}
const XS = grid();

/**
 * ln(c / loc), finite for any positive concentrations: the quotient overflows to Infinity for a
 * level of concern near zero (1e-300 mg/m³), and then the logarithms are subtracted instead
 * (only then, so every ordinary result keeps its bits).
 */
export function lnRatio(c: number, loc: number): number {
  const r = c / loc;
  return Number.isFinite(r) ? Math.log(r) : Math.log(c) - Math.log(loc);
}

/** Half-width (m) of the LOC contour at x: σy·sqrt(2 ln(C/LOC)), 0 where C < LOC. */
export function halfWidth(p: PlumeParams, x: number, locGM3: number): number {
  const c = centreline(p, x);
  if (c <= locGM3) return 0;
  return briggsSigma(x, p.stability, p.terrain).sigmaY * Math.sqrt(2 * lnRatio(c, locGM3));
}

/**
 * The threat zone of one level of concern (mg/m³), of a dispersion model or of the Gaussian plume
 * of `p`; its area counts ground from `fromM` metres downwind (nobody lives inside a site's setback).
 */
export function threatZone(source: Dispersion | PlumeParams, locMgM3: number, fromM = 0): ThreatZone {
  const d = 'centreline' in source ? source : gaussianPlume(source);
  const loc = locMgM3 / 1000;
  let last = -1;
  let maxW = 0;
  let atX = 0;
  let area = 0;
  let prevX = 0;
  let prevW = 0;
  XS.forEach((x, i) => {
    const w = d.halfWidth(x, loc);
    if (w > 0) last = i;
    if (w > maxW) {
      maxW = w;
      atX = x;
    }
    if (x > fromM) area += (x - Math.max(prevX, fromM)) * (w + prevW); // trapezoid of 2·w
    prevX = x;
    prevW = w;
  });
  if (last < 0) return { locMgM3, distanceM: 0, capped: false, maxHalfWidthM: 0, atDistanceM: 0, areaM2: 0 };
  if (last === XS.length - 1)
    return { locMgM3, distanceM: MAX_DISTANCE_M, capped: true, maxHalfWidthM: maxW, atDistanceM: atX, areaM2: area };
  // bisect the far crossing between grid points
  let lo = XS[last]!;
  let hi = XS[last + 1]!;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (d.centreline(mid) >= loc) lo = mid;
    else hi = mid;
  }
  return { locMgM3, distanceM: lo, capped: false, maxHalfWidthM: maxW, atDistanceM: atX, areaM2: area };
}
