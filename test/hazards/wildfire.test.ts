import { describe, expect, it } from 'vitest';
import {
  burnedHa,
  containmentTime,
  forestFdi,
  grasslandFdi,
  hoursToBurn,
  lengthToBreadth,
  perimeterRateMPerH,
  rateOfSpreadMPerH,
} from '../../src/hazards/wildfire/spread.js';

const w = { temperatureC: 15, relativeHumidityPct: 35, windKmh: 15, curingPct: 90, droughtFactor: 10 };

describe('McArthur fire danger (Noble et al. 1980)', () => {
  it('grassland FDI: 2 exp(−23.6 + 5.01 ln 90 + 0.0281·15 − 0.226 √35 + 0.633 √15) = 3.2325', () => {
    const expected = 2 * Math.exp(-23.6 + 5.01 * Math.log(90) + 0.0281 * 15 - 0.226 * Math.sqrt(35) + 0.633 * Math.sqrt(15));
    expect(grasslandFdi(w)).toBeCloseTo(expected, 12);
    expect(grasslandFdi(w)).toBeCloseTo(3.2325, 3);
    expect(rateOfSpreadMPerH('grass', w, 4.5)).toBeCloseTo(130 * 3.2325, 0); // R = 0.13 GFDI km/h
  });
  it('forest FDI at D 10, RH 20, T 30, U 30 is 2 exp(−0.45 + 0.987 ln 10 − 0.69 + 1.014 + 0.702) = 34.53', () => {
    const v = { ...w, relativeHumidityPct: 20, temperatureC: 30, windKmh: 30 };
    expect(forestFdi(v)).toBeCloseTo(2 * Math.exp(-0.45 + 0.987 * Math.log(10) - 0.0345 * 20 + 0.0338 * 30 + 0.0234 * 30), 10);
    expect(forestFdi(v)).toBeCloseTo(34.53, 2);
    expect(rateOfSpreadMPerH('forest', v, 10)).toBeCloseTo(1.2 * forestFdi(v) * 10, 9); // 0.0012 FFDI W km/h
  });
  it('spreads faster in more wind and less humidity', () => {
    expect(grasslandFdi({ ...w, windKmh: 30 })).toBeGreaterThan(grasslandFdi(w));
    expect(grasslandFdi({ ...w, relativeHumidityPct: 60 })).toBeLessThan(grasslandFdi(w));
  });
});

describe('fire shape (Alexander 1985) and containment (line built = perimeter)', () => {
  it('a calm fire is a circle (LB 1); LB rises with wind', () => {
    expect(lengthToBreadth(0)).toBe(1);
    expect(lengthToBreadth(30)).toBeGreaterThan(lengthToBreadth(10));
  });
  it('area of a circle of diameter R·t, and its inverse', () => {
    const s = { rateMPerH: 200, lb: 1 };
    expect(burnedHa(s, 1)).toBeCloseTo((Math.PI * 100 * 100) / 10_000, 10);
    expect(hoursToBurn(s, burnedHa(s, 2.5))).toBeCloseTo(2.5, 10);
    expect(perimeterRateMPerH(s)).toBeCloseTo(Math.PI * 200, 10);
  });
  it('two teams at 1 h and 2 h, 800 m/h each, against 1,000 m/h of perimeter: contained at 4 h', () => {
    // one team cannot keep up (800 < 1000); with two: 800(t−1) + 800(t−2) = 1000 t → t = 4
    expect(containmentTime(0, 1000, [2, 1], 800)).toBeCloseTo(4, 12);
  });
  it('one fast team: 1,200 (t − 1) = 1,000 t → 6 h; too slow a team never contains it', () => {
    expect(containmentTime(0, 1000, [1], 1200)).toBeCloseTo(6, 12);
    expect(containmentTime(0, 1000, [1], 900)).toBe(Infinity);
    expect(containmentTime(0, 1000, [], 900)).toBe(Infinity);
  });
});
