/**
 * Piscina worker entry: compiles the scenario once per worker (from workerData), then runs
 * batches of replications and returns their accumulator as plain data. Thin on purpose: the
 * work is src/run/batch.ts.
 */
import { workerData } from 'piscina';
import { compile } from '../dist/scenario/compile.js';
import { runBatch } from '../dist/run/batch.js';

const model = compile(workerData.scenario);

/** @param {{ seed: number, from: number, to: number }} task */
export default function run(task) {
  const started = performance.now();
  const acc = runBatch(model, task);
  return { state: 'completed', data: acc.toData(), from: task.from, to: task.to, wallMs: performance.now() - started };
}
