/**
 * Chemical releases: one at onset in event mode (of `eventClass`, or of a class drawn by
 * frequency), in annual mode a Poisson number of each release class over the year. Each picks a
 * site by weight, draws its class's release size and duration and the weather (wind, and a
 * Pasquill–Gifford class from the district's frequencies among those the wind allows:
 * stabilityClassesAt), then takes its consequences from the
 * plume model chosen (physics/chemical/: Gaussian, or the dense-gas correlations).
 */

import { type ProtectiveAction, releaseConsequences } from '../../physics/chemical/consequences.js';
import { MIN_WIND_M_S, STABILITY_CLASSES, type StabilityClass, stabilityClassesAt } from '../../physics/chemical/plume.js';
import { SUBSTANCES } from '../../physics/chemical/substances.js';
import type { TrialContext } from '../../response/context.js';
import { pickWeighted, poisson, sample } from '../../rng/distributions.js';
import type { Rng } from '../../rng/stream.js';
import type { CompiledModel } from '../../scenario/compile.js';
import type { CompiledChemical } from '../../scenario/hazards/chemical.js';

/** One replication's chemical releases: facts only. */
export class ChemicalFacts {
  releases = 0;
  /** Releases whose cloud was modelled as a dense gas. */
  dense = 0;
  /** Releases and deaths of each release class (by id, over all chemical hazards: `classIds` order). */
  readonly byClass: number[];
  readonly deathsByClass: number[];
  constructor(readonly classIds: readonly string[]) {
    this.byClass = classIds.map(() => 0);
    this.deathsByClass = classIds.map(() => 0);
  }
  deaths = 0;
  /** People exposed above AEGL-1, -2, -3 (all releases). */
  readonly exposed = [0, 0, 0];
  evacuated = 0;
  /** Release start → tier-2 zone evacuated, hours, each release with an evacuation. */
  readonly evacuationHours: number[] = [];
}

/**
 * A release's protective action. The air exchange and the all-clear delay come from streams of
 * their own, drawn for every release whatever the policy decides for it, so neither a policy nor
 * its threshold moves any other draw.
 */
function protectiveAction(h: CompiledChemical, releaseMinutes: number, streams: ChemicalStreams): ProtectiveAction {
  const a = h.protectiveAction;
  if (a.policy === 'evacuate' || a.airExchangePerHour === undefined || a.airingMinutes === undefined) return { policy: 'evacuate' };
  const airExchangePerHour = Math.max(0, sample(a.airExchangePerHour, streams.shelter));
  const airingMinutes = Math.max(0, sample(a.airingMinutes, streams.airing));
  const thenEvacuate = a.policy === 'shelter-then-evacuate';
  if (thenEvacuate && a.evacuateLongerThanMinutes !== undefined && releaseMinutes > a.evacuateLongerThanMinutes)
    return { policy: 'evacuate' };
  return { policy: 'shelter', airExchangePerHour, airingMinutes, thenEvacuate };
}

/**
 * The streams of one chemical hazard, each keyed by what it serves (issue 26): the releases and
 * their weather draw from `chemical:` alone, so a policy or a resource changes none of them; the
 * buses' times, the air exchange, the all-clear and the deaths each have a stream of their own. Every release
 * takes the same number of draws from each, whatever the policy, so release k of one variant is
 * release k of another.
 */
interface ChemicalStreams {
  readonly release: Rng;
  readonly evacuation: Rng;
  readonly shelter: Rng;
  readonly airing: Rng;
  readonly deaths: Rng;
}

/** A stream keyed when first drawn from (most policies never shelter: no hash for them). */
function lazyRng(make: () => Rng): Rng {
  let g: Rng | undefined;
  return () => {
    if (g === undefined) g = make();
    return g();
  };
}

export function scheduleChemical(ctx: TrialContext, h: CompiledChemical, facts: ChemicalFacts): undefined {
  const streams: ChemicalStreams = {
    release: ctx.rng(`chemical:${h.id}`),
    evacuation: ctx.rng(`evacuation:${h.id}`),
    shelter: lazyRng(() => ctx.rng(`shelter:${h.id}`)),
    airing: lazyRng(() => ctx.rng(`airing:${h.id}`)),
    deaths: ctx.rng(`chemical-deaths:${h.id}`),
  };
  const r = streams.release;
  const classes = h.releaseClasses;
  if (!ctx.annual) {
    const chosen =
      h.eventClass !== undefined
        ? classes.findIndex((c) => c.id === h.eventClass)
        : pickWeighted(
            r,
            classes.map((c) => c.perYear),
          );
    release(ctx, h, chosen, streams, facts);
    return undefined;
  }
  // A release's consequences do not depend on when in the year it happens (no team is sent), so
  // only the count of each class is drawn (all counts first: one uniform each).
  const counts = classes.map((c) => poisson(r, c.perYear));
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++) release(ctx, h, c, streams, facts);
  });
  return undefined;
}

function release(ctx: TrialContext, h: CompiledChemical, cls: number, streams: ChemicalStreams, facts: ChemicalFacts): void {
  const r = streams.release;
  const size = h.releaseClasses[cls]!;
  const { m, tally } = ctx;
  const site =
    h.sites[
      pickWeighted(
        r,
        h.sites.map((s) => s.weight),
      )
    ]!;
  const zone = site.zone;
  const z = m.zones[zone]!;
  const substance = SUBSTANCES[site.substance]!;
  const fraction = Math.min(1, sample(size.fraction, r));
  const minutes = Math.max(1, sample(size.minutes, r));
  const wind = Math.max(MIN_WIND_M_S, sample(h.weather.windMPerS, r));
  // The class is drawn from the scenario's frequencies among those the wind allows (class F with a
  // 4 m/s wind is not weather); one uniform whatever the wind, so the draws after it stay in place.
  const sw = h.weather.stabilityWeights;
  const allowed = stabilityClassesAt(wind);
  const weights = STABILITY_CLASSES.map((c) => (allowed.includes(c) ? sw[c] : 0));
  let stability: StabilityClass = 'D';
  if (weights.some((w) => w > 0)) stability = STABILITY_CLASSES[pickWeighted(r, weights)]!;
  else r();
  const loss = sample(h.lossCnyPerRelease, r);
  const seats = h.evacuation.buses * h.evacuation.busCapacity;
  const activationMinutes = sample(h.evacuation.activationMinutes, streams.evacuation);
  const roundTripMinutes = sample(h.evacuation.roundTripMinutes, streams.evacuation);
  const action = protectiveAction(h, minutes, streams);
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
    { activationMinutes, seats, roundTripMinutes },
    action,
    h.dispersion,
    site.setbackM,
  );
  // One uniform a release, by inversion: more expected deaths never give fewer on the same draw.
  const deaths = poisson(streams.deaths, c.expectedDeaths);
  facts.releases++;
  const k = facts.classIds.indexOf(size.id);
  facts.byClass[k]!++;
  facts.deathsByClass[k]! += deaths;
  if (c.model === 'dense') facts.dense++;
  facts.deaths += deaths;
  tally.deaths += deaths;
  c.exposed.forEach((n, i) => (facts.exposed[i] = facts.exposed[i]! + Math.round(n)));
  facts.evacuated += Math.round(c.evacuated);
  tally.affected += Math.round(c.exposed[0]);
  // GB 6721: what is paid after a death is direct loss
  const casualtyCost = deaths * h.deathCostCny;
  tally.addLoss(zone, loss + casualtyCost);
  tally.eventLoss(loss + casualtyCost);
  const evacuates = c.evacuated > 0 && Number.isFinite(c.evacuationMinutes);
  if (evacuates) facts.evacuationHours.push(c.evacuationMinutes / 60);
  if (ctx.trace) {
    // A release's time within the year is not drawn (its consequences do not depend on it): traced at 0.
    const where = { entity: `${h.id}/${site.id}`, zone: m.zones[zone]!.id };
    ctx.trace({
      minutes: 0,
      kind: 'release',
      ...where,
      people: Math.round(c.exposed[0]),
      exposed: c.exposed.map((n) => Math.round(n)),
      deaths,
      lossCny: Math.round(loss),
      casualtyCostCny: Math.round(casualtyCost),
      substance: site.substance,
      plume: {
        windMPerS: Math.round(wind * 10) / 10,
        stability,
        aegl2DistanceM: Math.round(c.zones[1]!.distanceM),
        dense: c.model === 'dense',
        releaseMinutes: Math.round(minutes),
      },
    });
    if (action.policy === 'shelter') {
      ctx.trace({ minutes: activationMinutes, kind: 'shelter-ordered', ...where, people: Math.round(c.exposed[1]) });
    }
    if (evacuates) {
      // the buses leave at activation (after sheltering: at the all-clear) and bring `seats` people out each round trip
      const start = c.evacuationStartMinutes;
      ctx.trace({ minutes: start, kind: 'evacuation-started', ...where, people: Math.round(c.evacuated) });
      const trips = Math.ceil(c.evacuated / seats);
      for (let k = 1; k < trips; k++) {
        ctx.trace({
          minutes: start + k * roundTripMinutes,
          kind: 'evacuation-progress',
          ...where,
          people: Math.round(k * seats),
        });
      }
    }
    ctx.trace({ minutes: Math.round(minutes), kind: 'release-stopped', ...where });
    if (evacuates) ctx.trace({ minutes: c.evacuationMinutes, kind: 'evacuation-completed', ...where, people: Math.round(c.evacuated) });
  }
}

/** The release class ids of a model's chemical hazards, each once, in order of appearance. */
export function releaseClassIds(m: CompiledModel): string[] {
  const ids = m.hazards.flatMap((h) => (h.type === 'chemical' ? (h.spec as CompiledChemical).releaseClasses.map((c) => c.id) : []));
  return [...new Set(ids)];
}
