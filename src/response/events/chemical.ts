/**
 * Chemical releases: one at onset in event mode, a Poisson number over the year in annual mode.
 * Each picks a site by weight, draws the release size and duration and the weather (wind, and a
 * Pasquill–Gifford class from the district's frequencies), then takes its consequences from the
 * plume model (hazards/chemical/).
 */
import type { ChemicalHazard } from '../../scenario/schema.js';
import { pickWeighted, poisson, sample } from '../../rng/distributions.js';
import { STABILITY_CLASSES, MIN_WIND_M_S } from '../../hazards/chemical/plume.js';
import { SUBSTANCES } from '../../hazards/chemical/substances.js';
import { releaseConsequences } from '../../hazards/chemical/consequences.js';
import type { TrialContext } from '../context.js';

export function scheduleChemical(ctx: TrialContext, h: ChemicalHazard): void {
  const r = ctx.rng(`chemical:${h.id}`);
  const times = ctx.annual
    ? Array.from({ length: poisson(r, h.releasesPerYear) }, () => r() * ctx.windowMinutes).sort((a, b) => a - b)
    : [0];
  for (const t of times) release(ctx, h, t, r);
}

function release(ctx: TrialContext, h: ChemicalHazard, at: number, r: () => number): void {
  const { m, tally } = ctx;
  const site = h.sites[pickWeighted(r, h.sites.map((s) => s.weight))]!;
  const zone = m.zoneIndex.get(site.zone)!;
  const z = m.zones[zone]!;
  const substance = SUBSTANCES[site.substance]!;
  const fraction = Math.min(1, sample(h.releaseFraction, r));
  const minutes = Math.max(1, sample(h.releaseMinutes, r));
  const wind = Math.max(MIN_WIND_M_S, sample(h.weather.windMPerS, r));
  const sw = h.weather.stabilityWeights;
  const stability = STABILITY_CLASSES[pickWeighted(r, STABILITY_CLASSES.map((c) => sw[c]))]!;
  const seats = h.evacuation.buses * h.evacuation.busCapacity;
  const c = releaseConsequences(
    substance,
    { rateGPerS: (site.inventoryKg * fraction * 1000) / (minutes * 60), windMPerS: wind, stability, heightM: h.heightM, terrain: h.terrain },
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
  void at; // releases are settled at once; their time matters only for the year they fall in
}
