/**
 * One replication: hazards → demand → response on the event kernel → the replication's outcome.
 * Every random draw comes from a stream named for what it drives (`hazard:<id>`, `demand:<id>`,
 * `incidents:<id>`, `response`), so adding a truck changes no flood and no call (common random
 * numbers across scenario variants).
 */
import { Simulation } from '../kernel/simulation.js';
import { RoadNetwork } from '../network/roads.js';
import type { CompiledModel } from '../scenario/compile.js';
import { stockVectorOf } from '../scenario/compile.js';
import type { FloodHazard, IncidentHazard } from '../scenario/schema.js';
import { exponential, sample } from '../rng/distributions.js';
import { streamRng, type Rng } from '../rng/stream.js';
import { floodFootprint } from '../hazards/flood/footprint.js';
import { floodDemand, type FloodDemand } from '../demand/flood.js';
import type { Incident } from '../demand/incident.js';
import { ReliefOperation } from './relief.js';
import { TeamDispatcher, type TravelMinutes } from './teams.js';

/** Receives each response as it happens, so a replication keeps no per-incident arrays. */
export interface ResponseSink {
  response(minutes: number, zone: number): void;
}

export interface TrialOutcome {
  readonly responses: number;
  readonly responsesWithinTarget: number;
  /** Incidents still without a team at the horizon. */
  readonly unanswered: number;
  readonly responseMinutesSum: number;
  readonly displaced: number;
  readonly stranded: number;
  readonly relievedByDeadline: number;
  /** Hours from onset until every displaced person was relieved; Infinity if not within the horizon. */
  readonly allRelievedHours: number;
  readonly lossCny: number;
  readonly lossRatio: number;
  /** Units of each item short of total need (stock + mutual aid within the horizon), by item. */
  readonly shortfall: readonly number[];
  readonly vehicleUtilisation: number;
  readonly teamUtilisation: number;
  readonly zoneDisplaced: Float64Array;
  /** Displaced people arriving at each zone's shelters. */
  readonly zoneShelterPeople: Float64Array;
  readonly zoneRelievedByDeadline: Float64Array;
  readonly zoneLossCny: Float64Array;
  readonly returnPeriodYears: number;
  readonly severity: number;
}

export function runTrial(m: CompiledModel, seed: number, replication: number, sink: ResponseSink): TrialOutcome {
  const s = m.scenario;
  const nz = m.zones.length;
  const sim = new Simulation();
  const roads = new RoadNetwork(nz, m.links);
  const rng = (name: string): Rng => streamRng(seed, replication, name);
  const responseRng = rng('response');
  const horizon = s.response.horizonHours * 60;
  const deadline = s.targets.reliefDeadlineHours * 60;
  const threshold = s.targets.responseTimeMinutes;

  const teams = new TeamDispatcher(sim, (a, b) => roads.minutes(a, b, Infinity));
  let responses = 0;
  let within = 0;
  let responseSum = 0;
  const onScene = (minutes: number, incident: Incident): void => {
    responses++;
    responseSum += minutes;
    if (minutes <= threshold) within++;
    sink.response(minutes, incident.zone);
  };
  for (const st of m.stations) for (const t of st.teams) for (let k = 0; k < t.count; k++) teams.add(t.type, st.zone, t.turnoutMinutes);

  const zoneLossCny = new Float64Array(nz);
  const people = new Float64Array(nz);
  const zoneDisplaced = new Float64Array(nz);
  let stranded = 0;
  let returnPeriodYears = 0;
  let severity = 0;
  const closures: FloodDemand['closures'][number][] = [];

  for (const h of s.hazards) {
    if (h.type === 'flood') {
      const fp = floodFootprint(m, h, rng(`hazard:${h.id}`));
      returnPeriodYears = Math.max(returnPeriodYears, fp.returnPeriodYears);
      severity = Math.max(severity, fp.severity);
      const d = floodDemand(m, h, fp, rng(`demand:${h.id}`));
      for (let z = 0; z < nz; z++) {
        zoneLossCny[z] = zoneLossCny[z]! + d.lossCny[z]!;
        zoneDisplaced[z] = zoneDisplaced[z]! + d.displaced[z]!;
        people[d.shelterZone[z]!] = people[d.shelterZone[z]!]! + d.displaced[z]!;
        stranded += d.stranded[z]!;
      }
      closures.push(...d.closures);
      scheduleRescue(h, d.calls);
    } else {
      scheduleIncidents(h, rng(`incidents:${h.id}`));
    }
  }

  // Flooded links are closed from onset; each reopens after its clearing time.
  for (const c of closures) roads.setOpen(c.link, false, c.wetShare);
  const relief = new ReliefOperation(sim, m, roads, people, deadline);
  for (const c of closures) {
    sim.at(c.reopenMinutes, () => {
      roads.setOpen(c.link, true);
      relief.roadsChanged();
    });
  }
  relief.start(sample(s.response.activationMinutes, responseRng));
  const available = m.warehouses.length > 0 ? m.items.map((_, i) => m.warehouses.reduce((a, w) => a + w.stock[i]!, 0)) : m.items.map(() => 0);
  for (const aid of s.resources.mutualAid) {
    const arrives = sample(aid.arrivesAfterHours, responseRng) * 60;
    const w = m.warehouses.findIndex((x) => x.id === aid.warehouse);
    const units = stockVectorOf(m, aid.stock);
    if (arrives <= horizon) units.forEach((u, i) => (available[i] = available[i]! + u));
    sim.at(arrives, () => {
      relief.addStock(w, units);
      if (aid.vehicles) relief.addVehicles(w, aid.vehicles);
      for (const t of aid.teams ?? []) for (let k = 0; k < t.count; k++) teams.add(t.type, m.warehouses[w]!.zone, t.turnoutMinutes);
    });
  }

  sim.run(horizon);

  const lossCny = zoneLossCny.reduce((a, b) => a + b, 0);
  const displaced = relief.displacedTotal;
  const veh = relief.utilisation();
  const teamBusy = teams.teams.reduce((a, t) => a + t.busyMinutes, 0);
  return {
    responses,
    responsesWithinTarget: within,
    unanswered: teams.waiting,
    responseMinutesSum: responseSum,
    displaced,
    stranded,
    relievedByDeadline: relief.relievedByDeadline,
    allRelievedHours: relief.allRelievedAt / 60,
    lossCny,
    lossRatio: lossCny / s.district.gdpCnyPerYear,
    shortfall: m.items.map((_, i) => Math.max(0, relief.totalNeed(i) - available[i]!)),
    vehicleUtilisation: veh.vehicles > 0 ? Math.min(1, veh.busyMinutes / (veh.vehicles * horizon)) : 0,
    teamUtilisation: teams.teams.length > 0 ? Math.min(1, teamBusy / (teams.teams.length * horizon)) : 0,
    zoneDisplaced,
    zoneShelterPeople: people,
    zoneRelievedByDeadline: relief.relievedByDeadlineByZone,
    zoneLossCny,
    returnPeriodYears,
    severity,
  };

  function scheduleRescue(h: FloodHazard, calls: readonly Incident[]): void {
    const eligible = new Set(h.rescue.teamTypes);
    const n = m.zones.length;
    const water = h.rescue.waterSpeedKmh;
    // Boats travel on trailers over open roads and through flooded links at water speed; with
    // no link at all, straight across. The last leg to the stranded group is by water.
    const travel: TravelMinutes = (from, incident) => {
      const z = incident.zone;
      const net = roads.minutes(from, z, Infinity, water);
      const approach = Number.isFinite(net) ? net : (m.crowKm[from * n + z]! / water) * 60;
      return approach + (m.zones[z]!.localTravelKm / water) * 60;
    };
    for (const incident of calls) {
      sim.at(incident.timeMinutes, () => teams.alarm({ incident, eligible, travel, onScene }));
    }
  }

  function scheduleIncidents(h: IncidentHazard, r: Rng): void {
    const eligible = new Set(h.teamTypes);
    const zones = h.zones.map((z) => m.zoneIndex.get(z.zone)!);
    const cumulative: number[] = [];
    h.zones.reduce((a, z) => (cumulative.push(a + z.weight), a + z.weight), 0);
    const totalWeight = cumulative[cumulative.length - 1]!;
    const localSpeed = h.localSpeedKmh;
    const travel: TravelMinutes = (from, incident) =>
      roads.minutes(from, incident.zone, Infinity) + (m.zones[incident.zone]!.localTravelKm / localSpeed) * 60;
    const warmup = h.warmupHours * 60;
    const end = h.durationHours * 60;
    const counted = (minutes: number, incident: Incident): void => {
      if (incident.timeMinutes >= warmup) onScene(minutes, incident);
    };
    const arrive = (): void => {
      const u = r() * totalWeight;
      let k = 0;
      while (cumulative[k]! <= u && k < cumulative.length - 1) k++;
      const incident: Incident = { timeMinutes: sim.now, zone: zones[k]!, workMinutes: sample(h.workMinutes, r), people: 1 };
      teams.alarm({ incident, eligible, travel, onScene: counted });
      const gap = exponential(r, 60 / h.ratePerHour);
      if (sim.now + gap < end) sim.schedule(gap, arrive);
    };
    const first = exponential(r, 60 / h.ratePerHour);
    if (first < end) sim.at(first, arrive);
  }
}
