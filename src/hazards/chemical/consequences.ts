/**
 * What one steady release does to the people around it: how many are inside each threat zone,
 * how long the tier-2 (AEGL-2) zone takes to evacuate, and the expected deaths.
 *
 * - People in a zone = its ground area × the population density of the release site's zone
 *   (a uniform density: zones are not mapped finer).
 * - Evacuation of the AEGL-2 zone by bus: after activation, ceil(N / (buses × seats)) round trips.
 *   A person leaves at a time uniform over [activation, completion]; their exposure lasts until
 *   then or until the release stops, whichever is first. Everyone is assumed exposed from the
 *   release start (the plume's travel time is neglected: a conservative simplification).
 * - Expected deaths integrate the substance's probit over the plume footprint inside the AEGL-2
 *   zone: Σ density · P(death | C(x, y), exposure) · dA, with the exposure averaged over the
 *   evacuation times.
 */
import { briggsSigma, centreline, type PlumeParams, type ThreatZone, threatZone } from './plume.js';
import { deathProbability, levelsOfConcern, mgM3ToPpm, type Substance } from './substances.js';

export interface ReleaseConsequences {
  readonly zones: readonly ThreatZone[];
  /** People inside the AEGL-1, -2 and -3 zones (nested). */
  readonly exposed: readonly [number, number, number];
  readonly evacuated: number;
  /** Minutes from release start to the AEGL-2 zone being empty (Infinity with no buses). */
  readonly evacuationMinutes: number;
  readonly expectedDeaths: number;
}

export interface Evacuation {
  readonly activationMinutes: number;
  readonly seats: number;
  readonly roundTripMinutes: number;
}

const X_STEPS = 32;
const Y_STEPS = 16;
const T_POINTS = 5;

export function releaseConsequences(
  substance: Substance,
  p: PlumeParams,
  releaseMinutes: number,
  peoplePerM2: number,
  evac: Evacuation,
): ReleaseConsequences {
  const locs = levelsOfConcern(substance);
  const zones = locs.map((loc) => threatZone(p, loc));
  const exposed = zones.map((z) => z.areaM2 * peoplePerM2) as [number, number, number];
  const evacuated = exposed[1];
  const trips = evac.seats > 0 ? Math.ceil(evacuated / evac.seats) : Infinity;
  const evacuationMinutes = evacuated <= 0 ? 0 : evac.activationMinutes + trips * evac.roundTripMinutes;
  // Exposure times: the release duration, or a person's departure if earlier.
  const exposures: number[] = [];
  for (let k = 0; k < T_POINTS; k++) {
    const leave = Number.isFinite(evacuationMinutes)
      ? evac.activationMinutes + ((k + 0.5) / T_POINTS) * (evacuationMinutes - evac.activationMinutes)
      : Infinity;
    exposures.push(Math.min(releaseMinutes, leave));
  }
  const zone2 = zones[1]!;
  let deaths = 0;
  if (zone2.distanceM > 0 && peoplePerM2 > 0) {
    const loc2 = locs[1]! / 1000;
    const x0 = 10;
    const x1 = zone2.distanceM;
    const ratio = (x1 / x0) ** (1 / X_STEPS);
    for (let i = 0; i < X_STEPS; i++) {
      const xa = x0 * ratio ** i;
      const xb = xa * ratio;
      const x = Math.sqrt(xa * xb);
      const c0 = centreline(p, x);
      if (c0 <= loc2) continue;
      const sy = briggsSigma(x, p.stability, p.terrain).sigmaY;
      const w = sy * Math.sqrt(2 * Math.log(c0 / loc2));
      const dy = w / Y_STEPS;
      for (let j = 0; j < Y_STEPS; j++) {
        const y = (j + 0.5) * dy;
        const ppm = mgM3ToPpm(c0 * Math.exp(-(y * y) / (2 * sy * sy)) * 1000, substance.molarMass);
        let pd = 0;
        for (const t of exposures) pd += deathProbability(substance, ppm, t);
        deaths += (pd / T_POINTS) * 2 * dy * (xb - xa) * peoplePerM2;
      }
    }
  }
  return { zones, exposed, evacuated, evacuationMinutes, expectedDeaths: deaths };
}
