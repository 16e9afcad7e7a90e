import { describe, expect, it } from 'vitest';
import { KpiAccumulator } from '../../src/kpi/accumulator.js';
import { summarise } from '../../src/kpi/summary.js';
import { runBatch } from '../../src/run/batch.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('representative replications', () => {
  const model = compile(loadScenario('huantai/flood-50y').scenario);
  const seed = 11;
  const acc = runBatch(model, { seed, from: 0, to: 400 });
  const rep = summarise(model, acc, seed).representativeReplications;
  const one = (r: number) => runBatch(model, { seed, from: r, to: r + 1 });

  it('the worst loss and the worst relief share are those of the replications named', () => {
    expect(one(rep.lossRatio.worst!).lossRatio.moments.max).toBe(acc.lossRatio.moments.max);
    expect(one(rep.reliefShare.worst!).reliefShare.moments.min).toBe(acc.reliefShare.moments.min);
    expect(one(rep.responseTimeMinutes.worst!).responseMeanByReplication.max).toBe(acc.responseMeanByReplication.max);
  });
  it('the p50 and p90 replications sit at those quantiles, within a sketch bin (1%)', () => {
    const loss50 = one(rep.lossRatio.p50!).lossRatio.moments.max;
    expect(Math.abs(loss50 / acc.lossRatio.quantile(0.5) - 1)).toBeLessThan(0.0101);
    const loss90 = one(rep.lossRatio.p90!).lossRatio.moments.max;
    expect(Math.abs(loss90 / acc.lossRatio.quantile(0.9) - 1)).toBeLessThan(0.0101);
    // relief share: lower is worse, so p90 severity is the 10% quantile
    const relief90 = one(rep.reliefShare.p90!).reliefShare.moments.min;
    expect(Math.abs(relief90 / acc.reliefShare.quantile(0.1) - 1)).toBeLessThan(0.0101);
  });
  it('do not depend on how replications were split: merged halves name the same ones', () => {
    const a = runBatch(model, { seed, from: 0, to: 137 });
    a.merge(runBatch(model, { seed, from: 137, to: 400 }));
    const b = KpiAccumulator.fromData(model, JSON.parse(JSON.stringify(a.toData())));
    expect(summarise(model, b, seed).representativeReplications).toEqual(rep);
  });
});
