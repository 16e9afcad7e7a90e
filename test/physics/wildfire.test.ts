import { describe, expect, it } from 'vitest';
import {
  burnedHa,
  containmentTime,
  forestFdi,
  grasslandFdi,
  headIntensityKwPerM,
  hoursToBurn,
  lengthToBreadth,
  perimeterPerMetre,
  perimeterRateMPerH,
  rateOfSpreadMPerH,
  spreadM,
} from '../../src/physics/wildfire/spread.js';

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
  it("an ellipse's perimeter as BehavePlus computes it, against the exact integral", () => {
    // 4 ∫₀^{π/2} √(a² sin² t + b² cos² t) dt for a = 1/2, b = 1/(2 LB), by the midpoint rule
    const exact = (lb: number): number => {
      const n = 20_000;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const t = ((i + 0.5) / n) * (Math.PI / 2);
        sum += Math.sqrt(0.25 * Math.sin(t) ** 2 + (0.25 / lb ** 2) * Math.cos(t) ** 2);
      }
      return (4 * sum * (Math.PI / 2)) / n;
    };
    // LB 5: h = (4/6)² = 4/9, π·(1/2)(6/5)(1 + 1/9 + 1/324) = 2.10021 against 2.10100 exact
    expect(perimeterPerMetre(5)).toBeCloseTo(Math.PI * 0.6 * (1 + 1 / 9 + 1 / 324), 12);
    expect(perimeterPerMetre(5)).toBeCloseTo(2.10021, 5);
    for (const lb of [1, 2, 5, lengthToBreadth(200)]) expect(Math.abs(perimeterPerMetre(lb) / exact(lb) - 1)).toBeLessThan(0.0014);
    // π (a + b) alone, what dsim used before 0.13.0, is 10% short at LB 5
    expect((Math.PI * 0.6) / exact(5)).toBeCloseTo(0.897, 3);
  });
  // A circle (LB 1) spreading at 1000/π m/h has 1,000 m/h of perimeter.
  const steady = { rateMPerH: 1000 / Math.PI, lb: 1 };
  const crews = (rate: number, ...at: number[]) => at.map((arrivalHours) => ({ arrivalHours, lineMPerHour: rate }));
  it('two teams at 1 h and 2 h, 800 m/h each, against 1,000 m/h of perimeter: contained at 4 h', () => {
    // one team cannot keep up (800 < 1000); with two: 800(t−1) + 800(t−2) = 1000 t → t = 4
    expect(containmentTime(0, steady, crews(800, 2, 1))).toBeCloseTo(4, 9);
  });
  it('one fast team: 1,200 (t − 1) = 1,000 t → 6 h; too slow a team never contains it', () => {
    expect(containmentTime(0, steady, crews(1200, 1))).toBeCloseTo(6, 9);
    expect(containmentTime(0, steady, crews(900, 1))).toBe(Infinity);
    expect(containmentTime(0, steady, [])).toBe(Infinity);
  });
  it('a wind-driven ellipse (LB 5) at 1,000/2.10021 m/h has 1,000 m/h of perimeter: 1,200 (t − 1) = 1,000 t → 6 h', () => {
    // with π (a + b) the perimeter would grow at 897.6 m/h and the same team close it at 4.03 h
    const ellipse = { rateMPerH: 1000 / perimeterPerMetre(5), lb: 5 };
    expect(perimeterRateMPerH(ellipse)).toBeCloseTo(1000, 9);
    expect(containmentTime(0, ellipse, crews(1200, 1))).toBeCloseTo(6, 9);
    expect(containmentTime(0, ellipse, crews(950, 1))).toBe(Infinity);
  });
  it('teams of different rates: 1,500 (t − 1) + 300 (t − 1.5) = 1,000 t → t = 2.4375 h', () => {
    const mixed = [
      { arrivalHours: 1, lineMPerHour: 1500 },
      { arrivalHours: 1.5, lineMPerHour: 300 },
    ];
    // 1,500 alone: 1500(t−1) = 1000t → t = 3 > 1.5, so the second team joins: 1800t − 1950 = 1000t
    expect(containmentTime(0, steady, mixed)).toBeCloseTo(1950 / 800, 9);
  });
});

describe('build-up from a point ignition (FBP System, ST-X-3 eq. 70)', () => {
  const a = 0.115 * 60; // per hour
  const s = { rateMPerH: 600, lb: 1, accelPerH: a };
  it('head distance R (t − (1 − e^{−αt})/α): 600 (0.5 − (1 − e^{−3.45})/6.9) = 215.8 m after 30 min', () => {
    expect(spreadM(s, 0.5)).toBeCloseTo(600 * (0.5 - (1 - Math.exp(-3.45)) / 6.9), 9);
    expect(spreadM(s, 0.5)).toBeCloseTo(215.8, 1);
    // lags the steady fire by R/α = 87 m once built up
    expect(600 * 10 - spreadM(s, 10)).toBeCloseTo(600 / 6.9, 6);
  });
  it('burned area and its inverse with build-up', () => {
    expect(hoursToBurn(s, burnedHa(s, 1.7))).toBeCloseTo(1.7, 9);
    expect(burnedHa(s, 1)).toBeLessThan(burnedHa({ rateMPerH: 600, lb: 1 }, 1));
  });
  it('a team that beats the build-up: 1,500 m/h of line from 3 min against a perimeter of π·D(t)', () => {
    // π·600 = 1,885 m/h of perimeter at steady spread: 1,500 m/h catches the fire only while it
    // builds up (before 0.23 h, when the perimeter's growth reaches 1,500 m/h), never a steady one
    const t = containmentTime(0, s, [{ arrivalHours: 0.05, lineMPerHour: 1500 }]);
    expect(1500 * (t - 0.05)).toBeCloseTo(Math.PI * spreadM(s, t), 6);
    expect(t).toBeLessThan(0.2302);
    expect(containmentTime(0, { rateMPerH: 600, lb: 1 }, [{ arrivalHours: 0.05, lineMPerHour: 1500 }])).toBe(Infinity);
    expect(containmentTime(0, s, [{ arrivalHours: 0.5, lineMPerHour: 1500 }])).toBe(Infinity);
  });
  it("Byram's head intensity H w R(t): 18,000 kJ/kg × 0.6 kg/m² × 600/3600 m/s = 1,800 kW/m at steady state", () => {
    expect(headIntensityKwPerM(s, 6, 100)).toBeCloseTo(1800, 6);
    expect(headIntensityKwPerM(s, 6, 0.1)).toBeCloseTo(1800 * (1 - Math.exp(-0.69)), 6);
  });
});
