import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BenchReport, compareBench } from '../../src/bench/compare.js';
import { runMmc } from '../../src/bench/mmc.js';
import { dsim } from '../helpers.js';

const report = (tasks: [string, number][]): BenchReport => ({
  kind: 'dsim.bench',
  machine: {},
  tasks: tasks.map(([task, meanMs]) => ({ task, meanMs, rmePct: 1 })),
});

describe('bench comparison (ratios to a baseline)', () => {
  it('flags a task slower by more than the bound, and only that one', () => {
    const base = report([
      ['a', 1.0],
      ['b', 2.0],
    ]);
    const cur = report([
      ['a', 1.05],
      ['b', 2.5],
    ]);
    const { rows } = compareBench(cur, base, 10);
    expect(rows.map((r) => [r.task, r.regressed])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(rows[1]!.changePct).toBeCloseTo(25, 10);
  });
  it('lists tasks present in one run only instead of failing on them', () => {
    const { rows, missing } = compareBench(
      report([
        ['a', 1],
        ['new', 1],
      ]),
      report([
        ['a', 1],
        ['old', 1],
      ]),
      10,
    );
    expect(rows).toHaveLength(1);
    expect(missing.sort()).toEqual(['new', 'old']);
  });
});

afterEach(() => vi.restoreAllMocks());

describe('dsim bench --compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsim-bench-'));
  // The suite runs for real (one small task); the baselines are made 10x faster (an injected
  // slowdown of the current run relative to them) or 10x slower, so the verdict cannot flake.
  it('fails, naming the task, when the current run is slower than the baseline beyond the bound', async () => {
    const first = join(dir, 'now.json');
    expect((await dsim('bench', '--filter', '^flood:taierzhuang$', '--time', '50', '--json', first)).code).toBe(0);
    const now = JSON.parse((await import('node:fs')).readFileSync(first, 'utf8')) as BenchReport;
    const faster = join(dir, 'faster.json');
    writeFileSync(faster, JSON.stringify({ ...now, tasks: now.tasks.map((t) => ({ ...t, meanMs: t.meanMs / 10 })) }));
    const r = await dsim('bench', '--filter', '^flood:taierzhuang$', '--time', '50', '--compare', faster, '--max-regression', '10');
    expect(r.code).toBe(6);
    expect(r.err).toMatch(/slower than the baseline by more than 10%: flood:taierzhuang/);
    const slower = join(dir, 'slower.json');
    writeFileSync(slower, JSON.stringify({ ...now, tasks: now.tasks.map((t) => ({ ...t, meanMs: t.meanMs * 10 })) }));
    expect((await dsim('bench', '--filter', '^flood:taierzhuang$', '--time', '50', '--compare', slower)).code).toBe(0);
  });
  it('rejects a baseline that is not a bench report, naming the file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"tasks": 3}');
    const r = await dsim('bench', '--compare', bad, '--filter', 'nothing');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad} is not a dsim bench report`);
  });
});

describe('dsim bench mmc', () => {
  it('runs exactly N customers through the engine and reports the documented keys', async () => {
    const r = runMmc({ lambda: 4, mu: 1, servers: 5, customers: 20_000, seed: 2 });
    expect(r.customers).toBe(20_000);
    expect(Object.keys(r).sort()).toEqual(['customers', 'eventsPerSec', 'events', 'meanWait', 'wallMs'].sort());
    expect(r.events).toBeGreaterThanOrEqual(2 * 20_000); // an arrival and a departure per customer
    expect(r.meanWait).toBeGreaterThan(0.3); // Erlang C: 0.554 h; one run of 20,000 is noisy
    expect(r.meanWait).toBeLessThan(0.9);
  });
  it('refuses an unstable queue', async () => {
    const out = await dsim('bench', 'mmc', '--lambda', '2', '--mu', '0.1', '--servers', '10', '--customers', '10');
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/unstable queue/);
  });
});
