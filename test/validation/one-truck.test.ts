import { describe, expect, it } from 'vitest';
import { runBundled } from '../helpers.js';

// Derivation in the header of scenarios/validation/one-truck.yaml.
describe('one zone, one warehouse, one truck (derived on paper)', () => {
  const r = runBundled('validation/one-truck');
  const k = r.kpis as Record<string, any>;

  it('relieves 1,500 of 2,400 people (0.625) by the 8 h deadline, in every replication', () => {
    expect(r.kpis.reliefWithinDeadline.mean).toBe(0.625);
    expect(r.kpis.reliefWithinDeadline.perReplication.min).toBe(0.625);
    expect(r.kpis.reliefWithinDeadline.perReplication.max).toBe(0.625);
    expect(r.kpis.reliefWithinDeadline.pTargetMet).toBe(0);
  });
  it('relieves everyone at 630 min = 10.5 h (fifth delivery)', () => {
    expect(k.timeToRelieveAllHours.mean).toBe(10.5);
    expect(k.timeToRelieveAllHours.pWithinHorizon).toBe(1);
  });
  it('meets the target exactly when the deadline is moved to 10.5 h', () => {
    const later = runBundled('validation/one-truck', { deadlineHours: 10.5 });
    expect(later.kpis.reliefWithinDeadline.mean).toBe(1);
    expect(later.kpis.reliefWithinDeadline.pTargetMet).toBe(1);
    const earlier = runBundled('validation/one-truck', { deadlineHours: 10.49 });
    expect(earlier.kpis.reliefWithinDeadline.mean).toBeCloseTo(2000 / 2400, 6);
  });
  it('direct loss is 1e8 x JRC residential(1 m) = 4.94e7 CNY, 4.94% of GDP', () => {
    expect(k.directLossCny.mean).toBeCloseTo(4.94e7, 0);
    expect(r.kpis.lossRatio.mean).toBeCloseTo(0.0494, 10);
  });
  it('displaces the whole zone and strands nobody', () => {
    expect(k.displacedPeople.mean).toBe(2400);
    expect(k.strandedPeople.mean).toBe(0);
  });
  it('keeps the truck busy 5 round trips of 120 min: 600 of 4,320 min', () => {
    // trips: load 30 + 30 out + unload 30 + 30 back = 120, five times = 600, and after the last
    // delivery (nothing left to carry) it drives back to its depot too: 600 of 72 h.
    expect(k.vehicleUtilisation.mean).toBeCloseTo(600 / 4320, 6);
  });
});
