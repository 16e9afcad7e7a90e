/**
 * A generic Poisson stream of incidents (the M/M/c validation case runs through it): arrivals
 * at a constant rate, each needing one team for a drawn work time.
 */

import { roadThenLocal, type TrialContext } from '../../response/context.js';
import type { Incident } from '../../response/incident.js';
import type { TravelMinutes } from '../../response/teams.js';
import { exponential, sampler } from '../../rng/distributions.js';
import type { CompiledIncidents } from '../../scenario/hazards/incidents.js';

export function scheduleIncidents(ctx: TrialContext, h: CompiledIncidents): undefined {
  const { m, sim, roads, teams, tally } = ctx;
  const r = ctx.rng(`incidents:${h.id}`);
  const eligible = h.eligible;
  const zones = h.zones;
  const cumulative = h.cumulativeWeights;
  const totalWeight = cumulative[cumulative.length - 1]!;
  const travel: TravelMinutes = roadThenLocal(roads, h.localSpeedKmh, (i) => m.zones[i.zone]!.localTravelKm);
  const warmup = h.warmupHours * 60;
  const end = h.durationHours * 60;
  const onScene = (minutes: number, incident: Incident): void => {
    if (incident.timeMinutes < warmup) return;
    tally.responses++;
    tally.responseMinutesSum += minutes;
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
    if (sim.now >= warmup) tally.calls++;
    teams.alarm({ incident, eligible, travel, onScene });
    const gap = exponential(r, 60 / h.ratePerHour);
    if (sim.now + gap < end && arrived < limit) sim.schedule(gap, arrive);
  };
  const first = exponential(r, 60 / h.ratePerHour);
  if (first < end) sim.at(first, arrive);
  return undefined;
}
