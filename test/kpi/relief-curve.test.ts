import { describe, expect, it } from 'vitest';
import { runBundled } from '../helpers.js';

describe('the relief curve', () => {
  for (const [name, n] of [
    ['huantai/flood-50y', 200],
    ['yanzhou/flood-50y', 200],
    ['huantai/annual', 40],
  ] as const) {
    it(`${name}: the share and P(met) read from the curve at 8, 10 and 12 h equal a run with that --deadline-hours`, () => {
      const base = runBundled(name, { replications: n });
      const curve = base.kpis.reliefCurve;
      for (const h of [8, 10, 12]) {
        const run = runBundled(name, { replications: n, deadlineHours: h });
        const r = run.kpis.reliefWithinDeadline;
        expect(curve.mean[h], `${h} h`).toBe(r.mean);
        expect([curve.ci95Low[h], curve.ci95High[h]]).toEqual(r.ci95);
        expect(curve.pTargetMet[h], `${h} h`).toBe(r.pTargetMet);
        expect([curve.pTargetMetCi95Low[h], curve.pTargetMetCi95High[h]]).toEqual(r.pTargetMetCi95);
        // the deadline is evaluated, not simulated: same scenario hash, same floods
        expect(run.scenario.hash).toBe(base.scenario.hash);
        expect(run.kpis.displacedPeople).toEqual(base.kpis.displacedPeople);
      }
    });
  }
  it('starts at hour 0, covers the horizon, never falls, and stays within [0, 1]', () => {
    const curve = runBundled('huantai/flood-50y', { replications: 200 }).kpis.reliefCurve;
    expect(curve.hours).toEqual(Array.from({ length: 73 }, (_, h) => h)); // horizonHours: 72
    for (let h = 1; h < curve.mean.length; h++) expect(curve.mean[h]!).toBeGreaterThanOrEqual(curve.mean[h - 1]!);
    expect(curve.mean[0]).toBe(0); // relief cannot reach anyone before activation (30–120 min)
    expect(curve.mean[72]!).toBeLessThanOrEqual(1);
  });
  it('one-truck, derived on paper: 0.625 relieved by 8 h, everyone by 10.5 h', () => {
    const curve = runBundled('validation/one-truck', { replications: 2 }).kpis.reliefCurve;
    expect(curve.mean[8]).toBe(0.625);
    expect(curve.mean[10]).toBeLessThan(1);
    expect(curve.mean[11]).toBe(1);
  });
});
