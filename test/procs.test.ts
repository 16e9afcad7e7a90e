/**
 * The suite leaves nothing running: a vitest run of test/fixtures/leak/ whose test starts a
 * redis-server, a `dsim worker`, a `dsim serve` and chromium and then fails has none of them alive
 * after it; a run whose test leaks a process past the tracking fails, naming it, and kills it; so
 * does a run whose redis-server outlived its file with the run's mark gone from its environment.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from './browser/chromium.js';
import { alive, markedProcesses, runTracked } from './procs.js';
import { redisAvailable } from './redis-helpers.js';

const VITEST = join('node_modules', 'vitest', 'vitest.mjs');

/** A run of the leak fixture's file `name`: its exit, output, the pids its test wrote, and what still carries its mark. */
async function fixtureRun(name: string, config = 'vitest.config.ts') {
  const pidsFile = join(mkdtempSync(join(tmpdir(), 'dsim-leak-')), 'pids.json');
  const r = await runTracked(process.execPath, [VITEST, 'run', '--config', `test/fixtures/leak/${config}`, name], {
    env: { ...process.env, DSIM_LEAK_PIDS: pidsFile, CI: 'true' },
  });
  const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as Record<string, number>;
  // what was killed by group dies a moment after its group leader (up to 5 s here: not a budget of work, a SIGKILL being delivered)
  for (let i = 0; i < 250 && Object.values(pids).some(alive); i++) await new Promise((res) => setTimeout(res, 20));
  const left = Object.entries(pids).filter(([, pid]) => alive(pid));
  return { ...r, output: r.out + r.err, pids, left, marked: markedProcesses(`${r.pid}-`) };
}

describe.skipIf(!existsSync('/proc/self/environ'))('processes the tests start', () => {
  it.skipIf(!redisAvailable('the leak check'))('a test that fails leaves none of them running', async () => {
    const r = await fixtureRun('fails');
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('made to fail on purpose');
    expect(Object.keys(r.pids).sort()).toEqual(CHROMIUM ? ['browser', 'redis', 'serve', 'worker'] : ['redis', 'serve', 'worker']);
    expect(r.left).toEqual([]);
    expect(r.marked).toEqual([]);
    // killed by the file's own cleanup, not found by the end-of-run check
    expect(r.output).not.toContain('still running after them');
  });

  it('a process leaked past the tracking fails the run, named, and is killed', async () => {
    const r = await fixtureRun('leaks');
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('processes started by the tests were still running after them (killed now)');
    expect(r.output).toContain(`pid ${r.pids['leaked']}: ${process.execPath} -e setInterval(() => {}, 1000)`);
    expect(r.left).toEqual([]);
    expect(r.marked).toEqual([]);
  });

  it.skipIf(!redisAvailable('the ledger check'))(
    'a redis-server left running is found by the ledger, though its environment lost the mark',
    async () => {
      const r = await fixtureRun('escapes', 'vitest.untracked.config.ts');
      expect(r.code, r.output).toBe(1);
      expect(r.output).toContain('processes started by the tests were still running after them (killed now)');
      expect(r.output).toMatch(new RegExp(`pid ${r.pids['redis']}: redis-server 127\\.0\\.0\\.1:\\d+`));
      expect(r.left).toEqual([]);
    },
  );
});
