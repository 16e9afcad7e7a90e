/**
 * One flood event's footprint: severity → return period → depth and flooded share per zone.
 *
 * - Severity is drawn from the scenario's GEV/Gumbel annual-maximum distribution (severity.ts):
 *   either exactly at a return period T, or conditioned on exceeding it (u uniform on
 *   [1 − 1/T, 1), x = F⁻¹(u)).
 * - Each zone's depth and flooded share are interpolated linearly in ln T between the return
 *   periods the scenario tabulates (the usual way flood maps at a few return periods are
 *   combined, e.g. Ward et al. 2013, doi:10.1088/1748-9326/8/4/044019), from zero at T = 1 year,
 *   and held at the last tabulated value beyond the largest return period (no extrapolation).
 * - Depth carries a mean-preserving lognormal error, exp(σZ − σ²/2), per zone (secondary
 *   uncertainty, `depthUncertaintyLogSd`).
 */

import type { CompiledFlood } from '../../perils/flood/definition.js';
import { normal, sample } from '../../rng/distributions.js';
import type { Rng } from '../../rng/stream.js';
import type { CompiledModel } from '../../scenario/compile.js';
import { interpolate } from './damage.js';
import { type GevParams, gevQuantile } from './severity.js';

export interface FloodFootprint {
  readonly severity: number;
  readonly returnPeriodYears: number;
  readonly warningLeadHours: number;
  /** Depth in the flooded part of each zone, m, by zone index (0 where dry). */
  readonly depthM: Float64Array;
  /** Share of each zone's people and assets inside the flooded area. */
  readonly floodedShare: Float64Array;
}

/**
 * Draws the annual non-exceedance probability of this event: in annual mode the year's maximum
 * (uniform on (0, 1)), else the scenario's event.
 */
export function eventQuantile(h: Pick<CompiledFlood, 'event'>, rng: Rng, annual = false): number {
  if (annual) return rng();
  if ('returnPeriodYears' in h.event) return 1 - 1 / h.event.returnPeriodYears;
  const q0 = 1 - 1 / h.event.atLeastReturnPeriodYears;
  return q0 + (1 - q0) * rng();
}

/** Depth (m) and flooded share of one tabulated zone at return period T, before depth error. */
export function zoneAtReturnPeriod(
  table: { returnPeriodYears: readonly number[]; depthM: readonly number[]; floodedShare: readonly number[] },
  years: number,
): { depthM: number; floodedShare: number } {
  const lnT = [0, ...table.returnPeriodYears.map(Math.log)];
  const x = Math.log(Math.max(1, years));
  return {
    depthM: interpolate(lnT, [0, ...table.depthM], x),
    floodedShare: interpolate(lnT, [0, ...table.floodedShare], x),
  };
}

export function floodFootprint(m: CompiledModel, h: CompiledFlood, rng: Rng, annual = false): FloodFootprint {
  const gev: GevParams = { location: h.severity.location, scale: h.severity.scale, shape: h.severity.shape };
  const q = eventQuantile(h, rng, annual);
  const returnPeriodYears = 1 / (1 - q);
  const severity = gevQuantile(gev, q);
  const warningLeadHours = sample(h.warningLeadHours, rng);
  const depthM = new Float64Array(m.zones.length);
  const floodedShare = new Float64Array(m.zones.length);
  const sd = h.depthUncertaintyLogSd;
  for (const table of h.zones) {
    const z = table.zone;
    const at = zoneAtReturnPeriod(table, returnPeriodYears);
    const error = sd > 0 ? Math.exp(sd * normal(rng) - (sd * sd) / 2) : 1;
    depthM[z] = at.depthM * error;
    floodedShare[z] = at.floodedShare;
  }
  return { severity, returnPeriodYears, warningLeadHours, depthM, floodedShare };
}
