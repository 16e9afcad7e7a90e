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
  const fuel: BlockFires[][] = h.areas.map((a) => blocksOf(a).map(() => []));
  const settles = ignitions.map((t) => igniteAt(ctx, h, t, r, response, facts, fuel));
  return () => settles.forEach((s) => s());
}

/**
 * Fuel burns once a year (issue 26): an area is cut into blocks of its largest fire (firebreaks,
 * channels, water); a fire burns at most its block's unburned part, an ignition on ground already
 * burned this year (a share of the block equal to the burned share) finds no fuel, and one inside
 * a block still burning joins that fire. So a year's burned area cannot exceed the land.
 */
interface BlockFire {
  readonly ignitionHours: number;
  readonly shape: FireShape;
  readonly capHa: number;
  /** When it is out, as far as the teams that have arrived can tell (final once it is past). */
  readonly outHours: () => number;
}
type BlockFires = BlockFire[];

/** Block sizes, ha: the area cut into blocks of its largest fire, the last one the remainder. */
export function blocksOf(area: { readonly areaHa: number; readonly maxFireHa?: number }): number[] {
  const block = Math.min(area.maxFireHa ?? area.areaHa, area.areaHa);
  const n = Math.ceil(area.areaHa / block - 1e-9);
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? block : area.areaHa - block * (n - 1)));
}

/** Hectares a fire has burned by `hours` (absolute): its ellipse until it is out, within its cap. */
const burnedBy = (f: BlockFire, hours: number): number =>
  Math.min(f.capHa, burnedHa(f.shape, Math.min(hours, f.outHours()) - f.ignitionHours));

function igniteAt(
  ctx: TrialContext,
  h: CompiledWildfire,
  ignition: number,
  r: Rng,
  response: Rng,
  facts: WildfireFacts,
  fuel: BlockFires[][],
): Settle {
  const { m, sim, roads, teams } = ctx;
  const areaIndex = pickWeighted(
    r,
    h.areas.map((a) => a.areaHa),
  );
  const area = h.areas[areaIndex]!;
  const sizes = blocksOf(area);
  const blockIndex = pickWeighted(r, sizes);
  const onBurnedGround = r();
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
  // Out when the line closes around it, or when it has burned what is left of its block up to
  // firebreaks and water. What is left is read at the ignition's time: the block's earlier fires
  // are out by then (or this one joins them), and no team arriving later changes an out fire.
  const blockFires = fuel[areaIndex]![blockIndex]!;
  const hours0 = ignition / 60;
  let blockHa = 0;
  let burnsOut = Infinity;
  let lit = false;
  const lineClosed = (): number => containmentTime(hours0, shape, crews);
  const containedBy = (): number => Math.min(burnsOut, lineClosed());
  sim.at(ignition, () => {
    const burning = blockFires.some((f) => f.outHours() > hours0);
    const burnedBefore = blockFires.reduce((a, f) => a + burnedBy(f, hours0), 0);
    blockHa = Math.max(0, sizes[blockIndex]! - burnedBefore);
    if (burning || onBurnedGround * sizes[blockIndex]! < burnedBefore || !(blockHa > 0)) {
      ctx.trace?.({ minutes: ignition, kind: 'wildfire-no-fuel', entity: h.id, zone: m.zones[zone]!.id });
      return;
    }
    lit = true;
    burnsOut = hours0 + hoursToBurn(shape, blockHa);
    blockFires.push({ ignitionHours: hours0, shape, capHa: blockHa, outHours: containedBy });
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
  });
  return () => {
    if (!lit) return;
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
