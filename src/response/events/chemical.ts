/**
 * Chemical releases: one at onset in event mode, a Poisson number over the year in annual mode.
 * Each picks a site by weight, draws the release size and duration and the weather (wind, and a
 * Pasquill–Gifford class from the district's frequencies), then takes its consequences from the
 * plume model (hazards/chemical/).
 */

import { releaseConsequences } from '../../hazards/chemical/consequences.js';
import { MIN_WIND_M_S, STABILITY_CLASSES } from '../../hazards/chemical/plume.js';
import { SUBSTANCES } from '../../hazards/chemical/substances.js';
import { pickWeighted, poisson, sample } from '../../rng/distributions.js';
import type { ChemicalHazard } from '../../scenario/schema.js';
import type { TrialContext } from '../context.js';

export function scheduleChemical(ctx: TrialContext, h: ChemicalHazard): void {
  const r = ctx.rng(`chemical:${h.id}`);
  // A release's consequences do not depend on when in the year it happens (no team is sent), so
  // only the count is drawn.
  const count = ctx.annual ? poisson(r, h.releasesPerYear) : 1;
  for (let k = 0; k < count; k++) release(ctx, h, r);
}

function release(ctx: TrialContext, h: ChemicalHazard, r: () => number): void {
  const { m, tally } = ctx;
  const site =
    h.sites[
      pickWeighted(
        r,
        h.sites.map((s) => s.weight),
      )
    ]!;
  const zone = m.zoneIndex.get(site.zone)!;
  const z = m.zones[zone]!;
  const substance = SUBSTANCES[site.substance]!;
  const fraction = Math.min(1, sample(h.releaseFraction, r));
  const minutes = Math.max(1, sample(h.releaseMinutes, r));
  const wind = Math.max(MIN_WIND_M_S, sample(h.weather.windMPerS, r));
  const sw = h.weather.stabilityWeights;
  const stability =
    STABILITY_CLASSES[
      pickWeighted(
        r,
        STABILITY_CLASSES.map((c) => sw[c]),
      )
    ]!;
  const seats = h.evacuation.buses * h.evacuation.busCapacity;
  const c = releaseConsequences(
    substance,
    {
      rateGPerS: (site.inventoryKg * fraction * 1000) / (minutes * 60),
      windMPerS: wind,
      stability,
      heightM: h.heightM,
      terrain: h.terrain,
    },
    minutes,
    z.population / ((z.areaKm2 ?? Infinity) * 1e6),
    { activationMinutes: sample(h.evacuation.activationMinutes, r), seats, roundTripMinutes: sample(h.evacuation.roundTripMinutes, r) },
  );
  const deaths = poisson(r, c.expectedDeaths);
  const loss = sample(h.lossCnyPerRelease, r);
  tally.releases++;
  tally.chemicalDeaths += deaths;
  c.exposed.forEach((n, i) => (tally.chemicalExposed[i] = tally.chemicalExposed[i]! + Math.round(n)));
  tally.evacuated += Math.round(c.evacuated);
  tally.affected += Math.round(c.exposed[0]);
  tally.addLoss(zone, loss);
  if (c.evacuated > 0 && Number.isFinite(c.evacuationMinutes)) ctx.sink.evacuation(c.evacuationMinutes / 60);
}
