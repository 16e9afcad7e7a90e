/**
 * Piscina worker entry: runs a batch of replications of the scenario a task names and returns
 * its accumulator as plain data. A worker compiles each scenario once and keeps the last few it
 * saw, keyed by scenario hash, so one long-lived pool serves many scenarios. Thin on purpose:
 * the work is src/run/batch.ts.
 */

import { KpiAccumulator } from '../dist/kpi/accumulator.js';
import { runBatch } from '../dist/run/batch.js';
import { PairedAccumulator } from '../dist/run/paired.js';
import { compile } from '../dist/scenario/compile.js';

/** Compiled models by scenario hash, oldest first (a Map keeps insertion order). */
const models = new Map();
const KEEP = 4;

function modelFor(task) {
  let model = models.get(task.hash);
  if (model) {
    models.delete(task.hash); // move to the newest end
  } else {
    model = compile(task.scenario);
    if (models.size >= KEEP) models.delete(models.keys().next().value);
  }
  models.set(task.hash, model);
  return model;
}

/**
 * A batch of one model, or (kind 'paired') all variants of each replication together.
 * @param {{ kind?: 'paired', hash: string, scenario: object, targets: object, variants?: object[], seed: number, from: number, to: number }} task
 */
export default function run(task) {
  if (task.kind === 'paired') {
    const models = task.variants.map(modelFor);
    const started = performance.now();
    const p = new PairedAccumulator(
      models,
      task.variants.map((v) => v.targets),
    ).addRange(task.seed, task.from, task.to);
    return { state: 'completed', data: p.toData(), from: task.from, to: task.to, wallMs: performance.now() - started };
  }
  const model = modelFor(task);
  const started = performance.now();
  const acc = runBatch(model, task, new KpiAccumulator(model, task.targets));
  return { state: 'completed', data: acc.toData(), from: task.from, to: task.to, wallMs: performance.now() - started };
}
