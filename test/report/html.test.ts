/**
 * The run report's contents (issue 24 item 4): the targets coloured by the rule its legend states,
 * then the terminal's own KPI, per-hazard and stock-out tables, what binds by counterfactual, and
 * the zones. The tables are the same data the terminal prints (report/table.ts), so a figure can
 * be found in both. Drawing is tested in Chromium (test/browser/report.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/messages.js';
import { LOSS_BIAS } from '../../src/kpi/loss-bias.js';
import { htmlTable, renderReport, targetClass } from '../../src/report/html.js';
import { kpiTable, renderTable, stockoutTable, zoneTable } from '../../src/report/table.js';
import { loadScenario } from '../../src/scenario/load.js';
import { findBinds } from '../../src/studies/binds.js';
import { dsim, runBundled } from '../helpers.js';

/** The text of a page's cells, in order: what a reader sees of its tables. */
const cells = (html: string) => [...html.matchAll(/<t[dh]>([^<]*)<\/t[dh]>/g)].map((m) => m[1]!);

describe('the run report', () => {
  it('colours a target by the stated rule: green from 90%, amber from 50%, red below or when the average fails', () => {
    const t = (pMet: number | null, met?: boolean) =>
      targetClass({ pMet, ...(met !== undefined && { met }) } as Parameters<typeof targetClass>[0]);
    expect([t(0.95), t(0.9), t(0.899), t(0.5), t(0.49), t(0.99, false), t(null), t(null, true)]).toEqual([
      'hit',
      'hit',
      'warn',
      'warn',
      'miss',
      'miss',
      'none',
      'hit',
    ]);
  });

  it('carries the KPI, stock-out, what-binds and zone tables, the same figures as the terminal', async () => {
    const r = runBundled('validation/one-truck', { replications: 20 });
    const b = await findBinds(loadScenario('validation/one-truck').scenario, { replications: 20 });
    for (const lang of ['zh', 'en'] as const) {
      const html = renderReport(r, lang, undefined, b);
      const seen = cells(html);
      const text = renderTable(r, lang);
      for (const table of [kpiTable(r, lang), zoneTable(r, lang)])
        for (const row of table.rows) {
          const label = String(row[0]);
          expect(seen, label).toContain(label);
          expect(text).toContain(label);
        }
      // the truck is what binds, said in the page's language
      expect(html).toContain(lang === 'zh' ? '运输车辆' : 'trucks ×20');
      expect(html).toContain(lang === 'zh' ? '颜色规则' : 'Colour rule');
      // the back-tests put modelled losses an order of magnitude high: the page and the terminal say by how much
      const bias = lang === 'zh' ? `回测显示模型损失约为实际的${LOSS_BIAS.flood}倍` : `about ${LOSS_BIAS.flood} times the reported loss`;
      expect(html).toContain(bias);
      expect(text).toContain(bias);
      expect(text).toContain(lang === 'zh' ? `约为实际的${LOSS_BIAS.fire}倍` : `about ${LOSS_BIAS.fire} times the loss per urban fire`);
      // one-truck: no stock runs short; the page says so rather than drawing an empty table
      expect(stockoutTable(r, lang)).toBeNull();
    }
    // without the study (a run stopped early), the page says how to get it; over the API, how to run one in the console
    expect(renderReport(r, 'en')).toContain('dsim binds SCENARIO');
    expect(renderReport(r, 'zh', undefined, undefined, 'api')).toContain('在控制台点“制约因素分析”');
  });

  it('dsim run --report on an annual run carries what binds too (years with a flood judge relief)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-annual-report-'));
    const file = join(dir, 'annual.html');
    const r = await dsim('run', 'huantai/annual', '-n', '60', '--report', file, '--lang', 'zh', '--quiet');
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(`<h3>${t('zh', 'binds.alone')}</h3>`);
    expect(html).not.toContain(t('zh', 'report.bindsNotRun'));
  });

  it('has a section per hazard present in an annual run, and the stock-out table with its basis', () => {
    const r = runBundled('huantai/annual', { replications: 40 });
    const html = renderReport(r, 'zh');
    for (const h of ['全年统计', '城镇火灾', '危险化学品泄漏']) expect(html).toContain(`<h2>${h}</h2>`);
    // Huantai's 50-year flood runs short of bedding: the table, its basis, the item named as the terminal does
    const flood = runBundled('huantai/flood-50y', { replications: 40 });
    const short = stockoutTable(flood, 'zh');
    expect(short?.rows.map((row) => row[0])).toContain('衣被');
    const page = renderReport(flood, 'zh');
    expect(page).toContain('口径：各品类保障天数内的需求');
    expect(cells(page)).toContain('衣被');
  });

  it('writes numbers in a table as the terminal does and escapes text', () => {
    expect(htmlTable(['a<b', 'n'], [['x&y', 12345.6]])).toBe(
      '<table><thead><tr><th>a&#60;b</th><th>n</th></tr></thead><tbody><tr><td>x&#38;y</td><td>12,346</td></tr></tbody></table>',
    );
  });
});
