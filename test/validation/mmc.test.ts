import { describe, expect, it } from 'vitest';
import { runBundled } from '../helpers.js';

/** Erlang C: probability an arrival waits in an M/M/c queue with offered load a = lambda/mu. */
function erlangC(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const top = (term * a) / c / (1 - a / c);
  return top / (sum + top);
}

describe('M/M/c through the scenario engine (scenarios/validation/mmc.yaml)', () => {
  const lambda = 4; // per hour
  const mu = 1; // per hour
  const c = 5;
  const pWait = erlangC(c, lambda / mu);
  const wqMinutes = (pWait / (c * mu - lambda)) * 60;
  const result = runBundled('validation/mmc', { replications: 12 });
  const rt = result.kpis.responseTimeMinutes;

  it('Erlang C for the case is 0.5541 and Wq = 33.25 min (hand check of the closed form)', () => {
    expect(pWait).toBeCloseTo(0.554113, 5);
    expect(wqMinutes).toBeCloseTo(33.2468, 3);
  });
  it('mean response (= wait, with zero travel and turnout) matches Erlang C within its 95% CI', () => {
    expect(rt.ci95[0]!).toBeLessThanOrEqual(wqMinutes);
    expect(rt.ci95[1]!).toBeGreaterThanOrEqual(wqMinutes);
    expect(rt.ci95[1]! - rt.ci95[0]!).toBeLessThan(3); // and the interval is tight
  });
  it('P(wait <= 60 min) matches 1 - C exp(-(c mu - lambda) t)', () => {
    const expected = 1 - pWait * Math.exp(-(c * mu - lambda) * 1);
    expect(rt.withinThresholdShare!).toBeCloseTo(expected, 2);
  });
  it('the share of zero waits is 1 - C (quantile at 0.40 is zero, at 0.50 positive)', () => {
    expect(rt.min).toBe(0);
    expect(rt.p50!).toBeGreaterThan(0);
  });
});
