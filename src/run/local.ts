/**
 * Runs a scenario's replications synchronously in this thread, in batches so that progress can be
 * reported: the simplest way in for tests and scripts (`executeRun` is the asynchronous one, with
 * executors, precision stops and abort).
 */

import { KpiAccumulator } from '../kpi/accumulator.js';
import { type CompiledModel, compile } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import { runBatch } from './batch.js';
import { inThreadBatchSize, planBatches } from './plan.js';

/** Run-time overrides of the scenario (part of what the scenario hash covers). */
export interface Overrides {
  readonly seed?: number;
  readonly replications?: number;
  /** Overrides the scenario's relief deadline (hours). */
  readonly deadlineHours?: number;
  /** Overrides the scenario's mode. */
  readonly mode?: 'event' | 'annual';
}

export interface RunOptions extends Overrides {
  readonly onProgress?: (done: number, total: number) => void;
  readonly batchSize?: number;
}

export interface RunOutput {
  readonly model: CompiledModel;
  readonly seed: number;
  readonly replications: number;
  readonly acc: KpiAccumulator;
  readonly wallMs: number;
}

/** The scenario with run-time overrides applied (these are part of what the hash covers). */
export function withOverrides(s: Scenario, o: Overrides): Scenario {
  let out = s;
  if (o.deadlineHours !== undefined) out = { ...out, targets: { ...out.targets, reliefDeadlineHours: o.deadlineHours } };
  if (o.mode !== undefined) out = { ...out, mode: o.mode };
  return out;
}

export function runLocal(scenario: Scenario, o: RunOptions = {}): RunOutput {
  const started = performance.now();
  const model = compile(withOverrides(scenario, o));
  const seed = o.seed ?? scenario.seed;
  const replications = o.replications ?? scenario.replications;
  const acc = new KpiAccumulator(model);
  for (const b of planBatches(0, replications, o.batchSize ?? inThreadBatchSize(replications))) {
    runBatch(model, { seed, from: b.from, to: b.to }, acc);
    o.onProgress?.(b.to, replications);
  }
  return { model, seed, replications, acc, wallMs: performance.now() - started };
}
