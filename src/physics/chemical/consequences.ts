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
 * - Protective action is the scenario's choice: evacuate the AEGL-2 zone (as above), or shelter in
 *   place. People sheltering indoors breathe the indoor concentration of a single well-mixed box
 *   filled by infiltration at air-exchange rate λ (the model ALOHA uses for indoor
 *   concentrations): C_in(t) = C (1 − e^{−λt}) while the release lasts. Their toxic load
 *   ∫ C_inⁿ dt over the release duration D equals that of a constant C·f for D, with
 *   f = ((1/D) ∫₀ᴰ (1 − e^{−λt})ⁿ dt)^{1/n} (`shelterFactor`). They are assumed indoors from the
 *   release start and the house is aired once the plume has passed (no exposure after D).
 * - The plume is the Gaussian of plume.ts or the dense cloud of dense.ts (`model`); for a dense
 *   cloud the concentration is uniform across its width (a top hat) until it turns passive.
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
  /** Minutes from release start to the AEGL-2 zone being empty (Infinity with no buses). */
  readonly evacuationMinutes: number;
  readonly expectedDeaths: number;
}

export interface Evacuation {
  readonly activationMinutes: number;
  readonly seats: number;
  readonly roundTripMinutes: number;
}

/** What people inside the AEGL-2 zone do: leave by bus, or shelter indoors at `airExchangePerHour`. */
export type ProtectiveAction = { readonly policy: 'evacuate' } | { readonly policy: 'shelter'; readonly airExchangePerHour: number };

/**
 * The factor f by which sheltering scales a constant outdoor concentration for the same toxic
 * load ∫ Cⁿ dt over `minutes`: f = ((1/D) ∫₀ᴰ (1 − e^{−λt})ⁿ dt)^{1/n} (midpoint rule, 256 steps).
 */
export function shelterFactor(airExchangePerHour: number, minutes: number, n: number): number {
  if (!(minutes > 0)) return 0;
  const lambda = airExchangePerHour / 60;
  const steps = 256;
  let sum = 0;
  for (let k = 0; k < steps; k++) sum += (1 - Math.exp(-lambda * ((k + 0.5) / steps) * minutes)) ** n;
  return (sum / steps) ** (1 / n);
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
  const evacuated = shelter ? 0 : exposed[1];
  const trips = evac.seats > 0 ? Math.ceil(evacuated / evac.seats) : Infinity;
  const evacuationMinutes = evacuated <= 0 ? 0 : evac.activationMinutes + trips * evac.roundTripMinutes;
  // Exposure times: the release duration, or a person's departure if earlier (sheltering: the
  // release duration, at the indoor-equivalent concentration).
  const exposures: number[] = [];
  for (let k = 0; k < T_POINTS; k++) {
    const leave =
      !shelter && Number.isFinite(evacuationMinutes)
        ? evac.activationMinutes + ((k + 0.5) / T_POINTS) * (evacuationMinutes - evac.activationMinutes)
        : Infinity;
    exposures.push(Math.min(releaseMinutes, leave));
  }
  const indoor = shelter ? shelterFactor(action.airExchangePerHour, releaseMinutes, substance.probit.n) : 1;
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
        const ppm = indoor * mgM3ToPpm(c0 * d.lateral(x, y) * 1000, substance.molarMass);
        let pd = 0;
        for (const t of exposures) pd += deathProbability(substance, ppm, t);
        deaths += (pd / T_POINTS) * 2 * dy * (xb - xa) * peoplePerM2;
      }
    }
  }
  return { model: d.model, zones, exposed, evacuated, evacuationMinutes, expectedDeaths: deaths };
}
