/**
 * What every hazard's events share within one replication: the clock, the roads, the teams, the
 * relief operation, the random streams and the running tallies.
 */

import type { Simulation } from '../kernel/simulation.js';
import type { RoadNetwork } from '../network/roads.js';
import type { Rng } from '../rng/stream.js';
import type { CompiledModel } from '../scenario/compile.js';
import type { Incident } from './incident.js';
import type { ReliefOperation } from './relief.js';
import type { ReliefEvent } from './relief-event.js';
import type { TeamDispatcher } from './teams.js';
import type { Trace } from './trace.js';

/** Minutes in the simulated (365-day) year. */
export const YEAR_MINUTES = 365 * 24 * 60;

/**
 * Receives rescue and incident response times as they happen (an M/M/c check runs millions of
 * calls through one replication, so they are streamed, not kept). It records facts; targets are
 * evaluated by the KPI accumulator (kpi/targets.ts).
 */
export interface ResponseSink {
  /** Alarm → first team for a rescue call or generic incident. */
  response(minutes: number, zone: number): void;
}

/**
 * Running totals of one replication that every hazard shares: the rescue responses, losses,
 * deaths and the floods' relief. A hazard's own facts go in its facts record (perils/peril.ts).
 */
export class TrialTally {
  /** Rescue calls and incidents raised in the replication (answered or not, within the horizon or after it). */
  calls = 0;
  responses = 0;
  responseMinutesSum = 0;
  lossCny = 0;
  /** Natural-disaster deaths (floods, wildfires). */
  disasterDeaths = 0;
  /** Every death of the replication: disasters, fires, chemical releases (the severity of a drill's replication). */
  deaths = 0;
  /** Affected person-times (people in flooded areas, people exposed above AEGL-1). */
  affected = 0;
  stranded = 0;
  /** Hectares burned by wildfires (forest, grass and reed): the severity of a wildfire drill's replication. */
  burnedHa = 0;
  floods: ReliefEvent[] = [];
  maxReturnPeriodYears = 0;
  maxSeverity = 0;
  /** Some flood's depths were extrapolated beyond a zone's largest tabulated return period. */
  extrapolated = false;
  readonly zoneLossCny: Float64Array;
  readonly zoneDisplaced: Float64Array;

  constructor(zones: number) {
    this.zoneLossCny = new Float64Array(zones);
    this.zoneDisplaced = new Float64Array(zones);
  }

  /** The largest direct loss of one event (a flood, a release, a building fire) this replication: the OEP's. */
  maxEventLossCny = 0;

  addLoss(zone: number, cny: number): void {
    this.lossCny += cny;
    this.zoneLossCny[zone] = this.zoneLossCny[zone]! + cny;
  }

  /** One event's whole direct loss (all its zones), once the event's losses are added. */
  eventLoss(cny: number): void {
    if (cny > this.maxEventLossCny) this.maxEventLossCny = cny;
  }
}

export interface TrialContext {
  readonly m: CompiledModel;
  readonly sim: Simulation;
  readonly roads: RoadNetwork;
  readonly teams: TeamDispatcher;
  readonly relief: ReliefOperation;
  readonly tally: TrialTally;
  readonly sink: ResponseSink;
  /** Events happen in [0, windowMinutes): the horizon in event mode, the year in annual mode. */
  readonly windowMinutes: number;
  readonly annual: boolean;
  /** The stream of the given name for this replication. */
  readonly rng: (name: string) => Rng;
  /** Notes a disaster onset (mutual aid is triggered by the first). */
  readonly onDisaster: (minutes: number) => void;
  /** The replication's trace, when one is being recorded. */
  readonly trace?: Trace;
}

/**
 * Travel to an incident: road from the team's zone to the incident's zone centre, then `localKm`
 * of the incident at `localSpeedKmh` (the leg inside the zone).
 */
export function roadThenLocal(
  roads: RoadNetwork,
  localSpeedKmh: number,
  localKm: (incident: Incident) => number,
): (from: number, incident: Incident) => number {
  return (from, incident) => roads.minutes(from, incident.zone, Infinity) + (localKm(incident) / localSpeedKmh) * 60;
}

/** Month (0–11) of a minute of the 365-day year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const MONTH_START_MINUTES: readonly number[] = MONTH_DAYS.map((_, i) =>
  MONTH_DAYS.slice(0, i).reduce((a, days) => a + days * 1440, 0),
);
export function monthOf(minuteOfYear: number): number {
  const t = ((minuteOfYear % YEAR_MINUTES) + YEAR_MINUTES) % YEAR_MINUTES;
  let m = 11;
  while (MONTH_START_MINUTES[m]! > t) m--;
  return m;
}
export function monthMinutes(month: number): number {
  return MONTH_DAYS[month]! * 1440;
}
