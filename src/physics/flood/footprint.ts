/**
 * One flood event's footprint: severity → return period → depth and flooded share per zone.
 *
 * - Severity is drawn from the scenario's GEV/Gumbel annual-maximum distribution (severity.ts):
 *   either exactly at a return period T, or conditioned on exceeding it (u uniform on
 *   [1 − 1/T, 1), x = F⁻¹(u)).
 * - Each zone's depth and flooded share are interpolated linearly in ln T between the return
 *   periods the scenario tabulates (the usual way flood maps at a few return periods are
 *   combined, e.g. Ward et al. 2013, doi:10.1088/1748-9326/8/4/044019), from zero at T = 1 year.
 * - Beyond a zone's largest tabulated return period, depth and flooded share are extrapolated
 *   linearly in the *severity* (the GEV level x(T)), with the slope of the last two tabulated
 *   points: v(T) = v_n + (v_n − v_{n−1}) (x(T) − x(T_n)) / (x(T_n) − x(T_{n−1})), capped at twice
 *   the last tabulated value (the flooded share also at 1). A flood beyond a table is flagged
 *   (`extrapolated`), and the result says which exceedance points rest on extrapolation.
 * - Depth carries a mean-preserving lognormal error, exp(σZ − σ²/2), per zone (secondary
 *   uncertainty, `depthUncertaintyLogSd`).
 * - A zone whose table has an exceedance row per return period gets its depth bands at T
 *   (bands.ts); the draws are the same, so zones without one are as before.
 */

import { normal, sample } from '../../rng/distributions.js';
import type { Rng } from '../../rng/stream.js';
import type { CompiledModel } from '../../scenario/compile.js';
import type { CompiledFlood } from '../../scenario/hazards/flood.js';
import { type BandProfile, bandProfile } from './bands.js';
import { interpolate } from './damage.js';
import { type GevParams, gevQuantile, levelForReturnPeriod } from './severity.js';

export interface FloodFootprint {
  readonly severity: number;
  readonly returnPeriodYears: number;
  readonly warningLeadHours: number;
  /** Depth in the flooded part of each zone, m, by zone index (0 where dry). */
  readonly depthM: Float64Array;
  /** Share of each zone's people and assets inside the flooded area. */
  readonly floodedShare: Float64Array;
  /** The return period lies beyond some zone's largest tabulated one: its depth is extrapolated. */
  readonly extrapolated: boolean;
  /** Depth bands of the zones whose table carries an exceedance row (bands.ts), by zone index. */
  readonly bands: readonly (BandProfile | undefined)[];
}

/**
 * A zone's exceedance row at return period T, and its bands' mean depths: each share interpolated
 * in ln T like the table (from zero at T = 1); each mean depth in ln T between the return periods
 * whose band holds people (held beyond them); beyond the table, the last row's shares scaled with
 * the flooded share.
 */
export function exceedanceRow(
  table: {
    returnPeriodYears: readonly number[];
    floodedShare: readonly number[];
    exceedance?: { depthsM: readonly number[]; share: readonly (readonly number[])[]; meanDepthM?: readonly (readonly number[])[] };
  },
  years: number,
  floodedShareAtT: number,
): { row: number[]; means?: number[] } {
  const e = table.exceedance!;
  const Ts = table.returnPeriodYears;
  const n = Ts.length;
  const lnTs = Ts.map(Math.log);
  const x = Math.log(Math.max(1, years));
  const means = e.meanDepthM?.[0]?.map((_, i) => {
    const known = e.meanDepthM!.map((r, j) => [lnTs[j]!, r[i]!] as const).filter(([, m]) => m > 0);
    if (known.length === 0) return 0;
    return interpolate(
      known.map(([t]) => t),
      known.map(([, m]) => m),
      x,
    );
  });
  if (years > Ts[n - 1]!) {
    const last = table.floodedShare[n - 1]!;
    const k = last > 0 ? floodedShareAtT / last : 0;
    return { row: e.share[n - 1]!.map((v) => Math.min(floodedShareAtT, v * k)), ...(means && { means }) };
  }
  return { row: e.depthsM.map((_, i) => interpolate([0, ...lnTs], [0, ...e.share.map((r) => r[i]!)], x)), ...(means && { means }) };
}

/** Extrapolation beyond a table stops at this multiple of its last value. */
export const EXTRAPOLATION_CAP = 2;

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

/**
 * Depth (m) and flooded share of one tabulated zone at return period T, before depth error;
 * beyond the table, extrapolated along the severity distribution `gev` when given (else held).
 */
export function zoneAtReturnPeriod(
  table: { returnPeriodYears: readonly number[]; depthM: readonly number[]; floodedShare: readonly number[] },
  years: number,
  gev?: GevParams,
): { depthM: number; floodedShare: number } {
  const Ts = table.returnPeriodYears;
  const n = Ts.length;
  if (gev && n >= 2 && years > Ts[n - 1]!) {
    const x = (T: number): number => levelForReturnPeriod(gev, T);
    const span = x(Ts[n - 1]!) - x(Ts[n - 2]!);
    const along = (vs: readonly number[], max: number): number => {
      const last = vs[n - 1]!;
      if (!(span > 0)) return last;
      const v = last + ((last - vs[n - 2]!) * (x(years) - x(Ts[n - 1]!))) / span;
      return Math.min(max, EXTRAPOLATION_CAP * last, Math.max(last, v));
    };
    return { depthM: along(table.depthM, Infinity), floodedShare: along(table.floodedShare, 1) };
  }
  const lnT = [0, ...Ts.map(Math.log)];
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
  const bands: (BandProfile | undefined)[] = new Array(m.zones.length).fill(undefined);
  let extrapolated = false;
  for (const table of h.zones) {
    const z = table.zone;
    if (returnPeriodYears > table.returnPeriodYears[table.returnPeriodYears.length - 1]!) extrapolated = true;
    const at = zoneAtReturnPeriod(table, returnPeriodYears, gev);
    const error = sd > 0 ? Math.exp(sd * normal(rng) - (sd * sd) / 2) : 1;
    depthM[z] = at.depthM * error;
    floodedShare[z] = at.floodedShare;
    if (table.exceedance) {
      const { row, means } = exceedanceRow(table, returnPeriodYears, at.floodedShare);
      bands[z] = bandProfile(at.floodedShare, table.exceedance.depthsM, row, error, means);
    }
  }
  return { severity, returnPeriodYears, warningLeadHours, depthM, floodedShare, extrapolated, bands };
}
