import { describe, expect, it } from 'vitest';
import { RoadNetwork } from '../../src/network/roads.js';

describe('road travel times', () => {
  it('keep vehicles of unlimited speed apart from boats crossing flooded links, whichever asks first', () => {
    // A –10 km– B, closed with half its length under water; boats cross the wet half at 8 km/h
    const make = () => {
      const r = new RoadNetwork(2, [{ from: 0, to: 1, lengthKm: 10, speedKmh: 50 }]);
      r.close(0, 0.5);
      return r;
    };
    const boat = (5 / 50) * 60 + (5 / 8) * 60; // 6 + 37.5 min
    const a = make();
    expect(a.minutes(0, 1, Infinity)).toBe(Infinity);
    expect(a.minutes(0, 1, Infinity, 8)).toBeCloseTo(boat, 12);
    const b = make();
    expect(b.minutes(0, 1, Infinity, 8)).toBeCloseTo(boat, 12);
    expect(b.minutes(0, 1, Infinity)).toBe(Infinity);
  });
});
