import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { floodDemand, floodMortality } from '../../src/perils/flood/demand.js';
import { bandDamage, bandProfile, shareAtOrAbove, sumOverBands } from '../../src/physics/flood/bands.js';
import { damageFraction } from '../../src/physics/flood/damage.js';
import { exceedanceRow, floodFootprint } from '../../src/physics/flood/footprint.js';
import { streamRng } from '../../src/rng/stream.js';
import { compile } from '../../src/scenario/compile.js';
import type { CompiledFlood } from '../../src/scenario/hazards/flood.js';
import { parseScenario } from '../../src/scenario/load.js';

describe('depth bands within a flooded zone (hand-computed)', () => {
  it('a zone whose wet people all stand at 0.6 m displaces and loses as the zone-mean rule does', () => {
    // 20% wet, all at 0.6 m: at or above 0.5 m 20%, at or above 1 m none; band [0.5, 1) mean 0.6.
    const p = bandProfile(0.2, [0.5, 1], [0.2, 0], 1, [0, 0.6, 0]);
    expect(shareAtOrAbove(p, 0.5)).toBeCloseTo(0.2, 12);
    // JRC residential at 0.6 m: 0.327 + 0.1 × (0.494 − 0.327) / 0.5 = 0.3604, on 20% of the value.
    expect(bandDamage(p, 'residential')).toBeCloseTo(0.2 * 0.3604, 12);
    expect(bandDamage(p, 'residential')).toBeCloseTo(0.2 * damageFraction('residential', 0.6), 12);
  });
  it("the research's example: 10% wet at a mean of 0.4 m with 3% at or above 0.5 m displaces 3%, not 0", () => {
    // Bands: [0, 0.5) holds 7% at a mean of 0.35 m → spread over [0.2, 0.5]; [0.5, ∞) holds 3% at 0.7 m → [0.5, 0.9].
    const p = bandProfile(0.1, [0.5], [0.03], 1, [0.35, 0.7]);
    expect(p.bands).toEqual([
      { lo: expect.closeTo(0.2, 12), hi: 0.5, share: expect.closeTo(0.07, 12) },
      { lo: 0.5, hi: expect.closeTo(0.9, 12), share: 0.03 },
    ]);
    expect(shareAtOrAbove(p, 0.5)).toBeCloseTo(0.03, 12);
    expect(sumOverBands(p, 0, () => 1)).toBeCloseTo(0.1, 12); // everyone wet, once
    // Deaths among those above 0.5 m: 3% at their mean depth of 0.7 m.
    expect(sumOverBands(p, 0.5, floodMortality)).toBeCloseTo(0.03 * floodMortality(0.7), 15);
    // Water 25% deeper than mapped: at or above 0.5 m true = 0.4 m mapped: a third of the lower band (0.4–0.5 of 0.2–0.5) and all the upper.
    const deeper = bandProfile(0.1, [0.5], [0.03], 1.25, [0.35, 0.7]);
    expect(shareAtOrAbove(deeper, 0.5)).toBeCloseTo(0.07 / 3 + 0.03, 12);
  });
  it('without mean depths a band is spread over its whole width, the deepest over [d, 2d]', () => {
    const p = bandProfile(0.1, [0.5, 1], [0.04, 0.01], 1);
    expect(p.bands.map((b) => [b.lo, b.hi])).toEqual([
      [0, 0.5],
      [0.5, 1],
      [1, 2],
    ]);
    // At or above 1.5 m: half of the deepest band's 1%.
    expect(shareAtOrAbove(p, 1.5)).toBeCloseTo(0.005, 12);
    expect(shareAtOrAbove(p, 0.75)).toBeCloseTo(0.03 / 2 + 0.01, 12);
  });
  it('rows are interpolated in ln T with the table, and scaled with the flooded share beyond it', () => {
    const table = {
      returnPeriodYears: [10, 100],
      floodedShare: [0.1, 0.2],
      exceedance: {
        depthsM: [0.5],
        share: [[0.02], [0.1]],
        meanDepthM: [
          [0.3, 0.6],
          [0.35, 0.9],
        ],
      },
    };
    // T = √(10·100) = 31.6: halfway in ln T.
    const mid = exceedanceRow(table, Math.sqrt(1000), 0.15);
    expect(mid.row[0]).toBeCloseTo(0.06, 12);
    expect(mid.means).toEqual([expect.closeTo(0.325, 12), expect.closeTo(0.75, 12)]);
    // Beyond 100 years with a flooded share of 0.3: the last row × 1.5.
    expect(exceedanceRow(table, 500, 0.3).row[0]).toBeCloseTo(0.15, 12);
  });
  it('a scenario whose exceedance rows do not fit its table is refused naming the field', () => {
    const text = readFileSync('scenarios/huantai/flood-50y.yaml', 'utf8').replace(
      'floodedShare: [0.01, 0.03, 0.06, 0.09], evacuateTo: Z1,',
      'floodedShare: [0.01, 0.03, 0.06, 0.09], evacuateTo: Z1, exceedance: { depthsM: [0.5], share: [[0.01], [0.02]] },',
    );
    expect(() => parseScenario(text, 'x.yaml')).toThrow(
      /hazards\[0\]\.zones\[0\]\.exceedance\.share: expected one exceedance row per return period/,
    );
  });
});

describe('a link that carries the water along its road', () => {
  it('closes when its deepest point at the event is deeper than closesAtDepthM, with its own wet length, whatever its end zones', () => {
    const text = readFileSync('scenarios/huantai/flood-50y.yaml', 'utf8').replace(
      '- { from: Z1, to: Z2, lengthKm: 7.8, speedKmh: 40, closesAtDepthM: 0.5 }',
      '- { from: Z1, to: Z2, lengthKm: 7.8, speedKmh: 40, closesAtDepthM: 0.5, flood: { returnPeriodYears: [20, 100], maxDepthM: [0.2, 1.0], wetShare: [0.1, 0.3] } }',
    );
    const m = compile(parseScenario(text, 'x.yaml'));
    const h = m.hazards[0]!.spec as CompiledFlood;
    const k = m.links.findIndex((l) => l.flood !== undefined);
    // At 50 years, ln-T halfway-ish: 0.2 + 0.8 × ln(50/20)/ln(100/20) = 0.655 m > 0.5 m → closed,
    // 0.1 + 0.2 × 0.5693 = 0.2139 of it under water. At 20 years 0.2 m: open.
    const frac = Math.log(50 / 20) / Math.log(5);
    for (const [years, closed] of [
      [50, true],
      [20, false],
    ] as const) {
      const fp = floodFootprint(m, { ...h, event: { returnPeriodYears: years } }, streamRng(1, 0, 'flood'));
      const d = floodDemand(m, h, fp, {
        demand: streamRng(1, 0, 'demand'),
        rescueWork: streamRng(1, 0, 'work'),
        reopen: streamRng(1, 0, 'reopen'),
      });
      const c = d.closures.find((x) => x.link === k);
      expect(c !== undefined).toBe(closed);
      if (c) expect(c.wetShare).toBeCloseTo(0.1 + 0.2 * frac, 12);
    }
  });
});
