/**
 * What one steady release does to the people around it: how many are inside each threat zone,
 * how long the tier-2 (AEGL-2) zone takes to evacuate, and the expected deaths.
 *
 * - People in a zone = its ground area × the population density of the release site's zone
 *   (a uniform density: zones are not mapped finer), counted from the site's setback outward
 *   (the external safety distance inside which nobody lives; along the wind axis).
 * - Evacuation of the AEGL-2 zone by bus: after activation, ceil(N / (buses × seats)) round trips.
 *   A person leaves at a time uniform over [activation, completion]; their exposure lasts until
 *   then or until the release stops, whichever is first. Everyone is assumed exposed from the
 *   release start (the plume's travel time is neglected: a conservative simplification).
 * - Expected deaths integrate the substance's probit over the plume footprint inside the AEGL-2
 *   zone: Σ density · P(death | C(x, y), exposure) · dA, with the exposure averaged over the
 *   evacuation times.
 * - The plume is the Gaussian of plume.ts or the dense cloud of dense.ts (`model`); for a dense
 *   cloud the concentration is uniform across its width (a top hat) until it turns passive.
 * - Protective action is the scenario's choice: evacuate the AEGL-2 zone (as above), or shelter in
 *   place. People are outdoors until the shelter order, given when the buses would be activated
 *   (`activationMinutes`); from then on they breathe the indoor concentration of a single
 *   well-mixed box filled by infiltration at air-exchange rate λ from the release start (the model
 *   ALOHA uses for indoor concentrations): C_in(t) = C (1 − e^{−λt}) while the release lasts (D),
 *   then C_in(D) e^{−λ(t − D)} as the cloud-free air flushes it, until the all-clear `airingMinutes`
 *   after the release stops, when the house is aired (windows opened, or people leave) and the
 *   exposure ends. The toxic load ∫ C_inⁿ dt of that history equals the load of the outdoor C for
 *   `shelteredMinutes(...)` minutes, which is what the probit is given. An order given after the
 *   release stopped protects nobody: they were outdoors through it (load C for D).
 *   Shelter-then-evacuate (`thenEvacuate`) adds the buses after the all-clear: the same deaths as
 *   sheltering, and the zone evacuated from then on (no bus drives into a passing cloud).
 */
import { type DispersionModel, dispersionFor } from './dense.js';
import { type PlumeParams, type ThreatZone, threatZone } from './plume.js';
import { deathProbability, levelsOfConcern, mgM3ToPpm, type Substance } from './substances.js';

export interface ReleaseConsequences {
  /** The dispersion model used (auto picks dense when the workbook's criterion says so). */
  readonly model: 'gaussian' | 'dense';
  readonly zones: readonly ThreatZone[];
  /** People inside the AEGL-1, -2 and -3 zones (nested). */
  readonly exposed: readonly [number, number, number];
  readonly evacuated: number;
  /** Minutes from release start to the buses' first departure: activation, or after sheltering the all-clear. */
  readonly evacuationStartMinutes: number;
  /** Minutes from release start to the AEGL-2 zone being empty (Infinity with no buses). */
  readonly evacuationMinutes: number;
  readonly expectedDeaths: number;
}

export interface Evacuation {
  readonly activationMinutes: number;
  readonly seats: number;
  readonly roundTripMinutes: number;
}

/**
 * What people inside the AEGL-2 zone do: leave by bus, or shelter indoors at `airExchangePerHour`
 * until the all-clear `airingMinutes` after the release stops (and, with `thenEvacuate`, board the
 * buses then).
 */
export type ProtectiveAction =
  | { readonly policy: 'evacuate' }
  | {
      readonly policy: 'shelter';
      readonly airExchangePerHour: number;
      readonly airingMinutes: number;
      readonly thenEvacuate: boolean;
    };

/** ∫ₐᵇ (1 − e^{−λt})ⁿ dt, λ per minute (midpoint rule, 256 steps). */
function fillingLoad(lambda: number, a: number, b: number, n: number): number {
  if (!(b > a)) return 0;
  const steps = 256;
  const h = (b - a) / steps;
  let sum = 0;
  for (let k = 0; k < steps; k++) sum += (1 - Math.exp(-lambda * (a + (k + 0.5) * h))) ** n;
  return sum * h;
}

/**
 * The factor f by which sheltering from the release start scales a constant outdoor concentration
 * for the same toxic load ∫ Cⁿ dt over `minutes`: f = ((1/D) ∫₀ᴰ (1 − e^{−λt})ⁿ dt)^{1/n}.
 */
export function shelterFactor(airExchangePerHour: number, minutes: number, n: number): number {
  if (!(minutes > 0)) return 0;
  return (fillingLoad(airExchangePerHour / 60, 0, minutes, n) / minutes) ** (1 / n);
}

/**
 * Minutes at the outdoor concentration giving the toxic load of a sheltering person: outdoors
 * until the order (`orderMinutes`, from the release start), then indoors through the rest of the
 * `releaseMinutes` (box filling at λ), then indoors while the box flushes until the all-clear
 * `airingMinutes` after the release stops:
 *   min(t_s, D) + ∫_{t_s}^{D} (1 − e^{−λt})ⁿ dt + (1 − e^{−λD})ⁿ (1 − e^{−nλA}) / (nλ).
 * An order at or after D leaves the outdoor load, D.
 */
export function shelteredMinutes(
  airExchangePerHour: number,
  orderMinutes: number,
  releaseMinutes: number,
  airingMinutes: number,
  n: number,
): number {
  const D = releaseMinutes;
  if (!(D > 0)) return 0;
  const ts = Math.max(0, orderMinutes);
  if (ts >= D) return D;
  const lambda = airExchangePerHour / 60;
  const during = fillingLoad(lambda, ts, D, n);
  const A = Math.max(0, airingMinutes);
  const after = lambda > 0 ? (1 - Math.exp(-lambda * D)) ** n * ((1 - Math.exp(-n * lambda * A)) / (n * lambda)) : 0;
  return ts + during + after;
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
  action: ProtectiveAction = { policy: 'evacuate' },
  model: DispersionModel = 'gaussian',
  setbackM = 0,
): ReleaseConsequences {
  const locs = levelsOfConcern(substance);
  const d = dispersionFor(substance, p, model);
  const zones = locs.map((loc) => threatZone(d, loc, setbackM));
  const exposed = zones.map((z) => z.areaM2 * peoplePerM2) as [number, number, number];
  const shelter = action.policy === 'shelter';
  const evacuated = !shelter || action.thenEvacuate ? exposed[1] : 0;
  // the buses start at activation, or after sheltering at the all-clear
  const busesStart = shelter ? Math.max(evac.activationMinutes, releaseMinutes + action.airingMinutes) : evac.activationMinutes;
  const trips = evac.seats > 0 ? Math.ceil(evacuated / evac.seats) : Infinity;
  const evacuationMinutes = evacuated <= 0 ? 0 : busesStart + trips * evac.roundTripMinutes;
  // Minutes of exposure at the outdoor concentration: until a person's bus leaves or the release
  // stops, whichever is first (T_POINTS departures spread over the evacuation); sheltering, the
  // load-equivalent minutes of everyone's indoor history.
  const exposures = shelter
    ? [shelteredMinutes(action.airExchangePerHour, evac.activationMinutes, releaseMinutes, action.airingMinutes, substance.probit.n)]
    : Array.from({ length: T_POINTS }, (_, k) => {
        const leave = Number.isFinite(evacuationMinutes)
          ? busesStart + ((k + 0.5) / T_POINTS) * (evacuationMinutes - busesStart)
          : Infinity;
        return Math.min(releaseMinutes, leave);
      });
  const zone2 = zones[1]!;
  let deaths = 0;
  if (zone2.distanceM > Math.max(10, setbackM) && peoplePerM2 > 0) {
    const loc2 = locs[1]! / 1000;
    const x0 = Math.max(10, setbackM);
    const x1 = zone2.distanceM;
    const ratio = (x1 / x0) ** (1 / X_STEPS);
    for (let i = 0; i < X_STEPS; i++) {
      const xa = x0 * ratio ** i;
      const xb = xa * ratio;
      const x = Math.sqrt(xa * xb);
      const c0 = d.centreline(x);
      const w = d.halfWidth(x, loc2);
      if (w <= 0) continue;
      const dy = w / Y_STEPS;
      for (let j = 0; j < Y_STEPS; j++) {
        const y = (j + 0.5) * dy;
        const ppm = mgM3ToPpm(c0 * d.lateral(x, y) * 1000, substance.molarMass);
        let pd = 0;
        for (const t of exposures) pd += deathProbability(substance, ppm, t);
        deaths += (pd / exposures.length) * 2 * dy * (xb - xa) * peoplePerM2;
      }
    }
  }
  return { model: d.model, zones, exposed, evacuated, evacuationStartMinutes: busesStart, evacuationMinutes, expectedDeaths: deaths };
}
