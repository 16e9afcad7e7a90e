/**
 * Forest and reed fires: ignitions (one at onset in event mode; a Poisson number by month weight
 * in annual mode) in a fuel area chosen by its size, spread by the day's fire weather
 * (physics/wildfire/spread.ts), attacked by forest-fire teams sent through the shared dispatcher.
 * Containment and burned area are settled at the end of the replication from the teams' actual
 * arrival times.
 */

import {
  burnedHa,
  type Crew,
  containmentTime,
  type FireShape,
  headIntensityKwPerM,
  hoursToBurn,
  lengthToBreadth,
  rateOfSpreadMPerH,
} from '../../physics/wildfire/spread.js';
import { MONTH_START_MINUTES, monthMinutes, roadThenLocal, type TrialContext } from '../../response/context.js';
import type { Incident } from '../../response/incident.js';
import type { TravelMinutes } from '../../response/teams.js';
import { pickWeighted, poisson, sample } from '../../rng/distributions.js';
import type { Rng } from '../../rng/stream.js';
import type { CompiledWildfire } from '../../scenario/hazards/wildfire.js';
import type { Settle } from '../peril.js';

/** One replication's forest and reed fires: facts only (the 24-hour target is evaluated kpi side). */
export class WildfireFacts {
  /** Ignition → out (contained or burned out), hours, each fire. */
  readonly outHours: number[] = [];
  /** Each fire: put out by the teams' line (true) or burned out at the edge of its block (false). */
  readonly contained: boolean[] = [];
  /** Each fire: whether its first team could attack it directly. */
  readonly directFirst: boolean[] = [];
  /** Each fire's burned area, ha. */
  readonly sizesHa: number[] = [];
  /** Hectares burned on forest land and on grass or reed land. */
  burnedForestHa = 0;
  burnedGrassHa = 0;
}

export function scheduleWildfires(ctx: TrialContext, h: CompiledWildfire, facts: WildfireFacts): Settle {
  const r = ctx.rng(`wildfire:${h.id}`);
  const ignitions: number[] = [];
  if (!ctx.annual) ignitions.push(0);
  else {
    const weights = h.monthWeights ?? Array.from({ length: 12 }, () => 1);
    const count = poisson(r, h.ignitionsPerYear);
    for (let k = 0; k < count; k++) {
      const month = pickWeighted(r, weights);
      ignitions.push(MONTH_START_MINUTES[month]! + r() * monthMinutes(month));
    }
    ignitions.sort((a, b) => a - b);
  }
  // Detection and mop-up are the response's: a stream of their own, so changing them moves no fire.
  const response = ctx.rng(`wildfire-response:${h.id}`);
  const settles = ignitions.map((t) => igniteAt(ctx, h, t, r, response, facts));
  return () => settles.forEach((s) => s());
}

function igniteAt(ctx: TrialContext, h: CompiledWildfire, ignition: number, r: Rng, response: Rng, facts: WildfireFacts): Settle {
  const { m, sim, roads, teams } = ctx;
  const area =
    h.areas[
      pickWeighted(
        r,
        h.areas.map((a) => a.areaHa),
      )
    ]!;
  const zone = area.zone;
  const weather = {
    temperatureC: sample(h.weather.temperatureC, r),
    relativeHumidityPct: sample(h.weather.relativeHumidityPct, r),
    windKmh: sample(h.weather.windKmh, r),
    curingPct: sample(h.weather.curingPct, r),
    droughtFactor: sample(h.weather.droughtFactor, r),
  };
  const shape: FireShape = {
    rateMPerH: rateOfSpreadMPerH(area.fuel, weather, area.fuelLoadTPerHa),
    lb: lengthToBreadth(weather.windKmh),
    accelPerH: h.accelerationPerMin * 60,
  };
  const alarm = ignition + sample(h.detectionMinutes, response);
  ctx.trace?.({ minutes: ignition, kind: 'wildfire-ignited', entity: h.id, zone: m.zones[zone]!.id });
  const mopUpMinutes = sample(h.mopUpHours, response) * 60;
  const crews: (Crew & { readonly direct: boolean })[] = [];
  // A team attacks directly when the head intensity at its arrival allows it, else builds indirect line.
  const crewAt = (arrivalHours: number): Crew & { readonly direct: boolean } => {
    const direct = h.directAttack;
    const canDirect =
      direct !== undefined && headIntensityKwPerM(shape, area.fuelLoadTPerHa, arrivalHours - ignition / 60) <= direct.maxIntensityKwPerM;
    return { arrivalHours, lineMPerHour: canDirect ? direct.lineMPerHour : h.lineBuildMPerHour, direct: canDirect };
  };
  const eligible = h.eligible;
  const travel: TravelMinutes = roadThenLocal(roads, h.approachSpeedKmh, (i) => m.zones[i.zone]!.localTravelKm);
  // Out when the line closes around it, or when it has burned its block up to firebreaks and water.
  const blockHa = Math.min(area.maxFireHa ?? area.areaHa, area.areaHa);
  const burnsOut = ignition / 60 + hoursToBurn(shape, blockHa);
  const lineClosed = (): number => containmentTime(ignition / 60, shape, crews);
  const containedBy = (): number => Math.min(burnsOut, lineClosed());
  for (let k = 0; k < h.teamsPerFire; k++) {
    const incident: Incident = { timeMinutes: alarm, zone, workMinutes: 0, people: 0 };
    sim.at(alarm, () =>
      teams.alarm({
        incident,
        eligible,
        travel,
        onScene: () => undefined,
        // A team works until the fire is contained (as far as the teams sent so far can tell), then mops up.
        workFrom: (arrivalMinutes) => {
          crews.push(crewAt(arrivalMinutes / 60));
          const contained = containedBy() * 60;
          return Math.max(0, Math.min(contained, ignition + ctx.windowMinutes) - arrivalMinutes) + mopUpMinutes;
        },
      }),
    );
  }
  return () => {
    const contained = containedBy();
    const hours = contained - ignition / 60;
    const cap = blockHa;
    const endHours = (sim.now - ignition) / 60;
    const burned = Math.min(cap, burnedHa(shape, Math.min(hours, endHours)));
    facts.outHours.push(hours);
    facts.sizesHa.push(burned);
    facts.contained.push(lineClosed() < burnsOut);
    const first = crews.reduce<(typeof crews)[number] | undefined>(
      (a, c) => (a === undefined || c.arrivalHours < a.arrivalHours ? c : a),
      undefined,
    );
    facts.directFirst.push(first?.direct === true);
    if (area.fuel === 'forest') facts.burnedForestHa += burned;
    else facts.burnedGrassHa += burned;
    ctx.tally.burnedHa += burned;
    ctx.trace?.({
      minutes: ignition + hours * 60,
      kind: 'wildfire-contained',
      entity: h.id,
      zone: m.zones[zone]!.id,
      areaHa: burned,
      putOut: lineClosed() < burnsOut,
    });
  };
}
