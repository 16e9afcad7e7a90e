/**
 * Tracing one replication: runs replication N alone with the trial's observer attached and
 * returns its timeline with the replication's KPI facts. Seeds come from content, so this is
 * exactly replication N of any run of the same scenario and seed.
 */
import { KpiAccumulator } from '../kpi/accumulator.js';
import { reliefAtDeadline } from '../kpi/relief.js';
import { runTrial } from '../perils/trial.js';
import type { TraceEvent } from '../response/trace.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';

export interface ReplicationTrace {
  readonly kind: 'dsim.trace';
  readonly schemaVersion: 1;
  readonly scenario: { id: string; hash: string };
  readonly seed: number;
  readonly replication: number;
  /** The replication's facts, as the run counts them. */
  readonly facts: {
    displaced: number;
    relieved: number;
    relievedByDeadline: number;
    responses: number;
    /** Mean response time of the replication's answered calls, minutes (null: none answered). */
    responseMeanMinutes: number | null;
    lossCny: number;
    lossRatio: number;
    /** Every death: disasters, fires, chemical releases. */
    deaths: number;
  };
  /** Each evaluated target as this replication judges it: what it achieved and whether that meets it (null: not judged). */
  readonly targets: { readonly id: string; readonly value: number | null; readonly met: boolean | null }[];
  /** In time order (ties in the order they happened). */
  readonly events: TraceEvent[];
}

/** Replication N of a run of `model` at `seed`, with its timeline; relief by deadline is read at `targets`' deadline. */
export function traceReplication(
  model: CompiledModel,
  seed: number,
  replication: number,
  targets: Targets = model.targets,
): ReplicationTrace {
  const events: TraceEvent[] = [];
  const acc = new KpiAccumulator(model, targets);
  const o = runTrial(model, seed, replication, acc, (e) => events.push(e));
  const relieved = o.tally.floods.reduce((a, e) => a + e.relieved, 0);
  const byDeadline = reliefAtDeadline(o.tally.floods, targets.reliefDeadlineHours, targets.reliefShare, model.zones.length);
  // the deadline passing, after the first flood's onset, with the people relieved by then
  const first = o.tally.floods[0];
  if (first !== undefined && o.displaced > 0) {
    events.push({
      minutes: first.onsetMinutes + targets.reliefDeadlineHours * 60,
      kind: 'deadline',
      entity: 'relief-within-deadline',
      people: Math.round(byDeadline.relieved),
    });
  }
  acc.add(o);
  const row = acc.lastRow!;
  return {
    kind: 'dsim.trace',
    schemaVersion: 1,
    scenario: { id: model.id, hash: model.hash },
    seed,
    replication,
    facts: {
      displaced: o.displaced,
      relieved,
      relievedByDeadline: byDeadline.relieved,
      responses: o.tally.responses,
      responseMeanMinutes: o.tally.responses > 0 ? o.tally.responseMinutesSum / o.tally.responses : null,
      lossCny: o.tally.lossCny,
      lossRatio: o.lossRatio,
      deaths: o.deaths,
    },
    targets: acc.targets.map((d, k) => ({ id: d.id, value: row.achieved[k] ?? null, met: row.met[k] === null ? null : row.met[k] === 1 })),
    events: events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.minutes - b.e.minutes || a.i - b.i)
      .map((x) => x.e),
  };
}
