/**
 * KPI definitions that cannot mislead (hold-out style cases): relief judged only where people were
 * displaced and weighted by people; targets nobody could judge say so; calls after the horizon are
 * censored, not lost; intervals of shares stay in [0, 1].
 */
import { describe, expect, it } from 'vitest';
import { r7, summarise } from '../../src/kpi/summary.js';
import { runLocal } from '../../src/run/local.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario, validateScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';
import { runBundled } from '../helpers.js';

describe('relief in years without victims', () => {
  const name = 'huantai/annual';
  const n = 120;
  const seed = 11;
  const r = runBundled(name, { replications: n, seed });
  // the same years, replication by replication, from their traces
  const model = compile(loadScenario(name).scenario);
  const years = Array.from({ length: n }, (_, i) => traceReplication(model, seed, i).facts);
  const withVictims = years.filter((y) => y.displaced > 0);

  it('are left out: the headline is people relieved / people displaced over the years that had any', () => {
    expect(withVictims.length).toBeGreaterThan(0);
    expect(withVictims.length).toBeLessThan(n); // some years displace nobody
    const relief = r.kpis.reliefWithinDeadline;
    expect(relief.replications).toBe(withVictims.length);
    const relieved = withVictims.reduce((a, y) => a + y.relievedByDeadline, 0);
    const displaced = withVictims.reduce((a, y) => a + y.displaced, 0);
    expect(relief.mean).toBe(r7(relieved / displaced));
    expect(relief.perReplication.n).toBe(withVictims.length);
    const target = r.targets.find((t) => t.id === 'relief-within-deadline')!;
    expect(target.judged).toBe(withVictims.length);
    expect(r.kpis.timeToRelieveAllHours.n).toBeLessThanOrEqual(withVictims.length);
    expect(r.kpis.timeToRelieveAllHours.min).toBeGreaterThan(0); // no "0 h" for a year without victims
  });
});

describe('a target nobody could judge', () => {
  it('is not met vacuously: pMet is null and judged 0', () => {
    // validation/mmc has incidents only: nobody is displaced
    const r = runBundled('validation/mmc', { replications: 1 });
    const relief = r.targets.find((t) => t.id === 'relief-within-deadline')!;
    expect(relief.judged).toBe(0);
    expect(relief.pMet).toBeNull();
    expect(r.kpis.reliefWithinDeadline.mean).toBeNull();
    expect(r.kpis.reliefWithinDeadline.pTargetMet).toBeNull();
  });
});

describe('calls after the horizon', () => {
  it('are censored and counted as missed: 1,200 stranded and a 1-hour horizon do not meet the rescue target', () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const short = { ...scenario, response: { ...scenario.response, horizonHours: 1 } };
    const out = runLocal(short, { replications: 40, seed: 3 });
    const acc = out.acc;
    expect(acc.calls).toBeGreaterThan(acc.responseMinutes.moments.count);
    expect(acc.censoredCalls).toBe(acc.calls - acc.responseMinutes.moments.count);
    const r = summarise(out.model, acc, out.seed);
    expect(r.kpis.responseTimeMinutes.censoredShare).toBe(r7(acc.censoredCalls / acc.calls));
    const target = r.targets.find((t) => t.id === 'response-time')!;
    expect(target.pMet).toBe(0);
    // the same flood with the usual 72 h horizon: fewer calls censored
    const long = runLocal(scenario, { replications: 40, seed: 3 }).acc;
    expect(long.censoredCalls / long.calls).toBeLessThan(acc.censoredCalls / acc.calls);
  });
});

describe('intervals of shares', () => {
  it('stay within [0, 1]', () => {
    for (const name of ['huantai/annual', 'validation/mmc', 'validation/one-truck']) {
      const r = runBundled(name, { replications: name === 'validation/mmc' ? 2 : 30 });
      const k = r.kpis;
      for (const [lo, hi] of [
        k.vehicleUtilisation.ci95,
        k.teamUtilisation.ci95,
        k.reliefWithinDeadline.ci95,
        k.reliefWithinDeadline.perReplication.ci95,
      ]) {
        if (lo !== null) expect(lo, name).toBeGreaterThanOrEqual(0);
        if (hi !== null) expect(hi, name).toBeLessThanOrEqual(1);
      }
      for (const lo of k.reliefCurve.ci95Low) if (lo !== null) expect(lo).toBeGreaterThanOrEqual(0);
      for (const hi of k.reliefCurve.ci95High) if (hi !== null) expect(hi).toBeLessThanOrEqual(1);
    }
  });
});

describe('production-safety deaths (亿元GDP生产安全事故死亡率)', () => {
  it('are the releases\u2019 deaths per 100 million CNY of GDP, against the plans\u2019 0.01', () => {
    const name = 'huantai/annual';
    const r = runBundled(name, { replications: 200, seed: 5 });
    const gdp = loadScenario(name).scenario.district.gdpCnyPerYear;
    const chem = r.kpis.chemical!;
    const target = r.targets.find((t) => t.id === 'production-safety-deaths')!;
    expect(target.threshold).toBe(0.01);
    expect(target.value!).toBeCloseTo(chem.deaths.mean! / (gdp / 1e8), 6);
    expect(chem.deathsPer100MCnyGdp.mean!).toBeCloseTo(chem.deaths.mean! / (gdp / 1e8), 6);
    expect(target.met).toBe(target.value! <= 0.01);
    // event runs have no annual rate to judge
    expect(runBundled(name, { replications: 5, mode: 'event' }).targets.some((t) => t.id === 'production-safety-deaths')).toBe(false);
  });
});

describe('the flood tail in the result', () => {
  it('flags the years beyond the tables (about 1 in 100 for tables up to 100 years) and the exceedance points resting on them', () => {
    const r = runBundled('huantai/annual', { replications: 2000, seed: 9 });
    const share = r.kpis.hazard.extrapolatedShare!;
    // P(annual maximum beyond the 100-year level) = 1%: 20 of 2000 expected, sd ≈ 4.5
    expect(share).toBeGreaterThan(0.002);
    expect(share).toBeLessThan(0.02);
    const ex = r.kpis.annualLossRatio!.exceedance;
    expect(ex.filter((e) => e.extrapolated).map((e) => e.returnPeriod)).toEqual([200, 500, 1000]);
  });
});

describe('forest and reed fires', () => {
  it('put out by the teams is told apart from burned out at a barrier, and reed land from forest land', () => {
    const reed = runBundled('huantai/annual', { replications: 300, seed: 2 }); // Matahu reed land only
    const f = reed.kpis.forestFire!;
    expect(f.fires).toBeGreaterThan(0);
    expect(f.containedWithin24hShare! + f.burnedOutShare!).toBeLessThanOrEqual(1 + 1e-9);
    expect(f.burnedOutShare!).toBeGreaterThan(0);
    expect(f.containedWithin24hShare!).toBeLessThan(f.outWithin24hShare!); // burning out is not putting out
    expect(f.forestBurnedPermille).toBeNull();
    expect(f.grassBurnedPermille!.mean!).toBeGreaterThan(0);
    expect(reed.targets.some((t) => t.id === 'forest-burned')).toBe(false); // 0.45‰ is a forest-land rate
    const t24 = reed.targets.find((t) => t.id === 'forest-fire-24h')!;
    expect(t24.value).toBe(f.containedWithin24hShare);
    const forest = runBundled('zibo-hitech/annual', { replications: 100, seed: 2 });
    expect(forest.kpis.forestFire!.grassBurnedPermille).toBeNull();
    expect(forest.targets.some((t) => t.id === 'forest-burned')).toBe(true);
  });
});

describe('the fire-rescue circle by zone', () => {
  it('adds up to the district figure, and the zone table shows where the circle falls short', async () => {
    const r = runBundled('huantai/annual', { replications: 100, seed: 8 });
    const fire = r.kpis.fire!;
    const byZone = fire.byZone;
    expect(byZone.map((z) => z.zone)).toEqual(r.zones.map((z) => z.id));
    expect(byZone.reduce((a, z) => a + z.fires, 0)).toBe(fire.fires);
    const within = byZone.reduce((a, z) => a + (z.withinCircleShare ?? 0) * z.fires, 0);
    expect(within / fire.fires).toBeCloseTo(fire.withinCircleShare!, 5);
    const { renderTable } = await import('../../src/report/table.js');
    const table = renderTable(r);
    expect(table).toContain('fire ≤ 5 min');
    // the zone the circle serves worst shows its share in its row
    const worst = byZone.filter((z) => z.fires > 0).sort((a, b) => a.withinCircleShare! - b.withinCircleShare!)[0]!;
    expect(worst.withinCircleShare!).toBeLessThan(fire.withinCircleShare!);
    expect(table.split('\n').find((l) => l.startsWith(`${worst.zone} `))).toContain(`${(worst.withinCircleShare! * 100).toFixed(1)}%`);
  });
});

describe('chemical release classes', () => {
  it('each class is a Poisson stream of its own rate; deaths add up over the classes', () => {
    const n = 3000;
    const r = runBundled('huantai/annual', { replications: n, seed: 4 });
    const chem = r.kpis.chemical!;
    const [leak, rupture] = chem.byClass;
    // Poisson means 0.3 and 0.03 a year: 95% bands of ±1.96·√(λ/n)
    expect(leak!.id).toBe('leak');
    expect(Math.abs(leak!.releasesPerReplication! - 0.3)).toBeLessThan(1.96 * Math.sqrt(0.3 / n) * 1.5);
    expect(Math.abs(rupture!.releasesPerReplication! - 0.03)).toBeLessThan(1.96 * Math.sqrt(0.03 / n) * 1.5);
    expect(leak!.deathsPerReplication! + rupture!.deathsPerReplication!).toBeCloseTo(chem.deaths.mean!, 6);
    // chlorine releases are dense; ammonia and hydrogen sulfide flashing at their boiling points are not
    expect(chem.denseShare!).toBeGreaterThan(0);
    expect(chem.denseShare!).toBeLessThan(1);
  });
  it('event mode releases one of the class named by eventClass; an unknown class is refused by name', () => {
    const { scenario } = loadScenario('huantai/annual');
    const hazards = scenario.hazards.map((h) => (h.type === 'chemical' ? { ...h, eventClass: 'rupture' } : h));
    const out = runLocal({ ...scenario, mode: 'event', hazards }, { replications: 50, seed: 1 });
    const r = summarise(out.model, out.acc, out.seed);
    expect(r.kpis.chemical!.byClass.map((c) => c.releasesPerReplication)).toEqual([0, 1]);
    const bad = scenario.hazards.map((h) => (h.type === 'chemical' ? { ...h, eventClass: 'spill' } : h));
    const i = scenario.hazards.findIndex((h) => h.type === 'chemical');
    expect(() => validateScenario({ ...scenario, hazards: bad }, 'x.yaml')).toThrow(
      new RegExp(`hazards\\[${i}\\]\\.eventClass.*unknown release class "spill"`, 's'),
    );
  });
});

describe('direct attack on reed fires', () => {
  it('is taken only within the intensity limit, and smaller fires follow (same ignitions: common random numbers)', () => {
    const { scenario } = loadScenario('huantai/annual');
    const without = scenario.hazards.map((h) => (h.type === 'wildfire' ? { ...h, directAttack: undefined } : h));
    const run = (s: typeof scenario) =>
      summarise(...(({ model, acc, seed }) => [model, acc, seed] as const)(runLocal(s, { replications: 300, seed: 6 })));
    const a = run(scenario).kpis.forestFire!;
    const b = run({ ...scenario, hazards: without }).kpis.forestFire!;
    // the same ignitions; smaller fires leave more reed unburned, so fewer later ignitions find no fuel
    expect(a.fires).toBeGreaterThan(b.fires);
    expect(b.directAttackShare).toBe(0);
    expect(a.directAttackShare!).toBeGreaterThan(0);
    expect(a.directAttackShare!).toBeLessThan(1); // the windiest, driest days are beyond 1,730 kW/m
    expect(a.fireSizeHa!.mean!).toBeLessThan(b.fireSizeHa!.mean!);
    expect(a.containedWithin24hShare!).toBeGreaterThan(b.containedWithin24hShare!);
  });
});
