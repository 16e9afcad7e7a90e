/**
 * The hazard contract end to end: a peril defined in the test folder (power-outage.ts) is
 * registered, and a scenario using it is validated (schema and references), compiled, simulated,
 * accumulated (its slice and its target), summarised and printed — with no change to src/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ScenarioError } from '../../src/errors.js';
import { registerPeril } from '../../src/perils/registry.js';
import { renderTable } from '../../src/report/table.js';
import { runScenario } from '../../src/run/runner.js';
import { parseScenario } from '../../src/scenario/load.js';
import { powerOutage } from './power-outage.js';

/** validation/mmc with a power-outage hazard beside its incidents (same team type: they share the teams). */
function scenarioText(extra: Record<string, unknown> = {}): string {
  const s = parse(readFileSync('scenarios/validation/mmc.yaml', 'utf8'));
  s.hazards = [
    {
      type: 'power-outage',
      id: 'grid',
      zone: 'Q',
      outagesPerEvent: 3,
      maxOutages: 2,
      teamTypes: ['server'],
      repairMinutes: 90,
      ...extra,
    },
  ];
  s.response.horizonHours = 48;
  return stringify(s);
}

describe('an extra peril registered from outside src/', () => {
  it('is an unknown hazard type until registered', () => {
    expect(() => parseScenario(scenarioText(), 'outage.yaml')).toThrow(ScenarioError);
  });

  it('runs end to end: Poisson count, its target P(N <= 2) = 8.5 e^-3, its table row', async () => {
    registerPeril(powerOutage);
    const scenario = parseScenario(scenarioText(), 'outage.yaml');
    const r = await runScenario(scenario, { replications: 4000, seed: 5, workers: 2 });
    const section = r.kpis['powerOutage'] as { outagesPerEvent: number; restoredHours: { min: number; max: number } };
    // N ~ Poisson(3): mean 3 (sd of the mean over 4000 events: sqrt(3/4000) = 0.027)
    expect(section.outagesPerEvent).toBeGreaterThan(3 - 4 * 0.0274);
    expect(section.outagesPerEvent).toBeLessThan(3 + 4 * 0.0274);
    // five teams, zero turnout and travel: the first five outages are restored after exactly 1.5 h,
    // later ones wait for a team (restored at 3 h, 4.5 h …)
    expect(section.restoredHours.min).toBe(1.5);
    const target = r.targets.find((t) => t.id === 'power-outages')!;
    const exact = 8.5 * Math.exp(-3); // P(N <= 2) = e^-3 (1 + 3 + 9/2) = 0.4232
    expect(target.ci95[0]!).toBeLessThan(exact);
    expect(target.ci95[1]!).toBeGreaterThan(exact);
    expect(target.description).toBe('outages in an event <= 2');
    expect(renderTable(r)).toContain('Power restored (h)');
  });

  it('its reference checks name the field', () => {
    registerPeril(powerOutage);
    try {
      parseScenario(scenarioText({ zone: 'Nowhere' }), 'outage.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).message).toContain('hazards[0].zone');
      expect((e as ScenarioError).message).toContain('unknown zone "Nowhere"');
    }
  });
});
