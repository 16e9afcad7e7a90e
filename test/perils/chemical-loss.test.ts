/**
 * A chemical release's direct loss counts what is paid after its deaths (GB 6721-1986 §3.1.1;
 * issue 26 item 6). Before 0.14.0 a release with 45 deaths reported its property loss alone.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/scenario/compile.js';
import { DEATH_COST_CNY } from '../../src/scenario/defaults.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';

describe('casualty costs in a release’s direct loss (GB 6721)', () => {
  it('the default per death: 20 × 51,821 (urban disposable income, 2023) + 120,698 / 2 (six months’ wage)', () => {
    expect(DEATH_COST_CNY).toBe(1_096_769);
  });

  it('with no property loss, every traced Huantai release loses its deaths × the cost per death', () => {
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
        expect(e.lossCny).toBe(Math.round((e.deaths ?? 0) * DEATH_COST_CNY));
      }
    expect(releases).toBeGreaterThan(100);
    expect(deaths).toBeGreaterThan(0); // the check above met releases that killed
  });
});
