/** What binds relief, measured on the one-truck case where each cause can be set up on paper. */
import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/kpi/summary.js';
import { runLocal } from '../../src/run/local.js';
import { withValue } from '../../src/run/size.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';

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
