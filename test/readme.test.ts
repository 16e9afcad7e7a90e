/**
 * The README's own commands run as written (issue 24): every `npx dsim …` line of its `sh` blocks,
 * in order, in a fresh folder that sees the clone's scenarios/ (as a user at the clone's root
 * would), each ending with exit status 0 and the files it names written. The few that are
 * services or timings are left out, each saying where it is tested instead; the list of those is
 * checked too, so a new command is run unless someone says why not.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killGroup, spawnTracked } from './procs.js';

const REPO = resolve('.');

/** The `npx dsim` lines of the README's sh blocks, comments dropped. */
function readmeCommands(text: string): string[] {
  const out: string[] = [];
  let inSh = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      inSh = !inSh && line.trim() === '```sh';
      continue;
    }
    if (inSh && line.startsWith('npx dsim')) out.push(line.replace(/\s+#\s.*$/, '').trim());
  }
  return out;
}

/** Lines not run here, and where they are tested instead. */
const ELSEWHERE: readonly [RegExp, string][] = [
  [/^npx dsim serve\b/, 'a service that runs until stopped: test/api/server.test.ts starts it over real HTTP'],
  [/^npx dsim worker\b/, 'a queue worker that runs until stopped: test/run/queue tests against a real redis-server'],
  [/--queue\b/, 'needs a Redis and workers: the queue tests'],
  [/^npx dsim backup\b/, "copies a running server's store: test/api backup tests"],
  [/^npx dsim bench(?! mmc)/, 'timings: the benchmark gate in .ci/run, and test/bench'],
];

const elsewhere = (line: string) => ELSEWHERE.find(([re]) => re.test(line))?.[1];

/** Runs one line in bash with `npx dsim` meaning this clone's CLI; resolves with its exit status and stderr. */
function runLine(line: string, cwd: string): Promise<{ code: number | null; err: string }> {
  const script = `npx() { shift; node ${JSON.stringify(join(REPO, 'bin/dsim.js'))} "$@"; }\n${line}`;
  let child: ChildProcess | undefined;
  return new Promise<{ code: number | null; err: string }>((res, rej) => {
    child = spawnTracked('bash', ['-c', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANG: 'C' } });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', rej);
    child.on('close', (code) => res({ code, err }));
  }).finally(() => {
    // the whole process group, by id, even when the line failed (what the line left behind)
    if (child?.pid !== undefined) killGroup(child.pid);
  });
}

describe("the README's commands", () => {
  const lines = readmeCommands(readFileSync('README.md', 'utf8'));

  it('are found, and those not run here say where they are tested', () => {
    expect(lines.length).toBeGreaterThan(25);
    for (const needed of ['npx dsim init my-county', 'npx dsim run my-county.yaml --json - --no-timing']) expect(lines).toContain(needed);
    expect(lines.some((l) => l.includes('--csv tables/'))).toBe(true);
    // every exception still matches a line: a stale one would hide nothing but say something false
    for (const [re] of ELSEWHERE)
      expect(
        lines.some((l) => re.test(l)),
        String(re),
      ).toBe(true);
  });

  it('run as written from a fresh folder, in order, each with exit status 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-readme-'));
    symlinkSync(join(REPO, 'scenarios'), join(dir, 'scenarios'));
    const failed: string[] = [];
    for (const line of lines) {
      if (elsewhere(line)) continue;
      const { code, err } = await runLine(line, dir);
      if (code !== 0) failed.push(`${line}\n  exit ${code}: ${err.trim().split('\n').slice(0, 3).join(' / ')}`);
    }
    expect(failed).toEqual([]);
    // what they said they would write
    for (const f of [
      'report.html',
      'tables/kpis.csv',
      'tables/targets.csv',
      'result.json',
      'my-county.yaml',
      'my.schema.json',
      'drill.md',
      'drill.html',
      'demo/out/scenario.yaml',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
  });
});
