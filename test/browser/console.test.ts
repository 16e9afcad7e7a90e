/// <reference lib="dom" />
/**
 * The browser console of `dsim serve` in headless Chromium: it lists the scenarios, starts a run,
 * shows live progress and the result, and the run's report in place.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer, DEFAULTS } from '../../src/api/server.js';
import { CHROMIUM, openPage, SHOTS } from './chromium.js';

/** A server on a free loopback port with a store of its own, as `dsim serve` starts it. */
async function consoleServer() {
  const { app, manager } = await buildServer({
    ...DEFAULTS,
    dataDir: mkdtempSync(join(tmpdir(), 'dsim-console-')),
    logger: false,
    rateLimit: 1e6,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  manager.recover();
  return { app, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

describe.skipIf(!CHROMIUM)('the browser console', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`(${lang}) starts a run, follows it and shows its result and report, without console errors`, async () => {
      const { app, base } = await consoleServer();
      const { browser, page, errors } = await openPage(`${base}/?lang=${lang}`, { width: 1280, height: 1000 });
      try {
        await page.waitForSelector('#scenario option[value="huantai-flood-50y"]', { state: 'attached' });
        expect(await page.title()).toBe(lang === 'zh' ? 'dsim 应急情景模拟' : 'dsim scenario console');
        await page.selectOption('#scenario', 'huantai-flood-50y');
        await page.fill('#replications', '300');
        await page.click('#start');
        await page.waitForSelector('#status[data-status="done"]');
        const status = await page.textContent('#status');
        expect(status).toMatch(lang === 'zh' ? /^完成 — 时限内救助比例 \d+\.\d%$/ : /^done — relieved within the deadline \d+\.\d%$/);
        // the past runs list it, and its report is shown in place, with its charts drawn
        await page.waitForSelector('#runs td[data-status="done"]');
        const frame = page.frameLocator('#report');
        await frame.locator('#relief canvas').first().waitFor();
        expect(await frame.locator('canvas').count()).toBeGreaterThan(4);
        // a second run of the same seed is compared with the first
        await page.fill('#deadline', '24');
        await page.click('#start');
        await page.waitForFunction(() => document.querySelector('#compare table') !== null);
        expect(errors, errors.join('\n')).toEqual([]);
        // the second run's report replaces the first: wait for its charts before the picture
        await page.waitForTimeout(500);
        await frame.locator('#relief canvas').first().waitFor();
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `console-${lang}.png`) });
      } finally {
        await browser.close();
        await app.close();
      }
    });
  }

  it('(zh) a planner changes two stocks by the form, runs, compares paired with the base, asks what binds, cancels a long run, and is told a JSON mistake in Chinese', async () => {
    const { app, base } = await consoleServer();
    const { browser, page, errors } = await openPage(`${base}/?lang=zh`, { width: 1280, height: 1000 });
    try {
      await page.waitForSelector('#scenario option[value="huantai-flood-50y"]', { state: 'attached' });
      await page.selectOption('#scenario', 'huantai-flood-50y');
      // the form is the scenario's: warehouses by Chinese name, items with their units, current values
      const bedding = '#form input[data-kind="stock"][data-unit="county-reserve"][data-key="bedding"]';
      await page.waitForSelector(bedding);
      expect(await page.inputValue(bedding)).toBe('5000');
      expect(await page.textContent('#form')).toContain('县应急物资储备中心');
      expect(await page.textContent('#form')).toContain('衣被（床）');
      expect(await page.textContent('#form')).toContain('道路交通综合应急保障车队 · 车辆数');
      await page.fill(bedding, '9000');
      await page.fill('#form input[data-kind="stock"][data-unit="county-reserve"][data-key="medical"]', '1000');
      await page.fill('#replications', '200');
      await page.click('#start');
      await page.waitForSelector('#status[data-status="done"]');
      // what was sent: the two changed stocks, nothing else, no JSON typed
      const runs = (await (await fetch(`${base}/runs?limit=5`)).json()) as { runs: { parameters: { overrides?: unknown } }[] };
      expect(runs.runs[0]!.parameters.overrides).toEqual({
        resources: { warehouses: [{ id: 'county-reserve', stock: { bedding: 9000, medical: 1000 } }] },
      });
      // the history row says what the run changed
      await page.waitForSelector('#runs td.params');
      expect(await page.textContent('#runs td.params')).toContain('warehouses[county-reserve].stock.bedding=9000');
      // the same changes against the base, paired: the share relieved rises, with its interval
      await page.click('#paired');
      await page.waitForSelector('#pairedResult td.diff');
      const diffs = await page.$$eval('#pairedResult td.diff', (tds) => tds.map((td) => td.textContent ?? ''));
      expect(diffs[0]).toMatch(/^\+\d+\.\d% \[\+\d+\.\d%, \+\d+\.\d%\] \*$/);
      // what binds, with the changes: its page in place, naming purchases in Chinese
      await page.click('#binds');
      await page.waitForSelector('#bindsStatus[data-status="done"]');
      const report = page.frameLocator('#report');
      await report.locator('h1').filter({ hasText: '救助的制约因素' }).waitFor();
      expect(await report.locator('body').textContent()).toContain('库存不限');
      // a JSON mistake under "advanced" is told in Chinese, and nothing is started
      await page.click('details summary');
      await page.fill('#overrides', '{"resources": ');
      await page.click('#start');
      expect(await page.textContent('#error')).toBe('覆盖设置不是有效的JSON：请检查括号、引号和逗号');
      await page.fill('#overrides', '');
      // a long run, cancelled
      await page.fill('#replications', '1000000');
      await page.click('#start');
      await page.waitForSelector('#cancel:not([disabled])');
      await page.click('#cancel');
      await page.waitForSelector('#status[data-status="cancelled"]');
      expect(errors, errors.join('\n')).toEqual([]);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'console-form-zh.png'), fullPage: true });
    } finally {
      await browser.close();
      await app.close();
    }
  });

  it('(zh) a planner uploads their county, replaces it by a new version, is told it cannot be deleted while a run refers to it, and deletes an unused one', async () => {
    const { app, base } = await consoleServer();
    const { browser, page, errors } = await openPage(`${base}/?lang=zh`, { width: 1280, height: 1000 });
    const file = (id: string, nameZh: string, bedding: number) => ({
      name: `${id}.yaml`,
      mimeType: 'application/yaml',
      buffer: Buffer.from(
        `extends: huantai-flood-50y\nid: ${id}\nname: My county\nnameZh: ${nameZh}\nresources:\n  warehouses:\n    - id: county-reserve\n      stock: { bedding: ${bedding} }\n`,
      ),
    });
    const option = (id: string) => page.textContent(`#scenario option[value="${id}"]`);
    page.on('dialog', (d) => void d.accept());
    try {
      await page.waitForSelector('#scenario option[value="huantai-flood-50y"]', { state: 'attached' });
      // a bundled scenario cannot be replaced or deleted
      expect(await page.isDisabled('#replace')).toBe(true);
      // upload: listed with its Chinese name and version 1, selected, its form shows the new stock
      await page.setInputFiles('#file', file('my-county', '我的县', 7000));
      await page.click('#upload');
      await page.waitForSelector('#uploadStatus[data-status="done"]');
      expect(await option('my-county')).toBe('my-county — 我的县（上传 · 第1版）');
      expect(await page.inputValue('#scenario')).toBe('my-county');
      const bedding = '#form input[data-kind="stock"][data-unit="county-reserve"][data-key="bedding"]';
      await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value === '7000', bedding);
      // the same id again: told to replace it instead, in Chinese
      await page.click('#upload');
      await page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
      expect(await page.textContent('#error')).toBe('该编号的情景已上传；如需更新，请在上方选中它并点“替换所选情景”');
      // a new version: the id stays, the version is 2, the form has the new value
      await page.setInputFiles('#file', file('my-county', '我的县（修订）', 8000));
      await page.click('#replace');
      await page.waitForSelector('#uploadStatus[data-status="done"]');
      expect(await page.textContent('#uploadStatus')).toBe('已保存新版本：my-county · 第2版');
      expect(await option('my-county')).toBe('my-county — 我的县（修订）（上传 · 第2版）');
      await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value === '8000', bedding);
      const versions = (await (await fetch(`${base}/scenarios/my-county/versions`)).json()) as { versions: unknown[] };
      expect(versions.versions).toHaveLength(2);
      // a run refers to it: deleting is refused in Chinese, and the scenario stays
      await page.fill('#replications', '20');
      await page.click('#start');
      await page.waitForSelector('#status[data-status="done"]');
      await page.click('#remove');
      await page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
      expect(await page.textContent('#error')).toContain('情景“my-county”被1次模拟或研究引用');
      expect(await option('my-county')).not.toBeNull();
      // an unused upload is deleted and leaves the list
      await page.setInputFiles('#file', file('spare-county', '备用县', 6000));
      await page.click('#upload');
      await page.waitForSelector('#uploadStatus[data-status="done"]');
      expect(await page.inputValue('#scenario')).toBe('spare-county');
      await page.click('#remove');
      await page.waitForSelector('#uploadStatus[data-status="removed"]');
      await page.waitForSelector('#scenario option[value="spare-county"]', { state: 'detached' });
      // the browser logs the two refusals (409) it was shown; nothing else
      const others = errors.filter((e) => !/status of 409 \(Conflict\)$/.test(e));
      expect([others, errors.length]).toEqual([[], 2]);
    } finally {
      await browser.close();
      await app.close();
    }
  });
});
