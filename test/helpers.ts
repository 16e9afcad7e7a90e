import { loadScenario } from '../src/scenario/load.js';
import { runLocal, type RunOptions } from '../src/run/local.js';
import { summarise, type RunResult } from '../src/kpi/summary.js';

/** Runs a bundled scenario in-process and returns its JSON result (no timing). */
export function runBundled(name: string, o: RunOptions = {}): RunResult {
  const { scenario } = loadScenario(name);
  const out = runLocal(scenario, o);
  return summarise(out.model, out.acc, out.seed);
}
