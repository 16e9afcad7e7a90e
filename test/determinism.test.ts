import { describe, expect, it } from 'vitest';
import { runBundled } from './helpers.js';

describe('deterministic results', () => {
  it('same scenario + seed gives byte-identical JSON', () => {
    const a = JSON.stringify(runBundled('huantai/flood-50y', { replications: 60 }));
    const b = JSON.stringify(runBundled('huantai/flood-50y', { replications: 60 }));
    expect(a).toBe(b);
  });
  it('does not depend on the batch size (exact, order-free merging)', () => {
    const a = JSON.stringify(runBundled('huantai/flood-50y', { replications: 60, batchSize: 1 }));
    const b = JSON.stringify(runBundled('huantai/flood-50y', { replications: 60, batchSize: 7 }));
    const c = JSON.stringify(runBundled('huantai/flood-50y', { replications: 60, batchSize: 60 }));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });
  it('different seeds give different results', () => {
    const a = runBundled('huantai/flood-50y', { replications: 60, seed: 1 });
    const b = runBundled('huantai/flood-50y', { replications: 60, seed: 2 });
    expect(a.kpis.responseTimeMinutes.mean).not.toBe(b.kpis.responseTimeMinutes.mean);
    expect(a.kpis.lossRatio.mean).not.toBe(b.kpis.lossRatio.mean);
  });
  it('a longer run extends a shorter one: replication i draws the same numbers in both', () => {
    const a = runBundled('validation/one-truck', { replications: 2 });
    const b = runBundled('validation/one-truck', { replications: 3 });
    expect(b.kpis.lossRatio.mean).toBe(a.kpis.lossRatio.mean); // deterministic case: equal
  });
});

describe('common random numbers across scenario variants', async () => {
  const { loadScenario } = await import('../src/scenario/load.js');
  const { runLocal } = await import('../src/run/local.js');
  const { summarise } = await import('../src/kpi/summary.js');
  const variant = (extraBoats: number, extraStock: number) => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const s = structuredClone(scenario);
    s.resources.stations[0]!.teams.push({ type: 'water-rescue', count: extraBoats, crew: 6, turnoutMinutes: 5 });
    const stock = s.resources.warehouses[0]!.stock;
    for (const item of ['bedding', 'medical', 'tent']) stock[item] = stock[item]! * (1 + extraStock);
    const out = runLocal(s, { replications: 200 });
    return summarise(out.model, out.acc, out.seed);
  };
  const baseline = variant(0, 0);
  it('more resources see the same floods: displaced people and losses are identical', () => {
    const more = variant(4, 1);
    expect((more.kpis as any).displacedPeople).toEqual((baseline.kpis as any).displacedPeople);
    expect(more.kpis.lossRatio).toEqual(baseline.kpis.lossRatio);
  });
  // In this scenario stock, not trucks, limits relief (bedding and kits run out), so the lever is stock.
  it('four more boat teams shorten the mean and p90 response; doubled bedding, kits and tents raise the share relieved', () => {
    const more = variant(4, 1);
    expect(more.kpis.responseTimeMinutes.mean!).toBeLessThan(baseline.kpis.responseTimeMinutes.mean!);
    expect(more.kpis.responseTimeMinutes.p90!).toBeLessThan(baseline.kpis.responseTimeMinutes.p90!);
    expect(more.kpis.reliefWithinDeadline.mean!).toBeGreaterThan(baseline.kpis.reliefWithinDeadline.mean!);
  });
});

describe('annual mode is deterministic too', () => {
  it('same seed → identical JSON, whatever the batch size', () => {
    const a = JSON.stringify(runBundled('huantai/annual', { replications: 40, batchSize: 1 }));
    const b = JSON.stringify(runBundled('huantai/annual', { replications: 40, batchSize: 13 }));
    expect(b).toBe(a);
  });
});
