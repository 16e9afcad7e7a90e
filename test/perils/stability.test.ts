/**
 * Stability drawn with the wind (issue 26 item 6): Pasquill's classes by 10-m wind speed (Turner
 * 1970, Table 1). Before 0.13.0 the class was drawn without regard to the wind, so class F came
 * with 3.3–4.4 m/s winds, which need a clear night and less than about 3 m/s.
 */
import { describe, expect, it } from 'vitest';
import { STABILITY_CLASSES, stabilityClassesAt } from '../../src/physics/chemical/plume.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';

describe('Pasquill–Gifford classes the wind allows (Turner 1970, Table 1)', () => {
  it('the table, row by row (day by insolation, night by cloud, D under overcast)', () => {
    expect(stabilityClassesAt(1.5)).toEqual(['A', 'B', 'D', 'E', 'F']);
    expect(stabilityClassesAt(2)).toEqual([...STABILITY_CLASSES]);
    expect(stabilityClassesAt(2.9)).toEqual([...STABILITY_CLASSES]);
    expect(stabilityClassesAt(3)).toEqual(['B', 'C', 'D', 'E']);
    expect(stabilityClassesAt(4.99)).toEqual(['B', 'C', 'D', 'E']);
    expect(stabilityClassesAt(5)).toEqual(['C', 'D']);
    expect(stabilityClassesAt(12)).toEqual(['C', 'D']);
    // D, overcast, is possible at every speed: a draw always has a class to fall back on
    for (const u of [1, 2.5, 4, 5.5, 8]) expect(stabilityClassesAt(u)).toContain('D');
  });

  it('every traced release in 300 Huantai years has a class its wind allows, and F only below 3 m/s', () => {
    const s = loadScenario('huantai/annual').scenario;
    for (const h of s.hazards) if (h.type === 'chemical') for (const c of h.releaseClasses) c.perYear *= 5;
    const model = compile(s);
    const seen = new Map<string, number>();
    let fastWinds = 0;
    for (let i = 0; i < 300; i++) {
      for (const e of traceReplication(model, 7, i).events) {
        if (e.kind !== 'release' || e.plume === undefined) continue;
        const { windMPerS: u, stability } = e.plume;
        // the trace rounds the wind to 0.1 m/s: the class must fit a wind that rounds to it
        const fits = [...stabilityClassesAt(u - 0.05), ...stabilityClassesAt(u + 0.0499)];
        expect(fits, `replication ${i}: class ${stability} at ${u} m/s`).toContain(stability);
        seen.set(stability, (seen.get(stability) ?? 0) + 1);
        if (u >= 5) fastWinds++;
      }
    }
    // the check saw every class, and winds strong enough to rule out A, B, E and F
    expect([...seen.keys()].sort()).toEqual([...STABILITY_CLASSES]);
    expect(fastWinds).toBeGreaterThan(0);
  });
});
