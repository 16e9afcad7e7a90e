/**
 * Depth–damage functions: the JRC global flood depth-damage curves for Asia (Huizinga, de Moel &
 * Szewczyk 2017, *Global flood depth-damage functions*, JRC EUR 28552 EN, doi:10.2760/16510),
 * as tabulated in CLIMADA petals (`entity/impact_funcs/river_flood.py`). Values are damage
 * fractions of the maximum damage (here: the zone's exposed value of the sector) at the
 * published depths; between them the fraction is interpolated linearly, beyond 6 m it stays 1.
 * (CLIMADA adds a zero point at 0.05 m; we keep the published table, which starts at 0 m.)
 */
import type { Sector } from '../../scenario/schema.js';

/** Depths (m) of the JRC table. */
export const JRC_DEPTHS_M = [0, 0.5, 1, 1.5, 2, 3, 4, 5, 6] as const;

/** JRC Asia damage fractions by sector at JRC_DEPTHS_M. */
export const JRC_ASIA: Readonly<Record<Sector, readonly number[]>> = {
  residential: [0, 0.327, 0.494, 0.617, 0.721, 0.87, 0.931, 0.984, 1],
  commercial: [0, 0.377, 0.538, 0.659, 0.763, 0.883, 0.942, 0.981, 1],
  industrial: [0, 0.283, 0.482, 0.629, 0.717, 0.857, 0.909, 0.955, 1],
  transport: [0, 0.358, 0.572, 0.733, 0.847, 1, 1, 1, 1],
  infrastructure: [0, 0.214, 0.373, 0.604, 0.71, 0.808, 0.887, 0.969, 1],
  agriculture: [0, 0.135, 0.37, 0.524, 0.558, 0.66, 0.834, 0.988, 1],
};

/** Piecewise-linear interpolation in a table with increasing xs, clamped at both ends. */
export function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  const n = xs.length;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[n - 1]!) return ys[n - 1]!;
  let i = 1;
  while (xs[i]! < x) i++;
  const x0 = xs[i - 1]!;
  const x1 = xs[i]!;
  return ys[i - 1]! + ((ys[i]! - ys[i - 1]!) * (x - x0)) / (x1 - x0);
}

/** Damage fraction of a sector at a water depth (m). */
export function damageFraction(sector: Sector, depthM: number): number {
  return depthM <= 0 ? 0 : interpolate(JRC_DEPTHS_M, JRC_ASIA[sector], depthM);
}
