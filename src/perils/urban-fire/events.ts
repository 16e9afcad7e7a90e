/**
 * Urban fires: ignitions as a Poisson process over the event window, spread over zones by
 * population; in annual mode the rate varies by month and hour (thinning, Lewis & Shedler 1979).
 * A fire falls where people live: in the zone's built-up area with the share of its residents who
 * live there (a uniform point of that area, a disc around the zone centre), else at a uniform
 * point of a disc around the centre whose mean distance is the zone's `localTravelKm`. Engines
 * are dispatched nearest-available (turnout + road travel); when every local engine is busy a
 * neighbouring unit comes after `mutualAidMinutes` unless a local engine frees first.
 *
 * First responders (micro fire stations, town teams) are spread where people live, in proportion
 * to the residents of the built-up area and of the rest of the zone; the nearest answers. In the
 * built-up disc its distance is that of the nearest of n uniform points of the disc, seen from the
 * fire's place, edges included (geo/disc.ts); in the rest of the zone, which has no shape here,
 * the infinite-plane Rayleigh law P(r > x) = e^{−nπx²/A}.
 * They are many and fires rare, so they are taken as always free. A first responder that arrives
 * before flashover fights the fire (its outcome counts from then); after flashover the fire waits
 * for the engines. The fire-rescue circle counts whichever unit is first.
 */

import { nearestInDisc } from '../../geo/disc.js';
import { type FireDraw, type FireParams, fireOutcome, tSquaredKw } from '../../physics/fire/growth.js';
import { monthOf, roadThenLocal, type TrialContext } from '../../response/context.js';
import type { Incident } from '../../response/incident.js';
import type { DispatchTask, TravelMinutes } from '../../response/teams.js';
import { exponential, pickWeighted, sample } from '../../rng/distributions.js';
import type { Rng } from '../../rng/stream.js';
import type { CompiledUrbanFire } from '../../scenario/hazards/urban-fire.js';
import type { Zone } from '../../scenario/schema.js';

/** One replication's urban fires: facts only (the 5-minute circle is a target, kpi side). */
export class FireFacts {
  /** Fires whose alarm was raised (reached by an engine within the horizon or not). */
  alarms = 0;
  /** Alarm → first engine, minutes, each fire in the order engines arrived, and the fire's zone. */
  readonly responseMinutes: number[] = [];
  readonly responseZone: number[] = [];
  /** Whether each reached fire (same order) lay in a built-up area. */
  readonly responseBuiltUp: boolean[] = [];
  /** Alarms by zone index, and alarms in built-up areas. */
  readonly alarmsByZone: number[] = [];
  builtUpAlarms = 0;
  /** Fires reached first by mutual aid, and by a first responder. */
  byMutualAid = 0;
  byFirstResponder = 0;
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
  // First responders draw from a stream of their own: a variant with or without them has the same fires.
  const first = ctx.rng(`first-response:${h.id}`);
  // So do the response's times (work on scene, mutual aid's arrival): changing one moves no fire.
  const response = ctx.rng(`fire-response:${h.id}`);

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
    const work = sample(h.workMinutes, response);
    const external = sample(h.mutualAidMinutes, response);
    const alarm = t + draw.detectionMinutes;
    const z = m.zones[zone]!;
    const builtUp = r() < (z.builtUp?.share ?? 0);
    const localKm = builtUp
      ? Math.sqrt(z.builtUp!.areaKm2 / Math.PI) * Math.sqrt(r())
      : // A uniform point in a disc whose mean distance from the centre is the zone's localTravelKm.
        1.5 * z.localTravelKm * Math.sqrt(r());
    const firstMinutes = firstResponder(h, z, zone, builtUp, localKm, first);
    const incident: Incident = { timeMinutes: alarm, zone, workMinutes: work, people: 0, localKm };
    let reached = false;
    let fought = false;
    const reach = (minutes: number, by: 'first' | 'engine' | 'aid'): void => {
      if (reached) return;
      reached = true;
      facts.responseMinutes.push(minutes);
      facts.responseZone.push(zone);
      facts.responseBuiltUp.push(builtUp);
      if (by === 'first') facts.byFirstResponder++;
      if (by === 'aid') facts.byMutualAid++;
    };
    const fight = (minutes: number): void => {
      if (fought) return;
      fought = true;
      const o = fireOutcome(params, draw, minutes);
      facts.lossCny += o.lossCny;
      tally.addLoss(zone, o.lossCny);
      tally.eventLoss(o.lossCny);
      if (o.death) {
        facts.deaths++;
        ctx.tally.deaths++;
      }
      // Traced at the time it happens (the trace is sorted by time), without scheduling an event;
      // with its incident, loss and death, so a drill can take the replication's largest fire
      ctx.trace?.({
        minutes: sim.now + draw.controlMinutes,
        kind: 'fire-controlled',
        entity: h.id,
        zone: z.id,
        ...(task.traceNo !== undefined && { incident: task.traceNo }),
        lossCny: Math.round(o.lossCny),
        deaths: o.death ? 1 : 0,
      });
    };
    const onScene = (minutes: number, _i: Incident, byMutualAid: boolean): void => {
      reach(minutes, byMutualAid ? 'aid' : 'engine');
      fight(minutes);
    };
    if (ctx.trace) {
      const trace = ctx.trace;
      sim.at(t, () => trace({ minutes: sim.now, kind: 'fire-ignited', entity: h.id, zone: m.zones[zone]!.id }));
    }
    facts.alarms++;
    facts.alarmsByZone[zone] = (facts.alarmsByZone[zone] ?? 0) + 1;
    if (builtUp) facts.builtUpAlarms++;
    const task: DispatchTask = { incident, eligible, travel, onScene, externalMinutes: external };
    sim.at(alarm, () => teams.alarm(task));
    if (Number.isFinite(firstMinutes)) {
      // Scheduled after the alarm, so a traced incident has its number when the first responder arrives.
      sim.at(alarm + firstMinutes, () => {
        ctx.trace?.({
          minutes: sim.now,
          kind: 'on-scene',
          entity: `${h.id}/first-response`,
          zone: z.id,
          incident: task.traceNo!,
          responseMinutes: firstMinutes,
        });
        reach(firstMinutes, 'first');
        if (tSquaredKw(draw.alphaKwPerS2, draw.detectionMinutes + firstMinutes) < params.flashoverKw) fight(firstMinutes);
      });
    }
  }
  return undefined;
}

/**
 * Minutes from alarm to the nearest first responder of a fire in `zone` (built-up area or not);
 * Infinity where the zone has none there. Draws the same numbers whether or not there are any.
 */
function firstResponder(h: CompiledUrbanFire, z: Zone, zone: number, builtUp: boolean, localKm: number, r: Rng): number {
  const u = r();
  const fr = h.firstResponders;
  const turnout = fr ? sample(fr.turnoutMinutes, r) : 0;
  const n = h.firstByZone[zone] ?? 0;
  if (!fr || n <= 0 || z.areaKm2 === undefined) return Infinity;
  const share = z.builtUp?.share ?? 0;
  const stations = builtUp ? n * share : n * (1 - share);
  const area = builtUp ? z.builtUp!.areaKm2 : z.areaKm2 - (z.builtUp?.areaKm2 ?? 0);
  if (!(stations > 0 && area > 0)) return Infinity;
  // In the built-up disc the fire's own place is known: the nearest on a finite disc, edges
  // included. Outside it the area has no shape here: the infinite-plane (Rayleigh) law.
  const km = builtUp
    ? nearestInDisc(Math.sqrt(area / Math.PI), localKm, stations, u)
    : Math.sqrt((-Math.log(1 - u) * area) / (stations * Math.PI));
  return turnout + (km / fr.speedKmh) * 60;
}
