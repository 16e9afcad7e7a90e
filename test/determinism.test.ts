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
