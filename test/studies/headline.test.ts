/**
 * One definition per number (issue 24 item 2): the headline share relieved within the deadline —
 * people relieved / people displaced, summed over the replications — is the same figure whichever
 * command computes it, for one scenario and seed: run, compare, sweep, size and binds, the run
 * report's KPI table and what-binds section and the drill's evaluation sheet print it. (The API returns the run's JSON byte for
 * byte: test/api/server.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { buildDrill } from '../../src/drill/build.js';
import { renderDrill } from '../../src/drill/render.js';
import { formatPercent } from '../../src/i18n/format.js';
import { summarise } from '../../src/kpi/summary.js';
import { renderReport } from '../../src/report/html.js';
import { runLocal } from '../../src/run/local.js';
import { ThreadExecutor } from '../../src/run/thread.js';
import { loadScenario } from '../../src/scenario/load.js';
import { findBinds } from '../../src/studies/binds.js';
import { comparePaired, runSweep } from '../../src/studies/compare.js';
import { sizeReserve, withValue } from '../../src/studies/size.js';

describe('the headline share relieved', () => {
  it('is identical across run, compare, sweep, size, binds, the report and the drill on Huantai’s 50-year flood', async () => {
    const { scenario } = loadScenario('scenarios/huantai/flood-50y.yaml');
    const n = 120;
    const result = (s: typeof scenario) => {
      const o = runLocal(s, { replications: n });
      return summarise(o.model, o.acc, o.seed).kpis.reliefWithinDeadline;
    };
    const run = result(scenario);
    expect(run.mean).toBeGreaterThan(0.3);
    const path = 'resources.warehouses[county-reserve].stock.medical';
    const more = withValue(scenario, path, 100_000);
    const c = await comparePaired(
      [
        { name: 'base', scenario },
        { name: 'same', scenario },
        { name: 'more kits', scenario: more },
      ],
      { replications: n },
    );
    const head = c.metrics[0]!;
    expect(head.id).toBe('reliefWithinDeadline');
    expect(head.values[0]).toBe(run.mean);
    // The same scenario again: a difference of exactly 0; more first-aid kits: the runs' own difference.
    expect([head.differences[0]!.mean, head.differences[0]!.ci95]).toEqual([0, [0, 0]]);
    const moreRun = result(more).mean!;
    expect(head.values[2]).toBe(moreRun);
    expect(head.differences[1]!.mean).toBeCloseTo(moreRun - run.mean!, 6);
    const d = head.differences[1]!;
    expect(d.ci95[0]!).toBeLessThanOrEqual(d.mean!);
    expect(d.ci95[1]!).toBeGreaterThanOrEqual(d.mean!);
    // Paired: narrower than two independent runs' interval.
    expect(d.ci95[1]! - d.ci95[0]!).toBeLessThan(d.unpairedCi95[1]! - d.unpairedCi95[0]!);
    const current = (scenario.resources.warehouses.find((w) => w.id === 'county-reserve')!.stock as Record<string, number>)['medical']!;
    const sweep = await runSweep(scenario, [{ path, values: [current, 100_000] }], { replications: n });
    expect(sweep.metrics[0]!.values).toEqual([run.mean, moreRun]);
    // size: a probe's share is the run's at that value
    const executor = new ThreadExecutor();
    try {
      const sizing = await sizeReserve(scenario, {
        path,
        target: 'relief-within-deadline',
        min: current,
        max: 100_000,
        confidence: 0.9,
        integer: true,
        replications: n,
        executor,
      });
      // the first probe is the largest value: the same share as a run with it
      expect(sizing.probes.find((p) => p.value === 100_000)!.share).toBe(moreRun);
    } finally {
      await executor.close();
    }
    const b = await findBinds(scenario, { replications: n });
    expect(b.base.share).toBe(run.mean);
    // the report: the KPI row and the what-binds base row, both the same percentage
    const o = runLocal(scenario, { replications: n });
    const r = summarise(o.model, o.acc, o.seed);
    const html = renderReport(r, 'en', undefined, b);
    const shown = formatPercent(run.mean);
    expect(html).toContain(`<td>Share of displaced relieved within 10 h</td><td>${n}</td><td>${shown}</td>`);
    expect(html).toContain(`<td>base (nothing relaxed)</td><td>${shown}</td>`);
    // the drill's evaluation sheet: the district's share beside the drilled replication's
    const drill = await buildDrill(scenario, { replications: n });
    const row = drill.evaluation.find((e) => e.id === 'obs:relief-share')!;
    expect(row.runMean).toBe(run.mean);
    const md = renderDrill(drill, 'md', { lang: 'en', audience: 'controller', compress: 1 });
    const line = md.split('\n').find((l) => l.startsWith('| Share of displaced people relieved within the deadline'));
    expect(line).toContain(`| mean ${shown} (95% confidence interval `);
  });
});
