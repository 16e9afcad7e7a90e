/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser: headless Chromium (Debian's, installed by .ci/run) driven by
 * playwright-core. Skipped, saying so, where no chromium is installed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { geometryOf, renderReport } from '../../src/report/html.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runBundled } from '../helpers.js';
import { CHROMIUM, openPage, SHOTS } from './chromium.js';

describe.skipIf(!CHROMIUM)('the HTML report in headless Chromium', () => {
  for (const [name, lang] of [
    ['huantai/annual', 'zh'],
    ['huantai/flood-50y', 'en'],
  ] as const) {
    it(`${name} (${lang}): charts drawn with data, no console errors, no network requests`, async () => {
      const r = runBundled(name, { replications: 200 });
      const dir = mkdtempSync(join(tmpdir(), 'dsim-report-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, renderReport(r, lang, geometryOf(loadScenario(name).scenario)));
      const { browser, page, errors, requests } = await openPage(pathToFileURL(file).href, { width: 900, height: 1200 });
      try {
        await page.waitForFunction(() => (window as unknown as { __dsimCharts?: number }).__dsimCharts !== undefined);
        const charts = await page.evaluate(() => (window as unknown as { __dsimCharts: number }).__dsimCharts);
        // ink (non-transparent pixels) on the canvases of each chart container shown
        const inkByChart = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.chart')]
            .filter((el) => el.style.display !== 'none')
            .map((el) => {
              let ink = 0;
              for (const c of el.querySelectorAll('canvas')) {
                const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
                for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) ink++;
              }
              return [el.id, ink] as const;
            }),
        );
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
        // relief, response, stock-outs, what binds, the map, and the exceedance curve in annual runs
        const expected = ['relief', 'response', ...(r.kpis.annualLossRatio ? ['exceedance'] : []), 'stockouts', 'binds', 'map'];
        expect(charts).toBe(expected.length);
        expect(inkByChart.map(([id]) => id)).toEqual(expected);
        for (const [id, ink] of inkByChart) expect(ink, id).toBeGreaterThan(1000); // something was drawn on each
        const text = await page.textContent('body');
        if (lang === 'zh') expect(text).toContain('受灾群众基本生活在灾后10小时内得到有效救助');
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `report-${lang}.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    });
  }
});

describe.skipIf(!CHROMIUM)('study reports in headless Chromium: compare, sweep, size, cheapest', () => {
  /** Opens a page, waits for its charts, and returns the ink on each chart, the console errors and the requests. */
  async function inspect(html: string, shot: string) {
    const file = join(mkdtempSync(join(tmpdir(), 'dsim-study-report-')), `${shot}.html`);
    writeFileSync(file, html);
    const { browser, page, errors, requests } = await openPage(pathToFileURL(file).href, { width: 900, height: 900 });
    try {
      await page.waitForFunction(() => (window as unknown as { __dsimCharts?: number }).__dsimCharts !== undefined);
      const ink = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.chart')].map((el) => {
          let n = 0;
          for (const c of el.querySelectorAll('canvas')) {
            const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
          }
          return n;
        }),
      );
      const h2 = await page.textContent('h2');
      const text = (await page.textContent('body')) ?? '';
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
      return { ink, errors, requests: requests.filter((u) => !u.startsWith('file:')), h2, text };
    } finally {
      await browser.close();
    }
  }
  const one = () => loadScenario('validation/one-truck').scenario;

  it('a comparison: a chart of paired differences per metric, the table, in Chinese', async () => {
    const { comparePaired } = await import('../../src/studies/compare.js');
    const { ThreadExecutor } = await import('../../src/run/thread.js');
    const { renderComparisonReport } = await import('../../src/report/study-html.js');
    const { withValue } = await import('../../src/studies/size.js');
    const executor = new ThreadExecutor();
    const c = await comparePaired(
      [
        { name: 'one truck', scenario: one() },
        { name: 'two trucks', scenario: withValue(one(), 'resources.fleet[truck].count', 2) },
      ],
      { replications: 60, executor },
    );
    await executor.close();
    const r = await inspect(renderComparisonReport(c, 'zh'), 'compare-zh');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    // a chart for each metric with a difference (response time: no rescue calls in this scenario, so the table says —)
    const withDiff = c.metrics.filter((m) => m.differences.some((d) => d.mean !== null));
    expect(withDiff.length).toBeLessThan(c.metrics.length);
    expect(r.ink).toHaveLength(withDiff.length);
    for (const [k, ink] of r.ink.entries()) expect(ink, withDiff[k]!.id).toBeGreaterThan(500);
    expect(r.text).toContain('与方案A之差（配对95%置信区间）');
    expect(r.text).toContain('受灾群众时限内得到救助的比例（逐次模拟）');
  });

  it('a sweep of two quantities: P(met) of each target against the first, a line per value of the second', async () => {
    const { runSweep } = await import('../../src/studies/compare.js');
    const { ThreadExecutor } = await import('../../src/run/thread.js');
    const { renderSweepReport } = await import('../../src/report/study-html.js');
    const executor = new ThreadExecutor();
    const c = await runSweep(
      one(),
      [
        { path: 'resources.fleet[truck].count', values: [1, 2, 3] },
        { path: 'resources.warehouses[depot].stock.water', values: [2000, 40000] },
      ],
      { replications: 40, executor },
    );
    await executor.close();
    const r = await inspect(renderSweepReport(c, 'en'), 'sweep-en');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    const targets = c.variants[0]!.result.targets.filter((x) =>
      c.variants.some((v) => v.result.targets.find((y) => y.id === x.id)?.pMet !== null),
    );
    expect(r.ink).toHaveLength(targets.length);
    for (const ink of r.ink) expect(ink).toBeGreaterThan(1000);
    // the swept quantities in the planner's words, never a config path (the path is listed once, under the assumptions)
    expect(r.text).toContain('Depot · water (L) = 2,000');
    expect(r.text).toContain('Depot · water (L) = 40,000');
    expect(r.text).toContain('Varied: Truck · vehicles (resources.fleet[truck].count)');
  });

  it('a sizing: P(met) against the value with the answer marked', async () => {
    const { sizeReserve } = await import('../../src/studies/size.js');
    const { ThreadExecutor } = await import('../../src/run/thread.js');
    const { renderSizingReport } = await import('../../src/report/study-html.js');
    const executor = new ThreadExecutor();
    const s = await sizeReserve(one(), {
      path: 'resources.fleet[truck].count',
      target: 'relief-within-deadline',
      confidence: 0.9,
      min: 1,
      max: 8,
      integer: true,
      replications: 40,
      executor,
    });
    await executor.close();
    const r = await inspect(renderSizingReport(s, 'zh'), 'size-zh');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    expect(r.ink).toHaveLength(1);
    expect(r.ink[0]).toBeGreaterThan(1000);
    expect(r.h2).toBe(
      '以不低于90.0%的概率达标的最小 运输车 · 车辆数：2。取2时达标概率100.0%［91.2%，100.0%］；取1时0.0%［0.0%，8.8%］。达标概率95%置信区间下限也不低于90.0%的最小取值：2。',
    );
  });

  it('the cheapest combination: P(met) against cost with the answer marked', async () => {
    const { cheapestCombination } = await import('../../src/studies/size.js');
    const { ThreadExecutor } = await import('../../src/run/thread.js');
    const { renderCheapestReport } = await import('../../src/report/study-html.js');
    const executor = new ThreadExecutor();
    const c = await cheapestCombination(one(), {
      ranges: [
        { path: 'resources.fleet[truck].count', values: [1, 2, 3], costPerUnit: 300_000 },
        { path: 'resources.warehouses[depot].stock.water', values: [2000, 40000], costPerUnit: 2 },
      ],
      target: 'relief-within-deadline',
      confidence: 0.9,
      replications: 40,
      executor,
    });
    await executor.close();
    const r = await inspect(renderCheapestReport(c, 'zh'), 'cheapest-zh');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    expect(r.ink[0]).toBeGreaterThan(1000);
    expect(r.h2).toMatch(/^以不低于90.0%的概率满足relief-within-deadline的最低成本组合/);
  });
});
