/**
 * Urban fires: ignitions as a Poisson process over the event window, spread over zones by
 * population; in annual mode the rate varies by month and hour (thinning, Lewis & Shedler 1979).
 * Each fire lies at a uniform point of a disc around its zone's centre (mean distance: the zone's
 * `localTravelKm`). Engines are dispatched nearest-available (turnout + road travel); when every local engine is
 * busy a neighbouring unit comes after `mutualAidMinutes` unless a local engine frees first.
 */

import { type FireDraw, type FireParams, fireOutcome } from '../../hazards/fire/growth.js';
import { monthOf, roadThenLocal, type TrialContext } from '../../response/context.js';
import type { Incident } from '../../response/incident.js';
import type { TravelMinutes } from '../../response/teams.js';
import { exponential, pickWeighted, sample } from '../../rng/distributions.js';
import type { CompiledUrbanFire } from './definition.js';

/** One replication's urban fires: facts only (the 5-minute circle is a target, kpi side). */
export class FireFacts {
  /** Fires whose alarm was raised (reached by an engine within the horizon or not). */
  alarms = 0;
  /** Alarm → first engine, minutes, each fire in the order engines arrived, and the fire's zone. */
  readonly responseMinutes: number[] = [];
  readonly responseZone: number[] = [];
  /** Alarms by zone index. */
  readonly alarmsByZone: number[] = [];
  byMutualAid = 0;
  lossCny = 0;
  deaths = 0;
}

/** Factors normalised to mean 1 (weights as given; equal when absent). */
function normalised(f: readonly number[] | undefined, n: number): number[] {
  const xs = f ?? Array.from({ length: n }, () => 1);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return xs.map((x) => (mean > 0 ? x / mean : 0));
}

export function scheduleUrbanFires(ctx: TrialContext, h: CompiledUrbanFire, facts: FireFacts): undefined {
  const { m, sim, roads, teams, tally } = ctx;
  const r = ctx.rng(`fire:${h.id}`);
  const perMinute = (h.ratePer10kPerYear * m.population) / 10_000 / (365 * 1440);
  if (!(perMinute > 0)) return;
  const months = ctx.annual ? normalised(h.monthFactors, 12) : Array.from({ length: 12 }, () => 1);
  const hours = ctx.annual ? normalised(h.hourFactors, 24) : Array.from({ length: 24 }, () => 1);
  const peak = perMinute * Math.max(...months) * Math.max(...hours);
  const weights = m.zones.map((z) => z.population);
  const eligible = h.eligible;
  const params: FireParams = {
    hrrPerAreaKwM2: h.growth.hrrPerAreaKwM2,
    valueCnyPerM2: h.growth.valueCnyPerM2,
    flashoverKw: h.growth.flashoverKw,
    deathBeforeFlashover: h.deathProbability.beforeFlashover,
    deathAfterFlashover: h.deathProbability.afterFlashover,
  };
  const travel: TravelMinutes = roadThenLocal(roads, h.localSpeedKmh, (i) => i.localKm ?? 0);

  let t = 0;
  for (;;) {
    t += exponential(r, 1 / peak);
    if (t >= ctx.windowMinutes) break;
    const rate = perMinute * months[monthOf(t)]! * hours[Math.floor(t / 60) % 24]!;
    if (r() * peak >= rate) continue; // thinned out
    const zone = pickWeighted(r, weights);
    const draw: FireDraw = {
      detectionMinutes: sample(h.growth.detectionMinutes, r),
      alphaKwPerS2: sample(h.growth.alphaKwPerS2, r),
      controlMinutes: sample(h.growth.controlMinutes, r),
      maxAreaM2: sample(h.growth.maxAreaM2, r),
      deathU: r(),
    };
    const work = sample(h.workMinutes, r);
    const external = sample(h.mutualAidMinutes, r);
    const alarm = t + draw.detectionMinutes;
    // A uniform point in a disc whose mean distance from the centre is the zone's localTravelKm.
    const localKm = 1.5 * m.zones[zone]!.localTravelKm * Math.sqrt(r());
    const incident: Incident = { timeMinutes: alarm, zone, workMinutes: work, people: 0, localKm };
    const onScene = (minutes: number, _i: Incident, byMutualAid: boolean): void => {
      const o = fireOutcome(params, draw, minutes);
      facts.responseMinutes.push(minutes);
      facts.responseZone.push(zone);
      if (byMutualAid) facts.byMutualAid++;
      facts.lossCny += o.lossCny;
      tally.addLoss(zone, o.lossCny);
      if (o.death) facts.deaths++;
      // Traced at the time it happens (the trace is sorted by time), without scheduling an event.
      ctx.trace?.({ minutes: sim.now + draw.controlMinutes, kind: 'fire-controlled', entity: h.id, zone: m.zones[zone]!.id });
    };
    if (ctx.trace) {
      const trace = ctx.trace;
      sim.at(t, () => trace({ minutes: sim.now, kind: 'fire-ignited', entity: h.id, zone: m.zones[zone]!.id }));
    }
    facts.alarms++;
    facts.alarmsByZone[zone] = (facts.alarmsByZone[zone] ?? 0) + 1;
    sim.at(alarm, () => teams.alarm({ incident, eligible, travel, onScene, externalMinutes: external }));
  }
  return undefined;
}
