/**
 * A generic Poisson stream of incidents (the M/M/c validation case runs through it): arrivals
 * at a constant rate, each needing one team for a drawn work time.
 */

import type { Incident } from '../../demand/incident.js';
import { exponential, sampler } from '../../rng/distributions.js';
import type { IncidentHazard } from '../../scenario/schema.js';
import { roadThenLocal, type TrialContext } from '../context.js';
import type { TravelMinutes } from '../teams.js';

export function scheduleIncidents(ctx: TrialContext, h: IncidentHazard): void {
  const { m, sim, roads, teams, tally } = ctx;
  const r = ctx.rng(`incidents:${h.id}`);
  const eligible = new Set(h.teamTypes);
  const zones = h.zones.map((z) => m.zoneIndex.get(z.zone)!);
  const cumulative: number[] = [];
  let sum = 0;
  for (const z of h.zones) {
    sum += z.weight;
    cumulative.push(sum);
  }
  const totalWeight = cumulative[cumulative.length - 1]!;
  const travel: TravelMinutes = roadThenLocal(roads, h.localSpeedKmh, (i) => m.zones[i.zone]!.localTravelKm);
  const warmup = h.warmupHours * 60;
  const end = h.durationHours * 60;
  const threshold = m.scenario.targets.responseTimeMinutes;
  const onScene = (minutes: number, incident: Incident): void => {
    if (incident.timeMinutes < warmup) return;
    tally.responses++;
    tally.responseMinutesSum += minutes;
    if (minutes <= threshold) tally.responsesWithinTarget++;
    ctx.sink.response(minutes, incident.zone);
  };
  const work = sampler(h.workMinutes);
  const single = zones.length === 1;
  const limit = h.maxIncidents ?? Infinity;
  let arrived = 0;
  const arrive = (): void => {
    arrived++;
    let k = 0;
    if (!single) {
      const u = r() * totalWeight;
      while (cumulative[k]! <= u && k < cumulative.length - 1) k++;
    }
    const incident: Incident = { timeMinutes: sim.now, zone: zones[k]!, workMinutes: work(r), people: 1 };
    teams.alarm({ incident, eligible, travel, onScene });
    const gap = exponential(r, 60 / h.ratePerHour);
    if (sim.now + gap < end && arrived < limit) sim.schedule(gap, arrive);
  };
  const first = exponential(r, 60 / h.ratePerHour);
  if (first < end) sim.at(first, arrive);
}
