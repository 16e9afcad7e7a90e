/**
 * Fuel burns once a year (issue 26 item 6). Before 0.13.0 every ignition burned a fresh block, so
 * a year's burned reed land could reach 3,600‰ of the land. Now an area is cut into blocks of its
 * largest fire, a fire burns at most its block's unburned part, and an ignition on burned ground
 * or inside a burning block makes no new fire.
 */
import { describe, expect, it } from 'vitest';
import { blocksOf } from '../../src/perils/wildfire/events.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';

describe('blocks of an area', () => {
  it('1,000 ha in blocks of 40 is 25 blocks; 100 ha in blocks of 30 is 30 + 30 + 30 + 10; no block size is one block', () => {
    expect(blocksOf({ areaHa: 1000, maxFireHa: 40 })).toEqual(Array.from({ length: 25 }, () => 40));
    expect(blocksOf({ areaHa: 100, maxFireHa: 30 })).toEqual([30, 30, 30, 10]);
    expect(blocksOf({ areaHa: 500 })).toEqual([500]);
    expect(blocksOf({ areaHa: 20, maxFireHa: 50 })).toEqual([20]);
  });
});

describe('a year cannot burn more than the land', () => {
  it('120 ha of reeds in blocks of 40, 60 ignitions a year in strong wind, the teams far away: each year burns at most 120 ha', () => {
    const s = loadScenario('huantai/annual').scenario;
    const w = s.hazards.find((h) => h.type === 'wildfire') as any;
    w.areas = [{ ...w.areas[0], areaHa: 120, maxFireHa: 40 }];
    w.ignitionsPerYear = 60;
    w.weather = { ...w.weather, windKmh: 40, relativeHumidityPct: 15, curingPct: 100 };
    w.detectionMinutes = 240; // the fires burn their blocks before anyone arrives
    const model = compile(s);
    let noFuel = 0;
    let fullYears = 0;
    for (let i = 0; i < 40; i++) {
      const events = traceReplication(model, 11, i).events;
      const ignitions = events.filter((e) => e.kind === 'wildfire-ignited').length;
      const out = events.filter((e) => e.kind === 'wildfire-contained');
      const skipped = events.filter((e) => e.kind === 'wildfire-no-fuel').length;
      expect(out.length + skipped, `replication ${i}: every ignition is a fire or finds no fuel`).toBe(ignitions);
      const burned = out.reduce((a, e) => a + (e.areaHa ?? 0), 0);
      expect(burned, `replication ${i}`).toBeLessThanOrEqual(120 + 1e-6);
      // no fire burns more than a block
      for (const e of out) expect(e.areaHa!).toBeLessThanOrEqual(40 + 1e-9);
      noFuel += skipped;
      if (burned > 120 - 1e-6) fullYears++;
    }
    // the cap binds: most years burn all three blocks and later ignitions find nothing left
    expect(fullYears).toBeGreaterThan(30);
    expect(noFuel).toBeGreaterThan(40 * 30);
  });
});
