/// <reference lib="dom" />
/**
 * The import's QA report with its map, in headless Chromium: the sample county's nine townships
 * drawn from their polygons (a lake hole, an exclave), coloured by flooded share, its roads and
 * facilities, a scale bar and a north arrow; no console error, no request leaving the file.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dsim } from '../helpers.js';
import { CHROMIUM, openPage, SHOTS } from './chromium.js';

describe.skipIf(!CHROMIUM)('the import QA report in headless Chromium', () => {
  it('draws the sample county: townships coloured by flooded share, roads, facilities, scale and north', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-import-html-'));
    expect((await dsim('import', '--sample', join(dir, 'demo'))).code).toBe(0);
    expect((await dsim('import', '--inputs', join(dir, 'demo', 'import.yaml'), '--out', join(dir, 'out'))).code).toBe(0);
    for (const lang of ['zh', 'en'] as const) {
      const { browser, page, errors, requests } = await openPage(pathToFileURL(join(dir, 'out', `import-report.${lang}.html`)).href, {
        width: 900,
        height: 1200,
      });
      try {
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
        const zones = await page.$$eval('#map path.zone', (els) =>
          els.map((e) => [e.getAttribute('data-zone'), e.getAttribute('fill')] as const),
        );
        expect(zones).toHaveLength(9);
        // 北洼镇 (370999104) lies on the river: shaded; 南山镇 (370999101) in the dry south: grey.
        const fill = new Map(zones);
        expect(fill.get('370999104')).not.toBe('#eeeeee');
        expect(fill.get('370999101')).toBe('#eeeeee');
        expect(await page.$$eval('#map .facility', (els) => els.map((e) => e.getAttribute('data-kind')).sort())).toEqual([
          'shelter',
          'shelter',
          'shelter',
          'station',
          'station',
          'warehouse',
          'warehouse',
        ]);
        expect(await page.$eval('#map path.roads', (e) => e.getAttribute('d')!.split('M').length - 1)).toBe(14); // 13 ways between towns and the hamlet's, not the track
        const boxes = await page.$$eval('#map path.zone', (els) =>
          els.map((e) => {
            const b = (e as SVGGraphicsElement).getBBox();
            return { x: b.x, y: b.y, w: b.width, h: b.height };
          }),
        );
        // Nine townships of about 6 km on a map some 20 km across: each box 100–320 units a side.
        for (const b of boxes) {
          expect(b.w).toBeGreaterThan(100);
          expect(b.w).toBeLessThan(320);
          expect(b.x + b.w).toBeLessThanOrEqual(720 - 150); // left of the legend
        }
        expect(await page.textContent('#map .scale')).toMatch(lang === 'zh' ? /\d+ 公里/ : /\d+ km/);
        expect(await page.textContent('#map .north')).toBe(lang === 'zh' ? '北' : 'N');
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `import-${lang}.png`), fullPage: true });
        await page.locator('#map').screenshot({ path: join(SHOTS, `import-map-${lang}.png`) });
      } finally {
        await browser.close();
      }
    }
    // The run report of the imported scenario draws the townships from their polygons too.
    const run = await dsim(
      'run',
      join(dir, 'out', 'scenario.yaml'),
      '-n',
      '200',
      '--workers',
      '1',
      '--quiet',
      '--lang',
      'zh',
      '--report',
      join(dir, 'run.html'),
    );
    expect(run.err).toBe('');
    const { browser, page, errors } = await openPage(pathToFileURL(join(dir, 'run.html')).href, { width: 900, height: 1200 });
    try {
      await page.waitForFunction(() => (window as unknown as { __dsimCharts?: number }).__dsimCharts !== undefined);
      expect(errors).toEqual([]);
      const zones = await page.$$eval('#map-real path.zone', (els) =>
        els.map((e) => [e.getAttribute('data-zone'), e.getAttribute('fill')] as const),
      );
      expect(zones).toHaveLength(9);
      // The river towns displace people; 南山镇 in the dry south displaces nobody.
      const fill = new Map(zones);
      expect(fill.get('370999104')).not.toBe('#eeeeee');
      expect(fill.get('370999101')).toBe('#eeeeee');
      expect(await page.$$eval('#map-real path.roads', (els) => els.length)).toBe(1);
      expect(await page.$('#map')).toBeNull(); // the schematic map gives way
      await page.locator('#map-real').screenshot({ path: join(SHOTS, 'run-map-zh.png') });
    } finally {
      await browser.close();
    }
  });
});
