/**
 * Relief read from the floods' recorded timelines (response/relief.ts records when each group of
 * displaced people became relieved, nothing else): the share relieved by any deadline, whether
 * every flood met its share, by zone, and the relief curve over the horizon.
 */
import type { ReliefEvent } from '../response/relief-event.js';

export interface ReliefAtDeadline {
  readonly relieved: number;
  /** Every flood relieved at least `share` of its displaced people by the deadline. */
  readonly everyFloodMet: boolean;
  /** People relieved by the deadline by shelter zone (all floods). */
  readonly byZone: Float64Array;
}

const EPS = 1e-9;

/** People relieved within `deadlineHours` of their flood's onset (the same comparison the timeline uses). */
export function reliefAtDeadline(floods: readonly ReliefEvent[], deadlineHours: number, share: number, zones: number): ReliefAtDeadline {
  let relieved = 0;
  let everyFloodMet = true;
  const byZone = new Float64Array(zones);
  const eventByZone = new Float64Array(zones);
  for (const e of floods) {
    const until = e.onsetMinutes + deadlineHours * 60 + EPS;
    let byDeadline = 0;
    eventByZone.fill(0);
    for (let k = 0; k < e.reliefMinutes.length && e.reliefMinutes[k]! <= until; k++) {
      byDeadline += e.reliefPeople[k]!;
      const z = e.reliefZone[k]!;
      eventByZone[z] = eventByZone[z]! + e.reliefPeople[k]!;
    }
    relieved += byDeadline;
    if (byDeadline < share * e.displaced - EPS) everyFloodMet = false;
    for (let z = 0; z < zones; z++) byZone[z] = byZone[z]! + eventByZone[z]!;
  }
  return { relieved, everyFloodMet, byZone };
}

export interface ReliefCurve {
  /** People (all floods) relieved within h hours of their flood's onset. */
  readonly relieved: Float64Array;
  /** 1 where every flood relieved at least the target share within h hours, else 0. */
  readonly met: Uint8Array;
}

/**
 * The replication's relief at every whole hour h = 0 … hours: the people relieved, and whether
 * every flood met `targetShare` by then (the relief target at an h-hour deadline).
 */
export function reliefCurve(floods: readonly ReliefEvent[], hours: number, targetShare: number): ReliefCurve {
  const curve = new Float64Array(hours + 1);
  const met = new Uint8Array(hours + 1).fill(1);
  // One pass over each flood's timeline, with the same comparison and order of summation as
  // reliefAtDeadline, so the curve at an integer deadline equals the share relieved within it,
  // to the last bit.
  const next = new Int32Array(floods.length);
  const byFlood = new Float64Array(floods.length);
  for (let h = 0; h <= hours; h++) {
    let relieved = 0;
    floods.forEach((e, f) => {
      const until = e.onsetMinutes + h * 60 + EPS;
      let k = next[f]!;
      for (; k < e.reliefMinutes.length && e.reliefMinutes[k]! <= until; k++) byFlood[f] = byFlood[f]! + e.reliefPeople[k]!;
      next[f] = k;
      relieved += byFlood[f]!;
      if (byFlood[f]! < targetShare * e.displaced - EPS) met[h] = 0;
    });
    curve[h] = relieved;
  }
  return { relieved: curve, met };
}
