/**
 * One replication: hazards → demand → response on the event kernel → the replication's outcome.
 *
 * In event mode each hazard occurs once at time 0 (fires and incidents stream over the horizon);
 * in annual mode a replication is a year: floods by their annual maximum (onset in the flood
 * season), fires, wildfires and releases by their rates, all sharing one set of teams, one relief
 * operation (warehouses, trucks) and one road network.
 *
 * Every random draw comes from a stream named for what it drives (`hazard:<id>`, `demand:<id>`,
 * `fire:<id>`, …), so adding a truck changes no flood and no call (common random numbers).
 */
import { Simulation } from '../kernel/simulation.js';
import { RoadNetwork } from '../network/roads.js';
import { sample } from '../rng/distributions.js';
import { type Rng, streamRng } from '../rng/stream.js';
import type { CompiledModel } from '../scenario/compile.js';
import { stockVectorOf, unitIds } from '../scenario/compile.js';
import { MONTH_START_MINUTES, type ResponseSink, type TrialContext, TrialTally, YEAR_MINUTES } from './context.js';
import { scheduleChemical } from './events/chemical.js';
import { scheduleFlood } from './events/flood.js';
import { scheduleIncidents } from './events/incidents.js';
import { scheduleUrbanFires } from './events/urban-fire.js';
import { type Settle, scheduleWildfires } from './events/wildfire.js';
import { type ReliefEvent, ReliefOperation } from './relief.js';
import { TeamDispatcher } from './teams.js';
import type { Trace } from './trace.js';

export type { ResponseSink } from './context.js';

export interface TrialOutcome {
  /** The replication's index in its run. */
  readonly replication: number;
  readonly tally: TrialTally;
  /** Incidents still without a team at the end. */
  readonly unanswered: number;
  readonly displaced: number;
  readonly relievedByDeadline: number;
  /** Every flood of the replication met the relief target. */
  readonly reliefTargetMet: boolean;
  /** Hours from onset until every displaced person was relieved (worst flood); Infinity if never. */
  readonly allRelievedHours: number;
  readonly lossRatio: number;
  readonly deathsPerMillion: number;
  readonly affectedPer100k: number;
  /** Units of each item short of total need (stock + mutual aid within the horizon), by item. */
  readonly shortfall: readonly number[];
  readonly vehicleUtilisation: number;
  readonly teamUtilisation: number;
  readonly zoneShelterPeople: Float64Array;
  readonly zoneRelievedByDeadline: Float64Array;
  /**
   * Share of the displaced people (all floods) relieved within h hours of their flood's onset,
   * for h = 0 … horizonHours; 1 where nobody is displaced (as the share within the deadline).
   */
  readonly reliefCurve: Float64Array;
  /** Events the kernel executed (for throughput benchmarks). */
  readonly events: number;
}

export function runTrial(m: CompiledModel, seed: number, replication: number, sink: ResponseSink, trace?: Trace): TrialOutcome {
  const s = m.scenario;
  const nz = m.zones.length;
  const annual = s.mode === 'annual';
  const sim = new Simulation();
  const roads = new RoadNetwork(nz, m.links);
  const rng = (name: string): Rng => streamRng(seed, replication, name);
  const tailMinutes = s.response.horizonHours * 60;
  const windowMinutes = annual ? YEAR_MINUTES : tailMinutes;
  const endMinutes = annual ? YEAR_MINUTES + tailMinutes : tailMinutes;
  const teams = new TeamDispatcher(sim, (a, b) => roads.minutes(a, b, Infinity), trace, m.zoneIds);
  for (const st of m.stations)
    st.teams.forEach((t, j) => {
      for (let k = 0; k < t.count; k++) teams.add(t.type, st.zone, t.turnoutMinutes, st.unitIds[j]![k]!);
    });
  const relief = new ReliefOperation(sim, m, roads, trace);
  const tally = new TrialTally(nz);

  // Mutual aid answers floods: stock with every flood, vehicles and teams once (they then stay).
  const available = m.items.map((_, i) => m.warehouses.reduce((a, w) => a + w.stock[i]!, 0));
  const aidRng = rng('mutual-aid');
  const aidDelays = s.resources.mutualAid.map((aid) => sample(aid.arrivesAfterHours, aidRng) * 60);
  let aidSent = false;
  const onDisaster = (at: number): void => {
    s.resources.mutualAid.forEach((aid, k) => {
      const w = m.warehouses.findIndex((x) => x.id === aid.warehouse);
      const units = stockVectorOf(m, aid.stock);
      const arrives = at + aidDelays[k]!;
      if (arrives <= endMinutes) units.forEach((u, i) => (available[i] = available[i]! + u));
      const first = !aidSent;
      sim.at(arrives, () => {
        trace?.({ minutes: sim.now, kind: 'mutual-aid-arrived', entity: aid.id, zone: m.zones[m.warehouses[w]!.zone]!.id });
        relief.addStock(w, units);
        if (!first) return;
        if (aid.vehicles) relief.addVehicles(w, aid.vehicles, unitIds(aid.id, aid.vehicles.count));
        for (const t of aid.teams ?? [])
          unitIds(`${aid.id}/${t.type}`, t.count).forEach((id) => teams.add(t.type, m.warehouses[w]!.zone, t.turnoutMinutes, id));
      });
    });
    aidSent = true;
    if (annual) {
      sim.at(at + s.annual.restockDays * 1440, () => relief.restock().forEach((u, i) => (available[i] = available[i]! + u)));
    }
  };
  const ctx: TrialContext = { m, sim, roads, teams, relief, tally, sink, windowMinutes, annual, rng, onDisaster, ...(trace && { trace }) };

  const settles: Settle[] = [];
  const [fromMonth, toMonth] = s.annual.floodSeasonMonths;
  for (const h of s.hazards) {
    switch (h.type) {
      case 'flood': {
        let onset = 0;
        if (annual) {
          const r = rng(`onset:${h.id}`);
          const start = MONTH_START_MINUTES[fromMonth - 1]!;
          const end = toMonth >= fromMonth ? (MONTH_START_MINUTES[toMonth] ?? YEAR_MINUTES) : YEAR_MINUTES;
          onset = start + r() * (end - start);
        }
        scheduleFlood(ctx, h, onset);
        break;
      }
      case 'incidents':
        scheduleIncidents(ctx, h);
        break;
      case 'urban-fire':
        scheduleUrbanFires(ctx, h);
        break;
      case 'wildfire':
        settles.push(scheduleWildfires(ctx, h));
        break;
      case 'chemical':
        scheduleChemical(ctx, h);
        break;
    }
  }
  // Event mode: mutual aid is sent at onset (in annual mode each significant flood sends for it).
  if (!annual && s.hazards.some((h) => h.type === 'flood')) onDisaster(0);

  sim.run(endMinutes);
  for (const settle of settles) settle();

  const t = s.targets;
  const population = m.zones.reduce((a, z) => a + z.population, 0);
  let displaced = 0;
  let relieved = 0;
  let allRelievedHours = 0;
  let reliefTargetMet = true;
  const zoneShelterPeople = new Float64Array(nz);
  const zoneRelievedByDeadline = new Float64Array(nz);
  for (const e of tally.floods) {
    displaced += e.displaced;
    relieved += e.relievedByDeadline;
    allRelievedHours = Math.max(allRelievedHours, (e.allRelievedAt - e.onsetMinutes) / 60);
    if (e.relievedByDeadline < t.reliefShare * e.displaced - 1e-9) reliefTargetMet = false;
    for (let z = 0; z < nz; z++) {
      zoneShelterPeople[z] = zoneShelterPeople[z]! + e.peopleByZone[z]!;
      zoneRelievedByDeadline[z] = zoneRelievedByDeadline[z]! + e.relievedByDeadlineByZone[z]!;
    }
  }
  const reliefCurve = reliefCurveOf(tally.floods, s.response.horizonHours, displaced);
  const veh = relief.utilisation();
  const teamBusy = teams.teams.reduce((a, x) => a + x.busyMinutes, 0);
  return {
    replication,
    tally,
    unanswered: teams.waiting,
    displaced,
    relievedByDeadline: relieved,
    reliefTargetMet,
    allRelievedHours,
    lossRatio: tally.lossCny / s.district.gdpCnyPerYear,
    deathsPerMillion: population > 0 ? (tally.disasterDeaths / population) * 1e6 : 0,
    affectedPer100k: population > 0 ? (tally.affected / population) * 1e5 : 0,
    shortfall: m.items.map((_, i) => Math.max(0, relief.totalNeed(i) - available[i]!)),
    vehicleUtilisation: veh.vehicles > 0 ? Math.min(1, veh.busyMinutes / (veh.vehicles * endMinutes)) : 0,
    teamUtilisation: teams.teams.length > 0 ? Math.min(1, teamBusy / (teams.teams.length * endMinutes)) : 0,
    zoneShelterPeople,
    zoneRelievedByDeadline,
    reliefCurve,
    events: sim.events,
  };
}

/** Share relieved within 0 … hours hours of onset, from the floods' relief timelines. */
function reliefCurveOf(floods: readonly ReliefEvent[], hours: number, displaced: number): Float64Array {
  const curve = new Float64Array(hours + 1);
  if (!(displaced > 0)) return curve.fill(1);
  // One pass over each flood's timeline, with the same comparison and order of summation as the
  // deadline tally (relief.ts), so the curve at an integer deadline equals the share relieved
  // within it, to the last bit.
  const next = new Int32Array(floods.length);
  const byFlood = new Float64Array(floods.length);
  for (let h = 0; h <= hours; h++) {
    let relieved = 0;
    floods.forEach((e, f) => {
      const until = e.onsetMinutes + h * 60 + 1e-9;
      let k = next[f]!;
      for (; k < e.reliefMinutes.length && e.reliefMinutes[k]! <= until; k++) byFlood[f] = byFlood[f]! + e.reliefPeople[k]!;
      next[f] = k;
      relieved += byFlood[f]!;
    });
    curve[h] = relieved / displaced;
  }
  return curve;
}
