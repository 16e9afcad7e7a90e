import { describe, expect, it } from 'vitest';
import { ThreadExecutor } from '../../src/run/thread.js';
import { loadScenario } from '../../src/scenario/load.js';
import { getPath, parseAssignment, setPath } from '../../src/scenario/set.js';
import { comparePaired } from '../../src/studies/compare.js';
import { sizeReserve, withValue } from '../../src/studies/size.js';

const scenario = (name: string) => loadScenario(name).scenario;
const metric = (c: Awaited<ReturnType<typeof comparePaired>>, id: string) => c.metrics.find((m) => m.id === id)!;

describe('--set PATH=VALUE', () => {
  it('reaches list items by id or index and keeps the rest', () => {
    const s = scenario('huantai/flood-50y');
    const out = setPath(s, 'resources.warehouses[county-reserve].stock.bedding', 9000) as typeof s;
    expect(getPath(out, 'resources.warehouses[county-reserve].stock.bedding')).toBe(9000);
    expect(getPath(out, 'resources.warehouses[0].stock.food')).toBe(getPath(s, 'resources.warehouses[0].stock.food'));
    expect(getPath(s, 'resources.warehouses[county-reserve].stock.bedding')).toBe(5000); // the original is untouched
    expect(parseAssignment('a.b[x].c=12.5')).toEqual({ path: 'a.b[x].c', value: 12.5 });
  });
  it('names the path and what is there when it cannot follow it', () => {
    const s = scenario('huantai/flood-50y');
    expect(() => setPath(s, 'resources.fleet[no-such].count', 1)).toThrow(
      /--set resources\.fleet\[no-such\]\.count: no item with id "no-such"; ids are: support-fleet/,
    );
    expect(() => setPath(s, 'resources..fleet', 1)).toThrow(/--set resources\.\.fleet/);
    expect(() => withValue(s, 'resources.fleet[support-fleet].count', -2)).toThrow(/resources\.fleet\[0\]\.count/);
  });
});

describe('paired comparisons on common random numbers', () => {
  it('a scenario against itself: zero difference with zero width', async () => {
    const s = scenario('huantai/flood-50y');
    const c = await comparePaired(
      [
        { name: 'A', scenario: s },
        { name: 'A again', scenario: s },
      ],
      { replications: 150 },
    );
    for (const m of c.metrics) {
      for (const d of m.differences) {
        if (d.n === 0) continue;
        expect(d.mean).toBe(0);
        expect(d.ci95).toEqual([0, 0]);
        expect(d.significant).toBe(false);
      }
    }
  });
  it('a difference known on paper: a second truck relieves 100% instead of 62.5% by 8 h, every replication', async () => {
    const s = scenario('validation/one-truck');
    const c = await comparePaired(
      [
        { name: '1 truck', scenario: s },
        { name: '2 trucks', scenario: withValue(s, 'resources.fleet[truck].count', 2) },
      ],
      { replications: 5 },
    );
    const d = metric(c, 'reliefShare').differences[0]!;
    expect(d.mean).toBeCloseTo(0.375, 12);
    expect(d.ci95).toEqual([0, 0].map(() => expect.closeTo(0.375, 9)));
    expect(d.significant).toBe(true);
    expect(metric(c, 'target:relief-within-deadline').values).toEqual([0, 1]);
  });
  it('paired intervals are narrower than unpaired ones on the same runs', async () => {
    const s = scenario('huantai/flood-50y');
    const c = await comparePaired(
      [
        { name: '10 h', scenario: s },
        { name: '12 h', scenario: s, deadlineHours: 12 },
      ],
      { replications: 300 },
    );
    const d = metric(c, 'reliefShare').differences[0]!;
    const width = (x: [number | null, number | null]) => x[1]! - x[0]!;
    expect(d.mean!).toBeGreaterThan(0);
    expect(width(d.ci95)).toBeLessThan(0.6 * width(d.unpairedCi95));
  });
  it('a sweep is monotone in stock: more food, or more quilts in Huantai, never relieves fewer', async () => {
    const s = withValue(scenario('validation/one-truck'), 'resources.fleet[truck].count', 3);
    const stocks = [0, 600, 1200, 1800, 2400, 3000];
    const c = await comparePaired(
      stocks.map((v) => ({ name: String(v), scenario: withValue(s, 'resources.warehouses[depot].stock.food', v) })),
      { replications: 3 },
    );
    // each person needs 1 kg of food: relieved = min(1, stock / 2,400)
    expect(metric(c, 'reliefShare').values).toEqual(stocks.map((v) => Math.min(1, v / 2400)));
    const h = scenario('huantai/flood-50y');
    const quilts = [500, 1500, 3000, 5000];
    const t = await comparePaired(
      quilts.map((v) => ({ name: String(v), scenario: withValue(h, 'resources.warehouses[county-reserve].stock.bedding', v) })),
      { replications: 100 },
    );
    const relief = metric(t, 'reliefShare').values as number[];
    relief.forEach((x, i) => i > 0 && expect(x).toBeGreaterThanOrEqual(relief[i - 1]!));
    expect(relief[3]!).toBeGreaterThan(relief[0]!);
  });
});

describe('sizing a reserve', () => {
  const executor = new ThreadExecutor();
  it('finds the stock solvable on paper: 2,400 kg of food for 2,400 people at 1 kg each', async () => {
    const s = withValue(scenario('validation/one-truck'), 'resources.fleet[truck].count', 3);
    const r = await sizeReserve(s, {
      path: 'resources.warehouses[depot].stock.food',
      target: 'relief-within-deadline',
      confidence: 0.9,
      min: 0,
      max: 10_000,
      integer: true,
      replications: 40,
      executor,
    });
    expect(r.answer).toBe(2400);
    expect(r.probes.find((p) => p.value === 2399)?.pMet).toBe(0);
    expect(r.uncertain).toBeNull(); // 40 of 40 against 0 of 40: both intervals clear of 90%
    // 40 of 40 has a Wilson lower bound of 91.2%: the answer is shown with confidence too
    expect(r.confidentAnswer).toBe(2400);
    const { sizingAnswer } = await import('../../src/report/compare.js');
    expect(sizingAnswer(r, 'en')).toContain(
      ': 2,400. P(met) at 2,400: 100.0% [91.2%, 100.0%]; at 2,399: 0.0% [0.0%, 8.8%]. With its 95% interval above 90.0%: 2,400.',
    );
  });
  it('and the fleet: 2 trucks relieve 2,400 people by 8 h (3 deliveries of 500 each)', async () => {
    const r = await sizeReserve(scenario('validation/one-truck'), {
      path: 'resources.fleet[truck].count',
      target: 'relief-within-deadline',
      confidence: 0.9,
      min: 1,
      max: 10,
      integer: true,
      replications: 40,
      executor,
    });
    expect(r.answer).toBe(2);
    expect(r.replicationsTotal).toBe(40 * r.probes.length);
  });
  it('says so when even the maximum does not reach the confidence, and names an unknown target', async () => {
    const base = { path: 'resources.fleet[truck].count', confidence: 0.9, min: 0, max: 1, integer: true, replications: 40, executor };
    const r = await sizeReserve(scenario('validation/one-truck'), { ...base, target: 'relief-within-deadline' });
    expect(r.answer).toBeNull();
    await expect(sizeReserve(scenario('validation/one-truck'), { ...base, target: 'nope' })).rejects.toThrow(
      /--target nope: .* relief-within-deadline/,
    );
  });
});

describe('the cheapest combination on a grid', () => {
  it('one-truck: 2 trucks and 2,400 kg of food, the cheapest that relieves everyone by 8 h', async () => {
    const { cheapestCombination } = await import('../../src/studies/size.js');
    const executor = new ThreadExecutor();
    const r = await cheapestCombination(scenario('validation/one-truck'), {
      ranges: [
        { path: 'resources.fleet[truck].count', values: [1, 2, 3], costPerUnit: 300_000 },
        { path: 'resources.warehouses[depot].stock.food', values: [1200, 2400, 3600], costPerUnit: 10 },
      ],
      target: 'relief-within-deadline',
      confidence: 0.9,
      replications: 40,
      executor,
    });
    expect(r.answer).toEqual({ point: [2, 2400], cost: 624_000, pMet: 1 });
    expect(r.confidentAnswer).toEqual(r.answer); // 40 of 40: the interval starts at 91.2%
    // every cheaper point was run and failed
    expect(r.probes.map((p) => p.cost)).toEqual([312_000, 324_000, 336_000, 612_000, 624_000]);
    expect(r.probes.slice(0, -1).every((p) => p.pMet === 0)).toBe(true);
  });
  it('refuses to search on replications that cannot show the confidence (10 of 10: 72.2%; 90% needs 35)', async () => {
    const { cheapestCombination } = await import('../../src/studies/size.js');
    const { trialsToShow } = await import('../../src/stats/interval.js');
    expect([trialsToShow(0.9), trialsToShow(0.95), trialsToShow(0.5)]).toEqual([35, 73, 4]);
    const run = (replications: number) =>
      cheapestCombination(scenario('validation/one-truck'), {
        ranges: [{ path: 'resources.fleet[truck].count', values: [1, 2], costPerUnit: 1 }],
        target: 'relief-within-deadline',
        confidence: 0.9,
        replications,
        executor: new ThreadExecutor(),
      });
    await expect(run(10)).rejects.toThrow(
      '10 replications cannot show P(met) ≥ 90%: even if every one meets the target, the 95% interval starts at 72.2%. Use at least 35',
    );
    await expect(run(34)).rejects.toThrow(/Use at least 35/);
  });
});

describe('paired runs on the worker pool', () => {
  it('give the figures of the in-thread run, byte for byte', async () => {
    const { WorkerPool } = await import('../../src/run/pool.js');
    const s = scenario('huantai/flood-50y');
    const variants = [
      { name: 'plan', scenario: s },
      { name: 'more quilts', scenario: withValue(s, 'resources.warehouses[county-reserve].stock.bedding', 9000) },
      { name: '12 h', scenario: s, deadlineHours: 12 },
    ];
    const here = await comparePaired(variants, { replications: 120 });
    const pool = new WorkerPool(2);
    try {
      const there = await comparePaired(variants, { replications: 120, executor: pool });
      expect(JSON.stringify(there)).toBe(JSON.stringify(here));
    } finally {
      await pool.close();
    }
  });
});

describe('comparing stored results', () => {
  it('of the same seed: unpaired differences, wider than the paired ones of the same variants; another seed is refused', async () => {
    const { compareStored } = await import('../../src/studies/compare.js');
    const { runBundled } = await import('../helpers.js');
    const a = runBundled('huantai/flood-50y', { replications: 300 });
    const b = runBundled('huantai/flood-50y', { replications: 300, deadlineHours: 12 });
    const c = compareStored([
      { name: 'a', result: a },
      { name: 'b', result: b },
    ]);
    expect(c.paired).toBe(false);
    const d = c.metrics.find((m) => m.id === 'reliefWithinDeadline')!.differences[0]!;
    expect(d.mean).toBeCloseTo(b.kpis.reliefWithinDeadline.mean! - a.kpis.reliefWithinDeadline.mean!, 6);
    const paired = await comparePaired(
      [
        { name: 'a', scenario: scenario('huantai/flood-50y') },
        { name: 'b', scenario: scenario('huantai/flood-50y'), deadlineHours: 12 },
      ],
      { replications: 300 },
    );
    const p = paired.metrics.find((m) => m.id === 'reliefShare')!.differences[0]!;
    expect(p.ci95[1]! - p.ci95[0]!).toBeLessThan(d.ci95[1]! - d.ci95[0]!);
    const other = runBundled('huantai/flood-50y', { replications: 300, seed: 5 });
    expect(() =>
      compareStored([
        { name: 'a', result: a },
        { name: 'other', result: other },
      ]),
    ).toThrow(/other: seed 5 .* same seed/);
  });
});
