import { vi } from 'vitest';
import { loadScenario } from '../src/scenario/load.js';
import { main } from '../src/cli/main.js';
import { runLocal, type RunOptions } from '../src/run/local.js';
import { summarise, type RunResult } from '../src/kpi/summary.js';

/** Runs a bundled scenario in-process and returns its JSON result (no timing). */
export function runBundled(name: string, o: RunOptions = {}): RunResult {
  const { scenario } = loadScenario(name);
  const out = runLocal(scenario, o);
  return summarise(out.model, out.acc, out.seed);
}

/** Runs the CLI in-process and captures what it prints. */
export async function dsim(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}
