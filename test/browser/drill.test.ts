/// <reference lib="dom" />
/**
 * The drill script as a page in headless Chromium: its tables are there (an inject a row), it asks
 * for nothing over the network and logs no error, and it prints on A4.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDrill } from '../../src/drill/build.js';
import { renderDrill } from '../../src/drill/render.js';
import { loadScenario } from '../../src/scenario/load.js';
import { CHROMIUM, openPage, SHOTS } from './chromium.js';

describe.skipIf(!CHROMIUM)('the drill script in headless Chromium', () => {
  it('shows every inject and the evaluation sheet, with no console error and no request; prints to A4', async () => {
    const d = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 300 });
    const file = join(mkdtempSync(join(tmpdir(), 'dsim-drill-')), 'drill.html');
    writeFileSync(file, renderDrill(d, 'html', { lang: 'zh', audience: 'controller', compress: 2, start: '2027-07-21 06:00' }));
    const { browser, page, errors, requests } = await openPage(pathToFileURL(file).href, { width: 1100, height: 900 });
    try {
      const rows = await page.evaluate(() => document.querySelectorAll('table.msel tr').length);
      expect(rows).toBe(d.injects.length + 1);
      expect(await page.textContent('h1')).toBe('演练脚本：桓台县：50年一遇洪水（小清河顶托及南部客水）');
      expect(await page.textContent('body')).toContain('演练评估表');
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      const pdf = await page.pdf({ format: 'A4', landscape: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      mkdirSync(SHOTS, { recursive: true });
      await page.evaluate(() => document.querySelector('table.msel')!.scrollIntoView());
      await page.screenshot({ path: join(SHOTS, 'drill-zh.png') });
    } finally {
      await browser.close();
    }
  });
});
