/** Debian's chromium for the browser tests, its flags for a closed network, and where screenshots go. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atFileEnd } from '../procs.js';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('browser tests skipped: no chromium (apt-get install chromium)');

/** Chromium flags for a closed network (no background connections). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go: $DSIM_SCREENSHOTS, else a temporary folder. */
export const SHOTS = process.env['DSIM_SCREENSHOTS'] ?? mkdtempSync(join(tmpdir(), 'dsim-shots-'));

/** Chromium on `url`, collecting console errors and every request the page makes; close `browser` after. */
export async function openPage(url: string, viewport: { width: number; height: number }) {
  const { chromium } = await import('playwright-core');
  const launching = chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
  // closed when the file ends if the test did not close it, even one that ended while it started (test/procs.ts)
  atFileEnd(async () => (await launching).close());
  const browser = await launching;
  const page = await browser.newPage({ viewport });
  // no per-wait budget: a wait ends on its event, and the test's ceiling bounds a page that never gets there
  page.setDefaultTimeout(0);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (q) => requests.push(q.url()));
  await page.goto(url);
  return { browser, page, errors, requests };
}
