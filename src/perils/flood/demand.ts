/**
 * From a flood footprint to demand: direct loss, displaced and stranded people, rescue calls and
 * closed roads.
 *
 * - Direct loss = Σ sectors exposed value × flooded share × JRC damage fraction(depth) (damage.ts).
 * - Displaced = population × flooded share where depth ≥ `displacementDepthM` (the threshold rule
 *   InaSAFE applies to flooded population; the threshold is the scenario's). A zone with depth
 *   bands (an exceedance row, physics/flood/bands.ts) displaces, loses and dies by band instead.
 * - Stranded = displaced × s₀ × exp(−L/τ): with warning lead time L, people leave at a constant
 *   rate 1/τ (an exponential departure curve, the simplest of the evacuation-response curves in
 *   Lindell & Prater 2007, doi:10.1061/(ASCE)1527-6988(2007)8:3(69)); s₀ is the share stranded
 *   without warning. They call in groups of `groupSize` at times uniform over the call window
 *   (a Poisson process conditioned on its count).
 * - Deaths: people who stay in the flooded area (the stranded) die with probability
 *   F(h) = Φ((ln h − 7.60) / 2.75), the mortality function of Jonkman, Vrijling & Vrouwenvelder
 *   (2008, Natural Hazards 46:353–389) for the zone beyond rapidly rising water and breach flow;
 *   the count is a Poisson draw with that mean (by inversion, from the stream's first uniform).
 * - Affected person-times: everyone in the flooded area, whatever the depth.
 * - A road link closes when either end zone is flooded deeper than its `closesAtDepthM`, and
 *   reopens after a drawn clearing time (plans target 24 h, e.g. 004 L233). The share of its
 *   length under water is taken as the larger flooded share of its two end zones (an estimate:
 *   zones are not mapped finer than that). A link that carries its own water by return period
 *   (`flood`, from dsim import sampling the depth rasters along the road) closes when its deepest
 *   point is deeper than `closesAtDepthM` at the event's return period (ln T interpolation, held
 *   beyond the table), with its own wet length.
 */

import { type BandProfile, bandDamage, shareAtOrAbove, sumOverBands } from '../../physics/flood/bands.js';
import { damageFraction } from '../../physics/flood/damage.js';
import { type FloodFootprint, zoneAtReturnPeriod } from '../../physics/flood/footprint.js';
import type { Incident } from '../../response/incident.js';
import { poissonQuantile, sample } from '../../rng/distributions.js';
import type { Rng } from '../../rng/stream.js';
import type { CompiledModel } from '../../scenario/compile.js';
import type { CompiledFlood } from '../../scenario/hazards/flood.js';
import { SECTORS } from '../../scenario/schema.js';
import { normalCdf } from '../../stats/normal.js';

/** Jonkman et al. (2008) mortality of people remaining in a flooded area at depth h (m). */
export function floodMortality(depthM: number): number {
  return depthM > 0 ? normalCdf((Math.log(depthM) - 7.6) / 2.75) : 0;
}

export interface FloodDemand {
  /** Direct loss by zone, CNY. */
  readonly lossCny: Float64Array;
  /** Displaced people by zone of origin. */
  readonly displaced: Float64Array;
  readonly stranded: Float64Array;
  /** Zone whose shelters receive each zone's displaced. */
  readonly shelterZone: Int32Array;
  /** Rescue calls, in time order. */
  readonly calls: Incident[];
  /** Closed links, the share of their length under water, and when they reopen. */
  readonly closures: { link: number; wetShare: number; reopenMinutes: number }[];
  readonly deaths: number;
  readonly affected: number;
}

/** Direct loss of a zone by depth band: Σ sectors value × Σ bands share × JRC(band depth). */
export function bandLossCny(m: CompiledModel, zone: number, bands: BandProfile): number {
  const assets = m.zones[zone]!.assetsCny;
  let loss = 0;
  for (const s of SECTORS) if (assets[s]) loss += assets[s]! * bandDamage(bands, s);
  return loss;
}

export function directLossCny(m: CompiledModel, zone: number, depthM: number, floodedShare: number): number {
  const assets = m.zones[zone]!.assetsCny;
  let loss = 0;
  for (const s of SECTORS) loss += (assets[s] ?? 0) * floodedShare * damageFraction(s, depthM);
  return loss;
}

/**
 * A flood's demand streams, each keyed by what it serves: the deaths' uniform and the calls'
 * times (`demand`), the rescue work at each call (`rescueWork`) and the clearing time of every
 * link (`reopen`, one draw per link whether it closes or not). A change to the response's times
 * or to a road's closing depth then moves none of the others' draws.
 */
export interface FloodDemandStreams {
  readonly demand: Rng;
  readonly rescueWork: Rng;
  readonly reopen: Rng;
}

export function floodDemand(m: CompiledModel, h: CompiledFlood, fp: FloodFootprint, streams: FloodDemandStreams): FloodDemand {
  const rng = streams.demand;
  // drawn first, so the count of calls before it cannot move it; by inversion (monotone in the mean)
  const deathsU = rng();
  const n = m.zones.length;
  const lossCny = new Float64Array(n);
  const displaced = new Float64Array(n);
  const stranded = new Float64Array(n);
  const shelterZone = Int32Array.from({ length: n }, (_, i) => i);
  const calls: Incident[] = [];
  const st = h.stranded;
  const strandedShare = st.shareWithoutWarning * Math.exp(-fp.warningLeadHours / st.evacuationTimeConstantHours);
  let expectedDeaths = 0;
  let affected = 0;
  for (const table of h.zones) {
    const z = table.zone;
    shelterZone[z] = table.shelterZone;
    const depth = fp.depthM[z]!;
    const share = fp.floodedShare[z]!;
    const bands = fp.bands[z];
    const people = m.zones[z]!.population;
    if (depth > 0) affected += Math.round(people * share);
    if (bands) {
      // By depth band (bands.ts): the people above the displacement depth, wherever the mean is.
      lossCny[z] = bandLossCny(m, z, bands);
      displaced[z] = Math.round(people * shareAtOrAbove(bands, h.displacementDepthM));
      if (displaced[z] === 0) continue;
      stranded[z] = Math.round(displaced[z]! * strandedShare);
      expectedDeaths += people * strandedShare * sumOverBands(bands, h.displacementDepthM, floodMortality);
    } else {
      lossCny[z] = directLossCny(m, z, depth, share);
      if (depth < h.displacementDepthM) continue;
      displaced[z] = Math.round(people * share);
      stranded[z] = Math.round(displaced[z]! * strandedShare);
      expectedDeaths += stranded[z]! * floodMortality(depth);
    }
    const groups = Math.ceil(stranded[z]! / st.groupSize);
    for (let g = 0; g < groups; g++) {
      const people = Math.min(st.groupSize, stranded[z]! - g * st.groupSize);
      calls.push({
        timeMinutes: rng() * st.callWindowHours * 60,
        zone: z,
        workMinutes: sample(h.rescue.workMinutes, streams.rescueWork),
        people,
      });
    }
  }
  calls.sort((a, b) => a.timeMinutes - b.timeMinutes || a.zone - b.zone);
  const closures: FloodDemand['closures'] = [];
  m.links.forEach((l, k) => {
    const reopenMinutes = sample(h.roadReopenHours, streams.reopen) * 60;
    if (l.flood) {
      // Water along the road itself (an imported link): its deepest point and wet length at T.
      const at = zoneAtReturnPeriod(
        { returnPeriodYears: l.flood.returnPeriodYears, depthM: l.flood.maxDepthM, floodedShare: l.flood.wetShare },
        fp.returnPeriodYears,
      );
      if (at.depthM <= l.closesAtDepthM) return;
      closures.push({ link: k, wetShare: at.floodedShare, reopenMinutes });
      return;
    }
    const depth = Math.max(fp.depthM[l.from]!, fp.depthM[l.to]!);
    if (depth <= l.closesAtDepthM) return;
    // The flooded stretch: as much of the link as the more flooded end zone has under water.
    const wetShare = Math.max(fp.floodedShare[l.from]!, fp.floodedShare[l.to]!);
    closures.push({ link: k, wetShare, reopenMinutes });
  });
  const deaths = poissonQuantile(deathsU, expectedDeaths);
  return { lossCny, displaced, stranded, shelterZone, calls, closures, deaths, affected };
}
