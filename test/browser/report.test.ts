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
import { CHROMIUM, CHROMIUM_ARGS, SHOTS } from './chromium.js';

describe.skipIf(!CHROMIUM)('the HTML report in headless Chromium', () => {
  for (const [name, lang] of [
    ['huantai/annual', 'zh'],
    ['huantai/flood-50y', 'en'],
  ] as const) {
    it(`${name} (${lang}): charts drawn with data, no console errors, no network requests`, async () => {
      const { chromium } = await import('playwright-core');
      const r = runBundled(name, { replications: 200 });
      const dir = mkdtempSync(join(tmpdir(), 'dsim-report-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, renderReport(r, lang, geometryOf(loadScenario(name).scenario)));
      const browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (q) => requests.push(q.url()));
        await page.goto(pathToFileURL(file).href);
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
