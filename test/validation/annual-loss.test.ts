import { describe, expect, it } from 'vitest';
import { damageFraction } from '../../src/physics/flood/damage.js';
import { zoneAtReturnPeriod } from '../../src/physics/flood/footprint.js';
import { SKETCH_RELATIVE_ERROR } from '../../src/stats/sketch.js';
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
  it("the occurrence curve (OEP): from 10 years on, the year's largest event is its flood, so OEP(T) is the flood loss at T", () => {
    // A year's largest event is the larger of its flood, a release (1e7, in 86% of years) and a fire
    // (113,918). The flood's loss at 10 years, 1e9 × 0.2 × JRC(0.5 m), is above 1e7, so for T ≥ 10 the
    // 1 − 1/T quantile of the largest event is the flood's loss at T. The run's quantile is allowed
    // its sampling spread (4 binomial standard errors of the rank, 4,000 years) and the sketch's error.
    const floodLoss = (T: number): number => {
      const z = zoneAtReturnPeriod({ returnPeriodYears: [10, 100], depthM: [0.5, 2.0], floodedShare: [0.2, 0.5] }, T);
      return 1e9 * z.floodedShare * damageFraction('residential', z.depthM);
    };
    expect(floodLoss(10)).toBeGreaterThan(1e7);
    const oep: { returnPeriod: number; value: number }[] = k.annualLossRatio.occurrenceExceedance;
    const aep: { returnPeriod: number; value: number }[] = k.annualLossRatio.exceedance;
    expect(oep.map((e) => e.returnPeriod)).toEqual(aep.map((e) => e.returnPeriod));
    for (const T of [10, 20, 50, 100]) {
      const q = 1 - 1 / T;
      const se = Math.sqrt((q * (1 - q)) / 4000);
      const lo = floodLoss(1 / (1 - (q - 4 * se))) / GDP;
      const hi = floodLoss(1 / (1 - (q + 4 * se))) / GDP;
      const v = oep.find((e) => e.returnPeriod === T)!.value;
      expect(v, `OEP at ${T} years`).toBeGreaterThanOrEqual(lo * (1 - SKETCH_RELATIVE_ERROR) - 1e-7);
      expect(v, `OEP at ${T} years`).toBeLessThanOrEqual(hi * (1 + SKETCH_RELATIVE_ERROR) + 1e-7);
    }
    // a year's largest event never exceeds the year's total: OEP ≤ AEP at every return period
    oep.forEach((e, i) => expect(e.value).toBeLessThanOrEqual(aep[i]!.value + 1e-7));
    // and at 2 years the releases and fires make the total larger than any one event
    expect(aep[0]!.value).toBeGreaterThan(oep[0]!.value);
  });
});
