/**
 * Runs a scenario's replications synchronously in this thread, in batches so that progress can be
 * reported: the simplest way in for tests and scripts (`executeRun` is the asynchronous one, with
 * executors, precision stops and abort).
 */

import { KpiAccumulator } from '../kpi/accumulator.js';
import { type CompiledModel, compile, type Targets } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import { runBatch } from './batch.js';
import { inThreadBatchSize, planBatches } from './plan.js';

/**
 * Run-time choices: the mode changes what is simulated (and the scenario hash); the deadline and
 * other targets only change what is evaluated from the same simulated facts.
 */
export interface Overrides {
  readonly seed?: number;
  readonly replications?: number;
  /** Evaluates relief at this deadline (hours) instead of the scenario's. */
  readonly deadlineHours?: number;
  /** Evaluates these targets instead of the scenario's (deadlineHours wins for the deadline). */
  readonly targets?: Partial<Targets>;
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

/** The scenario with the overrides that change the simulation applied (part of what the hash covers). */
export function withOverrides(s: Scenario, o: Overrides): Scenario {
  return o.mode !== undefined ? { ...s, mode: o.mode } : s;
}

/** The targets a run evaluates: the model's, with the run's choices over them. */
export function evaluatedTargets(m: CompiledModel, o: Overrides): Targets {
  if (o.targets === undefined && o.deadlineHours === undefined) return m.targets;
  return { ...m.targets, ...o.targets, ...(o.deadlineHours !== undefined && { reliefDeadlineHours: o.deadlineHours }) };
}

export function runLocal(scenario: Scenario, o: RunOptions = {}): RunOutput {
  const started = performance.now();
  const model = compile(withOverrides(scenario, o));
  const seed = o.seed ?? scenario.seed;
  const replications = o.replications ?? scenario.replications;
  const acc = new KpiAccumulator(model, evaluatedTargets(model, o));
  for (const b of planBatches(0, replications, o.batchSize ?? inThreadBatchSize(replications))) {
    runBatch(model, { seed, from: b.from, to: b.to }, acc);
    o.onProgress?.(b.to, replications);
  }
  return { model, seed, replications, acc, wallMs: performance.now() - started };
}
