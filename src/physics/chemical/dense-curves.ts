/**
 * The dense-gas correlations of Britter & McQuaid as the CCPS workbook draws them (CCPS 1999,
 * Guidelines for Consequence Analysis of Chemical Releases, Figs. 2.44 and 2.45): for each
 * concentration ratio, β = log₁₀ of the scaled distance as straight segments in α. dense.ts
 * interpolates between the curves.
 */
/** One curve: the concentration ratio and its β(α) as straight segments [α upper bound, slope, intercept]. */
export interface Curve {
  readonly ratio: number;
  readonly segments: readonly (readonly [number, number, number])[];
}

/** CCPS (1999) Fig. 2.44: continuous releases. */
export const PLUME_CURVES: readonly Curve[] = [
  {
    ratio: 0.1,
    segments: [
      [-0.55, 0, 1.75],
      [-0.14, 0.24, 1.88],
      [1, -0.5, 1.78],
    ],
  },
  {
    ratio: 0.05,
    segments: [
      [-0.68, 0, 1.92],
      [-0.29, 0.36, 2.16],
      [-0.18, 0, 2.06],
      [1, -0.56, 1.96],
    ],
  },
  {
    ratio: 0.02,
    segments: [
      [-0.69, 0, 2.08],
      [-0.31, 0.45, 2.39],
      [-0.16, 0, 2.25],
      [1, -0.54, 2.16],
    ],
  },
  {
    ratio: 0.01,
    segments: [
      [-0.7, 0, 2.25],
      [-0.29, 0.49, 2.59],
      [-0.2, 0, 2.45],
      [1, -0.52, 2.35],
    ],
  },
  {
    ratio: 0.005,
    segments: [
      [-0.67, 0, 2.4],
      [-0.28, 0.59, 2.8],
      [-0.15, 0, 2.63],
      [1, -0.48, 2.56],
    ],
  },
  {
    ratio: 0.002,
    segments: [
      [-0.69, 0, 2.6],
      [-0.25, 0.39, 2.87],
      [-0.13, 0, 2.77],
      [1, -0.5, 2.71],
    ],
  },
];

/** CCPS (1999) Fig. 2.45: instantaneous releases. */
export const PUFF_CURVES: readonly Curve[] = [
  {
    ratio: 0.1,
    segments: [
      [-0.44, 0, 0.7],
      [0.43, 0.26, 0.81],
      [1, 0, 0.93],
    ],
  },
  {
    ratio: 0.05,
    segments: [
      [-0.56, 0, 0.85],
      [0.31, 0.26, 1.0],
      [1, -0.12, 1.12],
    ],
  },
  {
    ratio: 0.02,
    segments: [
      [-0.66, 0, 0.95],
      [0.32, 0.36, 1.19],
      [1, -0.26, 1.38],
    ],
  },
  {
    ratio: 0.01,
    segments: [
      [-0.71, 0, 1.15],
      [0.37, 0.34, 1.39],
      [1, -0.38, 1.66],
    ],
  },
  {
    ratio: 0.005,
    segments: [
      [-0.52, 0, 1.48],
      [0.24, 0.26, 1.62],
      [1, -0.3, 1.75],
    ],
  },
  {
    ratio: 0.002,
    segments: [
      [0.27, 0, 1.83],
      [1, -0.32, 1.92],
    ],
  },
  {
    ratio: 0.001,
    segments: [
      [-0.1, 0, 2.075],
      [1, -0.27, 2.05],
    ],
  },
];

/** β of one curve at α (the last segment extends beyond α = 1). */
export function curveBeta(curve: Curve, alpha: number): number {
  for (const [upper, slope, intercept] of curve.segments) if (alpha <= upper) return slope * alpha + intercept;
  const [, slope, intercept] = curve.segments[curve.segments.length - 1]!;
  return slope * alpha + intercept;
}
