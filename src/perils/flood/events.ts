/**
 * A flood in the simulation: footprint and demand at onset, roads closed and reopened, rescue
 * calls dispatched to boat teams, displaced people handed to the relief operation.
 */

import { floodFootprint } from '../../physics/flood/footprint.js';
import { MONTH_START_MINUTES, type TrialContext, YEAR_MINUTES } from '../../response/context.js';
import type { Incident } from '../../response/incident.js';
import type { TravelMinutes } from '../../response/teams.js';
import { sample } from '../../rng/distributions.js';
import type { CompiledFlood } from '../../scenario/hazards/flood.js';
import { floodDemand } from './demand.js';

/** Onset: time 0 in event mode; in annual mode uniform over the flood season. */
function onsetOf(ctx: TrialContext, h: CompiledFlood): number {
  if (!ctx.annual) return 0;
  const [fromMonth, toMonth] = ctx.m.floodSeasonMonths;
  const r = ctx.rng(`onset:${h.id}`);
  const start = MONTH_START_MINUTES[fromMonth - 1]!;
  const end = toMonth >= fromMonth ? (MONTH_START_MINUTES[toMonth] ?? YEAR_MINUTES) : YEAR_MINUTES;
  return start + r() * (end - start);
}

export function scheduleFlood(ctx: TrialContext, h: CompiledFlood): void {
  const { m, sim, roads, relief, tally, teams } = ctx;
  const onsetMinutes = onsetOf(ctx, h);
  const n = m.zones.length;
  const fp = floodFootprint(m, h, ctx.rng(`hazard:${h.id}`), ctx.annual);
  const d = floodDemand(m, h, fp, {
    demand: ctx.rng(`demand:${h.id}`),
    rescueWork: ctx.rng(`rescue-work:${h.id}`),
    reopen: ctx.rng(`reopen:${h.id}`),
  });
  tally.maxReturnPeriodYears = Math.max(tally.maxReturnPeriodYears, fp.returnPeriodYears);
  tally.maxSeverity = Math.max(tally.maxSeverity, fp.severity);
  if (fp.extrapolated) tally.extrapolated = true;
  tally.disasterDeaths += d.deaths;
  tally.deaths += d.deaths;
  tally.affected += d.affected;
  const people = new Float64Array(n);
  for (let z = 0; z < n; z++) {
    tally.addLoss(z, d.lossCny[z]!);
    tally.zoneDisplaced[z] = tally.zoneDisplaced[z]! + d.displaced[z]!;
    people[d.shelterZone[z]!] = people[d.shelterZone[z]!]! + d.displaced[z]!;
    tally.stranded += d.stranded[z]!;
  }
  tally.eventLoss(d.lossCny.reduce((a, x) => a + x, 0));
  const significant = d.displaced.some((x) => x > 0) || d.closures.length > 0;
  sim.at(onsetMinutes, () => {
    if (significant && ctx.trace) {
      const displaced = d.displaced.reduce((a, x) => a + x, 0);
      ctx.trace({
        minutes: sim.now,
        kind: 'flood',
        entity: h.id,
        people: Math.round(displaced),
        returnPeriodYears: fp.returnPeriodYears,
        warningLeadHours: fp.warningLeadHours,
        lossCny: Math.round(d.lossCny.reduce((a, x) => a + x, 0)),
      });
    }
    for (const c of d.closures) {
      roads.close(c.link, c.wetShare);
      ctx.trace?.({ minutes: sim.now, kind: 'road-closed', entity: linkId(ctx, c.link) });
    }
    if (d.closures.length > 0) relief.roadsChanged();
    if (significant && ctx.annual) ctx.onDisaster(sim.now);
  });
  for (const c of d.closures) {
    sim.at(onsetMinutes + c.reopenMinutes, () => {
      roads.release(c.link);
      ctx.trace?.({ minutes: sim.now, kind: 'road-reopened', entity: linkId(ctx, c.link) });
      relief.roadsChanged();
    });
  }
  if (d.displaced.some((x) => x > 0)) {
    const start = onsetMinutes + sample(m.activationMinutes, ctx.rng(`response:${h.id}`));
    tally.floods.push(relief.addEvent(onsetMinutes, start, people));
  }

  const eligible = h.eligible;
  const water = h.rescue.waterSpeedKmh;
  // Boats travel on trailers over open roads and through flooded links at water speed; with
  // no link at all, straight across. The last leg to the stranded group is by water.
  const travel: TravelMinutes = (from, incident) => {
    const z = incident.zone;
    const net = roads.minutes(from, z, Infinity, water);
    const approach = Number.isFinite(net) ? net : (m.crowKm[from * n + z]! / water) * 60;
    return approach + (m.zones[z]!.localTravelKm / water) * 60;
  };
  const onScene = (minutes: number, incident: Incident): void => {
    tally.responses++;
    tally.responseMinutesSum += minutes;
    ctx.sink.response(minutes, incident.zone);
  };
  tally.calls += d.calls.length; // those after the horizon too: they count as censored, not as absent
  for (const call of d.calls) {
    const incident: Incident = { ...call, timeMinutes: onsetMinutes + call.timeMinutes };
    sim.at(incident.timeMinutes, () => teams.alarm({ incident, eligible, travel, onScene }));
  }
}

/** A road link's trace id: its end zones. */
function linkId(ctx: TrialContext, link: number): string {
  const l = ctx.m.links[link]!;
  return `${ctx.m.zones[l.from]!.id}-${ctx.m.zones[l.to]!.id}`;
}
