/**
 * A batch: a compiled model and a range of replication indices → one KPI accumulator. The unit
 * of work of every runner (in-process now; worker pool and queue later).
 */

import { KpiAccumulator } from '../kpi/accumulator.js';
import { runTrial } from '../perils/trial.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';

export interface BatchSpec {
  readonly seed: number;
  /** Targets evaluated (the model's when absent). */
  readonly targets?: Targets | undefined;
  /** First replication index (inclusive). */
  readonly from: number;
  /** Last replication index (exclusive). */
  readonly to: number;
}

export function runBatch(m: CompiledModel, spec: BatchSpec, into = new KpiAccumulator(m, spec.targets)): KpiAccumulator {
  for (let r = spec.from; r < spec.to; r++) into.add(runTrial(m, spec.seed, r, into));
  return into;
}
