/**
 * A chemical release's direct loss counts what is paid after its deaths (GB 6721-1986 §3.1.1;
 * issue 26 item 6). Before 0.14.0 a release with 45 deaths reported its property loss alone.
 */
import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/kpi/summary.js';
import { runLocal } from '../../src/run/local.js';
import { compile } from '../../src/scenario/compile.js';
import { DEATH_COST_CNY } from '../../src/scenario/defaults.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';

describe('casualty costs in a release’s direct loss (GB 6721)', () => {
  it('the default per death: 20 × 51,821 (urban disposable income, 2023) + 120,698 / 2 (six months’ wage)', () => {
    expect(DEATH_COST_CNY).toBe(1_096_769);
  });

  it('with no property loss, every traced Huantai release costs its deaths × the cost per death, and the year’s loss carries it', () => {
    const s = loadScenario('huantai/annual').scenario;
    for (const h of s.hazards)
      if (h.type === 'chemical') {
        h.lossCnyPerRelease = 0;
        for (const c of h.releaseClasses) c.perYear *= 10;
      }
    const model = compile(s);
    let deaths = 0;
    let releases = 0;
    for (let i = 0; i < 200; i++)
      for (const e of traceReplication(model, 11, i).events) {
        if (e.kind !== 'release') continue;
        releases++;
        deaths += e.deaths ?? 0;
        expect(e.lossCny).toBe(0); // the property loss
        expect(e.casualtyCostCny).toBe(Math.round((e.deaths ?? 0) * DEATH_COST_CNY));
      }
    expect(releases).toBeGreaterThan(100);
    expect(deaths).toBeGreaterThan(0); // the check above met releases that killed
    // and the year's direct loss carries them: without the cost per death it is less by exactly
    // the deaths × the cost (the same replications, the same deaths)
    const free = structuredClone(s);
    for (const h of free.hazards) if (h.type === 'chemical') h.deathCostCny = 0;
    const run = (x: typeof s) => {
      const out = runLocal(x, { replications: 200, seed: 11 });
      return summarise(out.model, out.acc, out.seed).kpis;
    };
    const [a, b] = [run(s), run(free)];
    const chemicalDeaths = a.chemical!.deaths.mean!;
    expect(chemicalDeaths).toBeGreaterThan(0);
    expect(b.chemical!.deaths.mean).toBe(chemicalDeaths);
    // (the result's means are rounded to 7 significant digits)
    const added = a.directLossCny.mean! - b.directLossCny.mean!;
    expect(Math.abs(added / (chemicalDeaths * DEATH_COST_CNY) - 1)).toBeLessThan(1e-4);
  });
});
