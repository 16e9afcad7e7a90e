/// <reference lib="dom" />
/**
 * The drill script as a page in headless Chromium: its tables are there (an inject a row), it asks
 * for nothing over the network and logs no error, and it prints on A4: read back from the PDF, each
 * page carries its running header and 第i页 共n页, and the list of injects repeats its header row.
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
import { pdfPageTexts } from './pdf-text.js';

describe.skipIf(!CHROMIUM)('the drill documents in headless Chromium', () => {
  it('the controller’s guide, the evaluator’s guide and the message slips: every row, no console error, no request; printed to A4 with the header row on every page', async () => {
    const d = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 300 });
    const dir = mkdtempSync(join(tmpdir(), 'dsim-drill-'));
    const titles = {
      controller: '演练控制指南：桓台县：50年一遇洪水（小清河顶托及南部客水）',
      evaluator: '演练评估指南：桓台县：50年一遇洪水（小清河顶托及南部客水）',
      players: '演练消息单：桓台县：50年一遇洪水（小清河顶托及南部客水）',
    };
    const running = { controller: '导调专用', evaluator: '评估专用', players: '演练' };
    for (const audience of ['controller', 'evaluator', 'players'] as const) {
      const file = join(dir, `${audience}.html`);
      writeFileSync(file, renderDrill(d, 'html', { lang: 'zh', audience, compress: 2, start: '2027-07-21 06:00' }));
      const { browser, page, errors, requests } = await openPage(pathToFileURL(file).href, { width: 1100, height: 900 });
      try {
        expect(await page.textContent('h1')).toBe(titles[audience]);
        if (audience === 'controller') {
          // every inject a row under one header row, repeated on each printed page (thead as a header group)
          expect(await page.evaluate(() => document.querySelectorAll('table.msel tbody tr').length)).toBe(d.injects.length);
          expect(await page.evaluate(() => getComputedStyle(document.querySelector('table.msel thead')!).display)).toBe(
            'table-header-group',
          );
        }
        if (audience === 'players') {
          const world = d.injects.filter((x) => x.origin === 'world').length;
          expect(await page.evaluate(() => document.querySelectorAll('.slip').length)).toBe(world);
        }
        if (audience === 'evaluator') expect(await page.textContent('body')).toContain('改进计划表');
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
        const pdf = await page.pdf({ format: 'A4', landscape: audience === 'controller' });
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        // read back: every page has the running header and 第i页 共n页; every page of the controller's
        // list of injects repeats the header row above its first inject
        const pages = pdfPageTexts(pdf).map((x) => x.replace(/\s+/g, ''));
        expect(pages.length).toBeGreaterThanOrEqual(2);
        pages.forEach((text, i) => {
          expect(
            text.startsWith(`${running[audience]}第${i + 1}页共${pages.length}页`),
            `${audience} page ${i + 1}: ${text.slice(0, 40)}`,
          ).toBe(true);
        });
        if (audience === 'controller') {
          const withInjects = pages.filter((x) => /\d+T\+\d\d:\d\d/.test(x));
          expect(withInjects.length).toBeGreaterThanOrEqual(2);
          for (const text of withInjects) expect(text.indexOf('序号演练时间模拟时间阶段')).toBeLessThan(text.search(/\d+T\+\d\d:\d\d/));
        }
        // the cover first (编制/审核/批准), then the document: the picture shows the document's first table
        if (audience !== 'players') {
          expect(await page.textContent('section.cover')).toContain('编制：');
          await page.evaluate(() => document.querySelector('section.cover + h1')!.scrollIntoView());
        }
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `drill-${audience}-zh.png`) });
      } finally {
        await browser.close();
      }
    }
  });
});
