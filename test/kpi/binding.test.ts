/** What binds relief, measured on the one-truck case where each cause can be set up on paper. */
import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/kpi/summary.js';
import { runLocal } from '../../src/run/local.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { withValue } from '../../src/studies/size.js';

const base = loadScenario('validation/one-truck').scenario;
const waiting = (s: Scenario, deadlineHours?: number) => {
  const out = runLocal(s, { replications: 2, ...(deadlineHours !== undefined && { deadlineHours }) });
  return summarise(out.model, out.acc, out.seed).kpis.reliefWaiting;
};

describe('what binds relief', () => {
  it('one truck: at 8 h 900 of 2,400 wait for it (3 deliveries of 500 made), so trucks bind', () => {
    expect(waiting(base)).toEqual({ deadlineHours: 8, waitingPeople: 900, causes: [{ cause: 'trucks', share: 1, people: 900 }] });
  });
  it('before relief starts (activation at 60 min) everyone waits for it', () => {
    expect(waiting(base, 0.5)?.causes).toEqual([{ cause: 'activation', share: 1, people: 2400 }]);
  });
  it('with food for 1,200 and trucks enough, the other 1,200 wait for food', () => {
    const s = withValue(withValue(base, 'resources.fleet[truck].count', 3), 'resources.warehouses[depot].stock.food', 1200);
    expect(waiting(s)?.causes).toEqual([{ cause: 'stock:food', share: 1, people: 1200 }]);
  });
  it('a road that closes under 1 m of water cuts the shelter off until it reopens (24 h)', () => {
    const s = withValue(base, 'roads.links[0].closesAtDepthM', 0.5);
    expect(waiting(s)?.causes).toEqual([{ cause: 'roads', share: 1, people: 2400 }]);
  });
});

describe('a reserve sized for days (the plans’ 15-day norm)', () => {
  it('needs perPerson a day for its days: 2,400 people × 1 kg × 15 days against 10,000 kg runs out on day 5', () => {
    const s = withValue(withValue(base, 'reliefNorms.food.days', 15), 'reliefNorms.water.days', 15);
    const out = runLocal(s, { replications: 3 });
    const k = summarise(out.model, out.acc, out.seed).kpis.stockouts;
    // food: 36,000 kg needed, 10,000 held: 26,000 short; day 5 is the first not covered (4 × 2,400 = 9,600)
    expect(k['food']).toMatchObject({ days: 15, pStockout: 1, meanShortfallUnits: 26000, shortfallP50: 26000, runsOutDayP50: 5 });
    // water: 108,000 L needed, 30,000 held; 4 days of 7,200 L fit
    expect(k['water']).toMatchObject({ days: 15, meanShortfallUnits: 78000, runsOutDayP50: 5 });
    // day 1 relief does not change: the first day's sets are what the deadline counts
    const day1 = runLocal(base, { replications: 3 });
    expect(out.acc.reliefPeople.ratio).toBe(day1.acc.reliefPeople.ratio);
  });
});
