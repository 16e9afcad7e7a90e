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

describe.skipIf(!CHROMIUM)('the sizing report in headless Chromium', () => {
  it('draws P(met) against the value with the answer marked, no console errors, no requests', async () => {
    const { sizeReserve } = await import('../../src/run/size.js');
    const { ThreadExecutor } = await import('../../src/run/thread.js');
    const { renderSizingReport } = await import('../../src/report/html.js');
    const executor = new ThreadExecutor();
    const s = await sizeReserve(loadScenario('validation/one-truck').scenario, {
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
    const file = join(mkdtempSync(join(tmpdir(), 'dsim-size-report-')), 'size.html');
    writeFileSync(file, renderSizingReport(s, 'zh'));
    const { browser, page, errors, requests } = await openPage(pathToFileURL(file).href, { width: 900, height: 700 });
    try {
      await page.waitForFunction(() => (window as unknown as { __dsimCharts?: number }).__dsimCharts === 1);
      const ink = await page.evaluate(() => {
        let n = 0;
        for (const c of document.querySelectorAll('#pmet canvas')) {
          const px = (c as HTMLCanvasElement)
            .getContext('2d')!
            .getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
          for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
        }
        return n;
      });
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      expect(ink).toBeGreaterThan(1000);
      expect(await page.textContent('h2')).toBe('以不低于90.0%的概率达标的最小 resources.fleet[truck].count：2');
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'size-zh.png') });
    } finally {
      await browser.close();
    }
  });
});
