import { describe, expect, it } from 'vitest';
import { damageFraction } from '../../src/physics/flood/damage.js';
import { zoneAtReturnPeriod } from '../../src/physics/flood/footprint.js';
import { runBundled } from '../helpers.js';

const GDP = 1e10;

/** Mean annual flood loss: ∫₀¹ loss(T(q)) dq with T = 1/(1 − q), midpoint rule. */
function floodAal(): number {
  const table = { returnPeriodYears: [10, 100], depthM: [0.5, 2.0], floodedShare: [0.2, 0.5] };
  const n = 200_000;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const q = (i + 0.5) / n;
    const z = zoneAtReturnPeriod(table, 1 / (1 - q));
    sum += 1e9 * z.floodedShare * damageFraction('residential', z.depthM);
  }
  return sum / n;
}

describe('annual mode (scenarios/validation/annual-loss.yaml)', () => {
  const r = runBundled('validation/annual-loss');
  const k = r.kpis as Record<string, any>;
  const fireLoss = ((0.01172 * 900 * 900) / 250) * 3000; // per fire
  const expected = floodAal() + 2 * 1e7 + 20 * fireLoss;

  it('the parts: fire loss 113,918 CNY per fire; flood AAL from the integral', () => {
    expect(fireLoss).toBeCloseTo(113918.4, 1);
    expect(floodAal()).toBeGreaterThan(0);
  });
  it('average annual loss = Σ rate × mean event loss, within the run\u2019s 95% CI', () => {
    const aal = k.annualLossRatio;
    expect(aal.ci95[0] * GDP).toBeLessThanOrEqual(expected);
    expect(aal.ci95[1] * GDP).toBeGreaterThanOrEqual(expected);
    expect((aal.ci95[1] - aal.ci95[0]) * GDP).toBeLessThan(0.1 * expected); // and the CI is informative
  });
  it('counts events at their rates: 2 releases and 20 fires a year', () => {
    expect(Math.abs(k.chemical.releasesPerReplication - 2)).toBeLessThan(3.3 * Math.sqrt(2 / 4000));
    expect(Math.abs(k.fire.firesPerReplication - 20)).toBeLessThan(3.3 * Math.sqrt(20 / 4000));
  });
  it('the exceedance curve rises with return period and its 1000-year value is the 99.9% quantile', () => {
    const ep: { returnPeriod: number; value: number }[] = k.annualLossRatio.exceedance;
    expect(ep.map((e) => e.returnPeriod)).toEqual([2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    ep.forEach((e, i) => i > 0 && expect(e.value).toBeGreaterThanOrEqual(ep[i - 1]!.value));
  });
});
