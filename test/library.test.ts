import { describe, expect, it } from 'vitest';
import * as dsim from '../src/index.js';

describe('the public library', () => {
  it('loads, runs and renders a scenario through its entry point alone', async () => {
    const { scenario } = dsim.loadScenario('validation/one-truck');
    const result = await dsim.runScenario(scenario, { replications: 3 });
    expect(result.kind).toBe('dsim.result');
    expect(result.engineVersion).toBe(dsim.ENGINE_VERSION);
    // the one-truck case derived on paper (scenarios/validation/one-truck.yaml): loss 4.94e7 CNY
    expect((result.kpis['directLossCny'] as { mean: number }).mean).toBeCloseTo(4.94e7, -5);
    expect(dsim.renderTable(result)).toContain('Share relieved within');
  });
  it('the package exports map points at the built entry', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { exports: Record<string, string> };
    expect(pkg.exports['.']).toBe('./dist/index.js');
    const built = (await import(new URL('../dist/index.js', import.meta.url).href)) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(dsim).sort());
  });
});
