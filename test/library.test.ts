import { describe, expect, it } from 'vitest';
import * as dsim from '../src/index.js';

describe('the public library', () => {
  it('loads, runs and renders a scenario through its entry point alone', async () => {
    const { scenario } = dsim.loadScenario('validation/one-truck');
    const result = await dsim.runScenario(scenario, { replications: 3 });
    expect(result.kind).toBe('dsim.result');
    expect(result.engineVersion).toBe(dsim.ENGINE_VERSION);
    // the one-truck case derived on paper (scenarios/validation/one-truck.yaml): loss 4.94e7 CNY
    expect(result.kpis.directLossCny.mean).toBeCloseTo(4.94e7, -5);
    expect(dsim.RunResult.parse(result)).toEqual(result);
    expect(dsim.renderTable(result)).toContain('Share of displaced relieved within');
  });
  it('the package exports map points at the built entry', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { exports: Record<string, string> };
    expect(pkg.exports['.']).toBe('./dist/index.js');
    const built = (await import(new URL('../dist/index.js', import.meta.url).href)) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(dsim).sort());
  });
});

describe('the table', () => {
  it('aligns columns by display width, so Chinese zone names line up', async () => {
    const { scenario } = dsim.loadScenario('validation/one-truck');
    const s = structuredClone(scenario);
    s.district.zones[0]!.name = '索镇街道';
    const lines = dsim.renderTable(await dsim.runScenario(s, { replications: 2 })).split('\n');
    const { default: stringWidth } = await import('string-width');
    const row = lines.findIndex((l) => l.includes('索镇街道'));
    expect(lines[row - 2]).toMatch(/^Zone /);
    // every row of the zone table is as wide on screen as its rule, and the CJK row's cells end where the rule's do
    const rule = lines[row - 1]!;
    for (const l of lines.slice(row, row + 2)) expect(stringWidth(l)).toBe(stringWidth(rule));
  });
});
