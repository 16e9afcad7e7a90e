/**
 * Tracing one replication: runs replication N alone with the trial's observer attached and
 * returns its timeline with the replication's KPI facts. Seeds come from content, so this is
 * exactly replication N of any run of the same scenario and seed.
 */
import { KpiAccumulator } from '../kpi/accumulator.js';
import type { TraceEvent } from '../response/trace.js';
import { runTrial } from '../response/trial.js';
import type { CompiledModel } from '../scenario/compile.js';

export interface ReplicationTrace {
  readonly kind: 'dsim.trace';
  readonly schemaVersion: 1;
  readonly scenario: { id: string; hash: string };
  readonly seed: number;
  readonly replication: number;
  /** The replication's facts, as the run counts them. */
  readonly facts: { displaced: number; relieved: number; relievedByDeadline: number; responses: number; lossCny: number };
  /** In time order (ties in the order they happened). */
  readonly events: TraceEvent[];
}

export function traceReplication(model: CompiledModel, seed: number, replication: number): ReplicationTrace {
  const events: TraceEvent[] = [];
  const acc = new KpiAccumulator(model);
  const o = runTrial(model, seed, replication, acc, (e) => events.push(e));
  const relieved = o.tally.floods.reduce((a, e) => a + e.relieved, 0);
  return {
    kind: 'dsim.trace',
    schemaVersion: 1,
    scenario: { id: model.scenario.id, hash: model.hash },
    seed,
    replication,
    facts: {
      displaced: o.displaced,
      relieved,
      relievedByDeadline: o.relievedByDeadline,
      responses: o.tally.responses,
      lossCny: o.tally.lossCny,
    },
    events: events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.minutes - b.e.minutes || a.i - b.i)
      .map((x) => x.e),
  };
}
