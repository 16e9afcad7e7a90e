import { vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { type RunResult, summarise } from '../src/kpi/summary.js';
import { type RunOptions, runLocal } from '../src/run/local.js';
import { loadScenario } from '../src/scenario/load.js';

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
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(args), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}
