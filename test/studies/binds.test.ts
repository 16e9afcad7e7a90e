/**
 * What binds, by counterfactual, on the one-truck case computed on paper (scenarios/validation/
 * one-truck.yaml): 2,400 displaced, one truck delivering 500 people's sets at 150, 270, 390, 510
 * and 630 min; deadline 8 h. Base 1,500 / 2,400 = 62.5%. Trucks ×20: five trucks' loads at 150
 * min, everyone (100%, +37.5 points). Activation 0: deliveries 60 min earlier (90, 210, 330, 450),
 * four before 480 min, 2,000 / 2,400 = 83.3% (+20.8). Stocks (10,000 kg food, 30,000 L water for
 * 2,400 + 7,200 needed), roads (close at 5 m, the water is 1 m) and the rescue team bind nothing.
 * With everything else relaxed, keeping one truck costs 16.7 points (activation 0 alone: 83.3%).
 */
import { describe, expect, it } from 'vitest';
import { renderBinds } from '../../src/report/binds.js';
import { loadScenario } from '../../src/scenario/load.js';
import { findBinds, ratioDifferenceCi, relaxations } from '../../src/studies/binds.js';
import { dsim } from '../helpers.js';

describe('what binds, by counterfactual', () => {
  it('names the truck on the one-truck case, with the gains computed on paper', async () => {
    const { scenario } = loadScenario('scenarios/validation/one-truck.yaml');
    expect(relaxations(scenario).map((r) => r.id)).toEqual(['stock:food', 'stock:water', 'trucks', 'teams:rescue', 'roads', 'activation']);
    const b = await findBinds(scenario, { replications: 20 });
    expect(b.base).toEqual({ share: 0.625, pMet: 0 });
    const alone = Object.fromEntries(b.alone.map((e) => [e.ids[0], [e.shareDelta, e.shareDeltaCi95, e.pMetDelta]]));
    expect(alone).toEqual({
      'stock:food': [0, [0, 0], 0],
      'stock:water': [0, [0, 0], 0],
      trucks: [0.375, [0.375, 0.375], 1],
      'teams:rescue': [0, [0, 0], 0],
      roads: [0, [0, 0], 0],
      activation: [0.2083333, [0.2083333, 0.2083333], 0],
    });
    expect(b.all.share).toBe(1);
    expect(b.allBut.map((e) => e.shareDelta)).toEqual([0, 0, -0.1666667, 0, 0, 0]);
    expect(b.matters).toEqual(['trucks', 'activation']);
    expect(b.smallest?.ids).toEqual(['trucks']);
    expect(renderBinds(b, 'en')).toContain(
      'With trucks ×20 alone, the share relieved within 8 h rises from 62.5% to 100.0%, reaching the 100.0% target.',
    );
  });

  it('on Huantai’s 50-year flood, bedding and first-aid kits bind together: neither alone moves the share, both do', async () => {
    const { scenario } = loadScenario('scenarios/huantai/flood-50y.yaml');
    const b = await findBinds(scenario, { replications: 60 });
    const alone = (id: string) => b.alone.find((e) => e.ids[0] === id)!;
    const without = (id: string) => b.allBut[b.relaxations.findIndex((r) => r.id === id)]!;
    // Alone, more bedding changes nothing (first-aid kits still run out); with everything else
    // plentiful, lacking either costs over 15 points, its interval clear of 0.
    expect(alone('stock:bedding').shareDelta).toBe(0);
    for (const id of ['stock:bedding', 'stock:medical']) expect(without(id).shareDeltaCi95[1]).toBeLessThan(-0.15);
    const pair = b.bestBySize[0]!;
    expect(pair.ids).toEqual(['stock:bedding', 'stock:medical']);
    expect(pair.shareDeltaCi95[0]).toBeGreaterThan(alone('stock:medical').shareDelta! + 0.1);
    // Every interval printed lies within what a change of share can be.
    for (const e of [...b.alone, b.all, ...b.allBut, ...b.bestBySize])
      for (const v of [...e.shareDeltaCi95, ...e.pMetDeltaCi95]) if (v !== null) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('the change in the share relieved has a ratio estimator’s interval over batches, centred on the change (hand-computed)', () => {
    // batches (relieved, displaced): base (1, 2), (2, 4), (0, 0); variant (2, 2), (3, 4), (0, 0).
    // R = 3/6 and 5/6; x̄ = 2; linearised differences 1/6, −1/6, 0; variance 1/36; t(2) = 4.302653:
    // 1/3 ± 4.302653·√(1/108) = [−0.0807, 0.7474].
    const [lo, hi] = ratioDifferenceCi(
      [
        { relieved: 1, displaced: 2 },
        { relieved: 2, displaced: 4 },
        { relieved: 0, displaced: 0 },
      ],
      [
        { relieved: 2, displaced: 2 },
        { relieved: 3, displaced: 4 },
        { relieved: 0, displaced: 0 },
      ],
    );
    expect(lo).toBeCloseTo(1 / 3 - 4.302653 * Math.sqrt(1 / 108), 5);
    expect(hi).toBeCloseTo(1 / 3 + 4.302653 * Math.sqrt(1 / 108), 5);
    // nothing displaced: no interval
    expect(
      ratioDifferenceCi(
        [
          { relieved: 0, displaced: 0 },
          { relieved: 0, displaced: 0 },
        ],
        [
          { relieved: 0, displaced: 0 },
          { relieved: 0, displaced: 0 },
        ],
      ),
    ).toEqual([null, null]);
  });

  it('in an annual run (most years without a flood) every change lies inside its own interval', async () => {
    // before: a mean of per-batch shares gave "all relaxed +62.2 [+0.4, +38.4]" on this run
    const { scenario } = loadScenario('scenarios/huantai/annual.yaml');
    const b = await findBinds(scenario, { replications: 200 });
    for (const e of [b.all, ...b.alone, ...b.allBut, ...b.bestBySize]) {
      const [lo, hi] = e.shareDeltaCi95;
      if (lo === null || hi === null) continue;
      expect(lo).toBeLessThanOrEqual(e.shareDelta! + 1e-7);
      expect(hi).toBeGreaterThanOrEqual(e.shareDelta! - 1e-7);
    }
    expect(b.all.shareDeltaCi95[0]).toBeGreaterThan(0.3);
  });

  it('dsim binds prints the table and the answer in Chinese', async () => {
    const r = await dsim('binds', 'scenarios/validation/one-truck.yaml', '-n', '20', '--lang', 'zh');
    expect([r.code, r.err]).toEqual([0, expect.any(String)]);
    expect(r.out).toContain('仅运输车辆增至 20 倍，8 小时救助比例即由 62.5% 升至 100.0%，达到 100.0% 的目标。');
    expect(r.out).toContain('除运输车辆增至 20 倍外全部放宽');
  });

  it('dsim size on a stock that cannot reach the target says what binds instead', async () => {
    // Food never binds on the one-truck case: even 20,000 kg leaves the share at 62.5%; the truck binds.
    const r = await dsim(
      'size',
      'scenarios/validation/one-truck.yaml',
      '--vary',
      'resources.warehouses[depot].stock.food',
      '--target',
      'relief-within-deadline',
      '--max',
      '20000',
      '-n',
      '40',
      '--workers',
      '1',
      '--lang',
      'en',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Not reached');
    expect(r.out).toContain(
      'Something else binds: at Depot · food (kg) = 20000, each other constraint relaxed on the same replications (dsim binds): With trucks ×20 alone, the share relieved within 8 h rises from 62.5% to 100.0%',
    );
  });
});
