import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOSS_BIAS } from '../../src/kpi/loss-bias.js';
import { backtest, loadEvents, midRankPercentile } from '../../src/studies/backtest.js';
import { dsim, runBundled } from '../helpers.js';

describe('back-tests against real events', () => {
  it('the mid-rank percentile by hand', () => {
    expect(midRankPercentile([1, 2, 3, 4], 2.5)).toBe(0.5);
    expect(midRankPercentile([1, 2, 3, 4], 2)).toBe(0.375); // one below, one equal: (1 + ½)/4
    expect(midRankPercentile([1, 2, 3, 4], 0)).toBe(0);
    expect(midRankPercentile([1, 2, 3, 4], 9)).toBe(1);
    expect(midRankPercentile([0, 0, 0, 0], 0)).toBe(0.5);
  });
  it('place the observation among the same replications a run counts (same seed, same streams)', () => {
    const [ev] = loadEvents('validation/historical/events.json');
    const rows = backtest(ev!, 200);
    const run = runBundled(ev!.scenario, { replications: 200 });
    const deaths = rows.find((r) => r.metric === 'chemical.deaths')!;
    expect(deaths.replications).toBe(200);
    expect(deaths.mean).toBeCloseTo(run.kpis.chemical!.deaths.mean!, 4);
    expect(deaths.observed).toBe(28); // villagers poisoned (the lorry driver died in the crash)
    expect(deaths.p05).toBeLessThanOrEqual(deaths.p50);
    expect(deaths.p50).toBeLessThanOrEqual(deaths.p95);
    const evac = rows.find((r) => r.metric === 'chemical.evacuated')!;
    expect(evac.mean).toBeCloseTo(run.kpis.chemical!.exposedAboveAegl[1]!, -1); // the AEGL-2 zone is who is evacuated
  });
  it('the loss bias every report prints is what the back-tests measure (median modelled / observed, within 10%)', () => {
    const events = loadEvents('validation/historical/events.json');
    const ratio = (id: string, metric: string) => {
      const ev = events.find((e) => e.id === id)!;
      const row = backtest(ev, ev.replications).find((r) => r.metric === metric)!;
      return row.p50 / row.observed;
    };
    const flood = ratio('shouguang-2019-flood', 'lossCny');
    const fire = ratio('china-2021-fires', 'fire.lossPerFire');
    expect(Math.abs(flood / LOSS_BIAS.flood - 1), `flood: measured ${flood.toFixed(2)}`).toBeLessThan(0.1);
    expect(Math.abs(fire / LOSS_BIAS.fire - 1), `fire: measured ${fire.toFixed(2)}`).toBeLessThan(0.1);
  });
  it('an events file with a wrong field is refused naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-bt-'));
    const file = join(dir, 'events.json');
    const good = { metric: 'chemical.deaths', observed: 1, label: 'x', source: 'y' };
    const ev = { id: 'e', name: 'E', scenario: 'validation/historical/huaian-2005-chlorine', replications: 10, source: 's' };
    writeFileSync(file, JSON.stringify({ kind: 'dsim.backtests', events: [{ ...ev, observations: [{ ...good, metric: 'bogus' }] }] }));
    expect(() => loadEvents(file)).toThrow(new RegExp(`${file}: events\\.0\\.observations\\.0\\.metric`));
    writeFileSync(
      file,
      JSON.stringify({ kind: 'dsim.backtests', events: [{ ...ev, scenario: '../../etc/passwd', observations: [good] }] }),
    );
    expect(() => loadEvents(file)).toThrow(/events\.0\.scenario/);
    writeFileSync(file, '{ not json');
    expect(() => loadEvents(file)).toThrow(new RegExp(`${file}: cannot read`));
  });
  it('dsim backtest prints one row per observation', async () => {
    const r = await dsim('backtest', '--replications', '20');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => /^(huaian|shouguang|china)-/.test(l))).toHaveLength(7);
  });
});
