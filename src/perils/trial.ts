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
import { type ResponseSink, type TrialContext, TrialTally, YEAR_MINUTES } from '../response/context.js';
import { ReliefOperation } from '../response/relief.js';
import { TeamDispatcher } from '../response/teams.js';
import type { Trace } from '../response/trace.js';
import { sample } from '../rng/distributions.js';
import { type Rng, streamRng } from '../rng/stream.js';
import type { CompiledModel } from '../scenario/compile.js';
import type { Settle } from './peril.js';
import { perilOf, slicedPerilsOf } from './registry.js';

export type { ResponseSink } from '../response/context.js';

/** What one replication recorded: facts only; the KPI accumulator evaluates targets from them. */
export interface TrialOutcome {
  /** The replication's index in its run. */
  readonly replication: number;
  readonly tally: TrialTally;
  /** Incidents still without a team at the end. */
  readonly unanswered: number;
  readonly displaced: number;
  /** Hours from onset until every displaced person was relieved (worst flood); Infinity if never. */
  readonly allRelievedHours: number;
  readonly lossRatio: number;
  /** The largest single event's direct loss / GDP (the occurrence exceedance curve's variable). */
  readonly maxEventLossRatio: number;
  readonly deathsPerMillion: number;
  /** Every death of the replication (disasters, fires, chemical releases). */
  readonly deaths: number;
  readonly affectedPer100k: number;
  /** Units of each item short of the need over its days (stock + mutual aid within the horizon), by item. */
  readonly shortfall: readonly number[];
  /** The day (1, 2, …) on which each item's stock no longer covers the displaced; null where it lasts its days. */
  readonly runsOutDay: readonly (number | null)[];
  readonly vehicleUtilisation: number;
  readonly teamUtilisation: number;
  readonly zoneShelterPeople: Float64Array;
  /** Each sliced peril's facts record (registry.ts slicedPerilsOf order). */
  readonly perilFacts: readonly unknown[];
  /** Events the kernel executed (for throughput benchmarks). */
  readonly events: number;
}

export function runTrial(m: CompiledModel, seed: number, replication: number, sink: ResponseSink, trace?: Trace): TrialOutcome {
  const nz = m.zones.length;
  const annual = m.mode === 'annual';
  const sim = new Simulation();
  const roads = new RoadNetwork(nz, m.links);
  const rng = (name: string): Rng => streamRng(seed, replication, name);
  const tailMinutes = m.horizonHours * 60;
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
  const aidDelays = m.mutualAid.map((aid) => sample(aid.arrivesAfterHours, aidRng) * 60);
  let aidSent = false;
  const onDisaster = (at: number): void => {
    m.mutualAid.forEach((aid, k) => {
      const w = aid.warehouse;
      const arrives = at + aidDelays[k]!;
      if (arrives <= endMinutes) aid.stock.forEach((u, i) => (available[i] = available[i]! + u));
      const first = !aidSent;
      sim.at(arrives, () => {
        trace?.({ minutes: sim.now, kind: 'mutual-aid-arrived', entity: aid.id, zone: m.zones[m.warehouses[w]!.zone]!.id });
        relief.addStock(w, aid.stock);
        if (!first) return;
        if (aid.vehicles) relief.addVehicles(w, aid.vehicles, aid.vehicleIds);
        for (const t of aid.teams) t.unitIds.forEach((id) => teams.add(t.type, m.warehouses[w]!.zone, t.turnoutMinutes, id));
      });
    });
    aidSent = true;
    if (annual) {
      sim.at(at + m.restockDays * 1440, () => relief.restock().forEach((u, i) => (available[i] = available[i]! + u)));
    }
  };
  const ctx: TrialContext = { m, sim, roads, teams, relief, tally, sink, windowMinutes, annual, rng, onDisaster, ...(trace && { trace }) };

  const sliced = slicedPerilsOf(m);
  const perilFacts = sliced.map((p) => p.kpis!.facts(m));
  const settles: Settle[] = [];
  let callsAid = false;
  for (const h of m.hazards) {
    const peril = perilOf(h.type);
    const k = sliced.indexOf(peril);
    const settle = peril.schedule(ctx, h.spec, k < 0 ? undefined : perilFacts[k]);
    if (settle) settles.push(settle);
    if (peril.callsMutualAid) callsAid = true;
  }
  // Event mode: mutual aid is sent at onset (in annual mode each significant flood sends for it).
  if (!annual && callsAid) onDisaster(0);

  sim.run(endMinutes);
  for (const settle of settles) settle();

  let displaced = 0;
  let allRelievedHours = 0;
  const zoneShelterPeople = new Float64Array(nz);
  for (const e of tally.floods) {
    displaced += e.displaced;
    // Past the horizon relief is censored (in whole years the stock refilled after 30 days would relieve them at 720 h)
    const hours = (e.allRelievedAt - e.onsetMinutes) / 60;
    allRelievedHours = Math.max(allRelievedHours, hours > m.horizonHours ? Infinity : hours);
    for (let z = 0; z < nz; z++) zoneShelterPeople[z] = zoneShelterPeople[z]! + e.peopleByZone[z]!;
  }
  const veh = relief.utilisation();
  const teamBusy = teams.teams.reduce((a, x) => a + x.busyMinutes, 0);
  const population = m.population;
  return {
    replication,
    tally,
    unanswered: teams.waiting,
    displaced,
    allRelievedHours,
    lossRatio: tally.lossCny / m.gdpCnyPerYear,
    maxEventLossRatio: tally.maxEventLossCny / m.gdpCnyPerYear,
    deathsPerMillion: population > 0 ? (tally.disasterDeaths / population) * 1e6 : 0,
    deaths: tally.deaths,
    affectedPer100k: population > 0 ? (tally.affected / population) * 1e5 : 0,
    shortfall: m.items.map((_, i) => Math.max(0, relief.totalNeed(i) * m.days[i]! - available[i]!)),
    runsOutDay: m.items.map((_, i) => {
      const daily = relief.totalNeed(i);
      return daily > 0 && available[i]! < daily * m.days[i]! ? Math.floor(available[i]! / daily) + 1 : null;
    }),
    vehicleUtilisation: veh.vehicles > 0 ? Math.min(1, veh.busyMinutes / (veh.vehicles * endMinutes)) : 0,
    teamUtilisation: teams.teams.length > 0 ? Math.min(1, teamBusy / (teams.teams.length * endMinutes)) : 0,
    zoneShelterPeople,
    perilFacts,
    events: sim.events,
  };
}
