/**
 * One flood event's relief as facts: who was displaced where, when each was relieved, and why
 * those still waiting wait, hour by hour. The relief operation (relief.ts) writes them; the KPIs
 * (kpi/relief.ts, kpi/accumulator.ts) read them against any deadline.
 */
import type { CompiledModel } from '../scenario/compile.js';

/** Why displaced people are still waiting: the first three, then `stock` of each item (index 3 + item). */
export const WAIT_CAUSES = ['activation', 'roads', 'trucks'] as const;

/** Hours after onset the relief snapshots cover: the horizon, up to 720 h. */
export function reliefHours(m: CompiledModel): number {
  return Math.min(Math.floor(m.horizonHours), 720);
}

/** One flood event's relief: who was displaced where, and when they were relieved. */
export class ReliefEvent {
  displaced = 0;
  relieved = 0;
  /** Minutes (absolute) when the last displaced person was relieved; Infinity if not yet. */
  allRelievedAt = Infinity;
  readonly peopleByZone: Float64Array;
  /**
   * The relief timeline, in time order: at reliefMinutes[k] (absolute), reliefPeople[k] more
   * people sheltered in zone reliefZone[k] became relieved.
   */
  readonly reliefMinutes: number[] = [];
  readonly reliefPeople: number[] = [];
  readonly reliefZone: number[] = [];
  /**
   * People waiting h hours after onset, by cause: waiting[h * causes + c], c as WAIT_CAUSES then
   * 3 + item (out of stock).
   */
  readonly waiting: Float64Array;
  readonly causes: number;

  constructor(
    readonly onsetMinutes: number,
    /** Convoys for this event may load from here on. */
    readonly startMinutes: number,
    zones: number,
    items: number,
    hours: number,
  ) {
    this.peopleByZone = new Float64Array(zones);
    this.causes = WAIT_CAUSES.length + items;
    this.waiting = new Float64Array((hours + 1) * this.causes);
  }
}
