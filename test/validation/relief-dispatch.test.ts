import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { summarise } from '../../src/kpi/summary.js';
import { runLocal } from '../../src/run/local.js';
import { validateScenario } from '../../src/scenario/load.js';

const base = (): any => parse(readFileSync('scenarios/validation/one-truck.yaml', 'utf8'));
const run = (s: any) => {
  const out = runLocal(validateScenario(s, 'test.yaml'));
  return summarise(out.model, out.acc, out.seed);
};

/**
 * Two flooded zones on a line from the depot B: N (near, 30 km, 400 people) and F (far, 60 km
 * beyond B via N, 1,000 people). One truck of 2,000 kg carries 500 people's 4 kg sets.
 * Trip times from loading at 60 min: to N, deliver after 30+30+30 = 90 min; to F, 30+60+30 = 120.
 */
function twoZones(policy: string): any {
  const s = base();
  s.district.zones = [
    { id: 'N', name: 'Near', population: 400, households: 130, assetsCny: {}, position: { xKm: 30, yKm: 0 }, localTravelKm: 0 },
    { id: 'F', name: 'Far', population: 1000, households: 330, assetsCny: {}, position: { xKm: 60, yKm: 0 }, localTravelKm: 0 },
    { id: 'B', name: 'Depot', population: 0, households: 0, assetsCny: {}, position: { xKm: 0, yKm: 0 } },
  ];
  s.roads.links = [
    { from: 'B', to: 'N', lengthKm: 30, speedKmh: 60, closesAtDepthM: 5 },
    { from: 'N', to: 'F', lengthKm: 30, speedKmh: 60, closesAtDepthM: 5 },
  ];
  s.hazards[0].zones = [
    { zone: 'N', returnPeriodYears: [50], depthM: [1], floodedShare: [1] },
    { zone: 'F', returnPeriodYears: [50], depthM: [1], floodedShare: [1] },
  ];
  s.response.reliefDispatch = policy;
  s.targets.reliefDeadlineHours = 2.5; // 150 min: exactly one delivery fits
  return s;
}

describe('relief dispatch order', () => {
  it('nearest-first (先近后远) serves the near zone first: 400 of 1,400 relieved by 150 min', () => {
    // first trip goes to N with 400 sets (1,600 kg), delivered at 60 + 90 = 150 min
    const r = run(twoZones('nearest-first'));
    expect(r.kpis.reliefWithinDeadline.mean).toBeCloseTo(400 / 1400, 6);
    expect(r.zones.find((z) => z['id'] === 'N')!['reliefWithinDeadline']).toBe(1);
  });
  it('most-people-first serves the far, larger zone first: 500 relieved, delivered at 180 min', () => {
    const late = run(twoZones('most-people-first'));
    expect(late.kpis.reliefWithinDeadline.mean).toBe(0); // 60 + 120 = 180 min > 150
    const s = twoZones('most-people-first');
    s.targets.reliefDeadlineHours = 3;
    expect(run(s).kpis.reliefWithinDeadline.mean).toBeCloseTo(500 / 1400, 6);
  });
});

describe('stock-outs', () => {
  it('reports the shortfall and relieves only as many people as the scarcest item covers', () => {
    const s = base();
    s.resources.warehouses[0].stock.water = 3000; // covers 1,000 people; 2,400 need 7,200 L
    s.targets.reliefDeadlineHours = 24;
    const r = run(s);
    const k = r.kpis as Record<string, any>;
    // day 1 only: 7,200 L needed, 3,000 held; it runs out on day 1
    expect(k.stockouts.water).toEqual({
      pStockout: 1,
      meanShortfallUnits: 4200,
      days: 1,
      shortfallP50: 4200,
      shortfallP90: 4200,
      runsOutDayP50: 1,
    });
    expect(k.stockouts.food).toEqual({
      pStockout: 0,
      meanShortfallUnits: 0,
      days: 1,
      shortfallP50: 0,
      shortfallP90: 0,
      runsOutDayP50: null,
    });
    expect(r.kpis.reliefWithinDeadline.mean).toBeCloseTo(1000 / 2400, 6);
    expect(k.timeToRelieveAllHours.pWithinHorizon).toBe(0);
  });
  it('mutual aid arriving in time closes the gap', () => {
    const s = base();
    s.resources.warehouses[0].stock.water = 3000;
    s.resources.mutualAid = [{ id: 'city', from: 'City', arrivesAfterHours: 2, warehouse: 'depot', stock: { water: 4200 } }];
    s.targets.reliefDeadlineHours = 24;
    const r = run(s);
    expect((r.kpis as any).stockouts.water.pStockout).toBe(0);
    expect(r.kpis.reliefWithinDeadline.mean).toBe(1);
  });
});
