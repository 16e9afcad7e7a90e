import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { t } from '../../src/i18n/messages.js';
import { dsim } from '../helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('dsim CLI', () => {
  it('run prints the KPI table next to the targets', async () => {
    const r = await dsim('run', 'validation/one-truck', '--no-timing');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Share of displaced relieved within 8 h');
    expect(r.out).toMatch(/share of displaced people relieved within 8 h >= 1 \(every flood of the event\)\s+0\.0%/);
  });
  it('--json - writes the result document with the required keys', async () => {
    const r = await dsim('run', 'validation/one-truck', '--json', '-', '--no-timing', '--seed', '5', '--replications', '2');
    const j = JSON.parse(r.out);
    expect(j.scenario).toMatchObject({ id: 'validation-one-truck', hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect([j.seed, j.replications]).toEqual([5, 2]);
    for (const k of ['mean', 'p50', 'p90', 'p95', 'p99', 'ci95']) expect(j.kpis.responseTimeMinutes).toHaveProperty(k);
    expect(j.kpis.reliefWithinDeadline).toMatchObject({ deadlineHours: 8, mean: 0.625, pTargetMet: 0 });
    for (const k of ['mean', 'p50', 'p99', 'ci95']) expect(j.kpis.lossRatio).toHaveProperty(k);
    expect(j.targets.map((t: { id: string }) => t.id)).toEqual(['relief-within-deadline', 'response-time', 'loss-ratio']);
    expect(j).not.toHaveProperty('timing');
  });
  it('invalid scenario: exit 3, every problem on stderr with file and path, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync('scenarios/validation/one-truck.yaml', 'utf8').replace('count: 1, payloadKg', 'count: -1, payloadKg'));
    const r = await dsim('validate', bad);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${bad}: resources.fleet[0].count: expected a number >= 0, got -1`);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });
  it('bad options: exit 2 and name the option', async () => {
    expect((await dsim('run', 'validation/one-truck', '--replications', 'many')).err).toMatch(/--replications: expected a whole number/);
    expect((await dsim('run', 'validation/one-truck', '--deadline-hours', '-3')).code).toBe(2);
    expect((await dsim('frobnicate')).code).toBe(2);
  });
  it('unwritable result path: exit 5 before running, and an existing result is kept', async () => {
    const r = await dsim('run', 'validation/one-truck', '--json', '/no/such/folder/r.json');
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/folder \/no\/such\/folder does not exist/);
    const dir = mkdtempSync(join(tmpdir(), 'dsim-'));
    const keep = join(dir, 'keep.json');
    writeFileSync(keep, '{"kept":true}');
    expect((await dsim('run', 'no-such-scenario', '--json', keep)).code).toBe(4);
    expect(readFileSync(keep, 'utf8')).toBe('{"kept":true}');
  });
  it('list names every bundled scenario', async () => {
    const r = await dsim('list');
    expect(r.out).toMatch(/^huantai\/flood-50y\s+Huantai County/m);
  });
});

describe('help', () => {
  it('every command answers --help with its usage and exit 0; the top-level usage lists every option of every command', async () => {
    const { COMMAND_USAGE, USAGE } = await import('../../src/cli/usage.js');
    for (const [name, usage] of Object.entries(COMMAND_USAGE)) {
      const r = await dsim(name, '--help');
      expect(r.code, name).toBe(0);
      // the syntax, then what the command does (in the locale's language: English here)
      expect(r.out).toBe(`usage: ${usage}\n  ${t('en', `help.${name as keyof typeof COMMAND_USAGE}`)}\n`);
      for (const option of usage.match(/--[a-z][a-z0-9-]*/g) ?? []) expect(USAGE, `${name} ${option}`).toContain(option);
    }
    expect((await dsim('run', '-h')).out).toContain('--until-ci');
  });
});

describe('dsim trace', () => {
  it('prints replication N as JSON, the same as the library trace, and refuses a missing --replication', async () => {
    const r = await dsim('trace', 'validation/one-truck', '--replication', '0', '--json', '-');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out);
    expect(t.kind).toBe('dsim.trace');
    // one-truck, derived on paper: everyone (2,400 people) relieved, 0.625 of them within 8 h
    expect(t.facts.relieved).toBe(2400);
    expect(t.facts.relievedByDeadline).toBe(1500);
    expect((await dsim('trace', 'validation/one-truck')).code).toBe(2);
  });
  it('prints the timeline in Chinese, each event kind from the catalogue, aligned by display width', async () => {
    const zh = await dsim('trace', 'validation/one-truck', '--replication', '0', '--lang', 'zh');
    const en = await dsim('trace', 'validation/one-truck', '--replication', '0', '--lang', 'en');
    expect(zh.code).toBe(0);
    expect(zh.out).toContain('救助2,400人（8小时内1,500人）');
    const zhEvents = zh.out
      .split('\n')
      .slice(3)
      .filter((l) => l !== '');
    const enEvents = en.out
      .split('\n')
      .slice(3)
      .filter((l) => l !== '');
    expect(zhEvents).toHaveLength(enEvents.length);
    expect(zhEvents.some((l) => l.includes('物资送达'))).toBe(true);
    // the entity column starts at the same display column on every line
    const { default: stringWidth } = await import('string-width');
    const events = JSON.parse((await dsim('trace', 'validation/one-truck', '--replication', '0', '--json', '-')).out).events;
    expect(events).toHaveLength(zhEvents.length);
    // entities by name: the truck as 运输车 1, the road by its zones' names
    const { entityNamer } = await import('../../src/cli/commands/trace.js');
    const { loadScenario } = await import('../../src/scenario/load.js');
    const named = entityNamer(loadScenario('validation/one-truck').scenario, 'zh');
    expect(named('truck#1')).toBe('运输车 1');
    expect(named('A-B')).toBe('受淹区—仓库区');
    expect(named('incident')).toBe('警情');
    // the zone column by name too: the flooded zone's events say 受淹区, never its id A
    expect(named('A')).toBe('受淹区');
    const zoned = events
      .map((e: { zone?: string }, k: number) => [e.zone, zhEvents[k]] as const)
      .filter(([z]: readonly [string | undefined, string]) => z !== undefined);
    expect(zoned.length).toBeGreaterThan(0);
    for (const [z, line] of zoned) expect(line).toContain(` ${named(z!)}`);
    const col = (l: string, k: number) => stringWidth(l.slice(0, l.indexOf(` ${named(events[k].entity)}`, 9) + 1));
    expect(new Set(zhEvents.map(col)).size).toBe(1);
  });
});

describe('dsim plume --model', () => {
  it('auto picks the dense-gas model for chlorine and says why; the zones match the library', async () => {
    const r = await dsim('plume', '--substance', 'chlorine', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.dense.used).toBe(true);
    expect(j.dense.criterion).toBeGreaterThan(0.15);
    const { dispersionFor } = await import('../../src/physics/chemical/dense.js');
    const { threatZone } = await import('../../src/physics/chemical/plume.js');
    const { SUBSTANCES, levelsOfConcern } = await import('../../src/physics/chemical/substances.js');
    const p = { rateGPerS: 1000, windMPerS: 3, stability: 'D' as const, heightM: 0, terrain: 'rural' as const };
    const d = dispersionFor(SUBSTANCES['chlorine']!, p, 'dense');
    expect(j.zones[2].distanceM).toBeCloseTo(threatZone(d, levelsOfConcern(SUBSTANCES['chlorine']!)[2]).distanceM, 3);
  });
  it('keeps the Gaussian plume for ammonia vapour (lighter than air), and refuses dense on it or without a substance', async () => {
    const r = await dsim('plume', '--substance', 'ammonia', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D');
    expect(r.out).toMatch(/^Gaussian plume/);
    expect(r.out).toContain('the vapour is lighter than air at its boiling point: passive');
    expect(r.out).not.toMatch(/NaN|Infinity/);
    // dense forced on it: refused with the densities, exit 2, no zones of 0 m
    const dense = await dsim(
      'plume',
      '--substance',
      'ammonia',
      '--rate-g-s',
      '1000',
      '--wind-m-s',
      '3',
      '--stability',
      'D',
      '--model',
      'dense',
    );
    expect(dense.code).toBe(2);
    expect(dense.err.split('\n')[0]).toBe(
      'dsim: the dense-gas model does not apply to NH3: its vapour at the boiling point (0.87 kg/m³) is lighter than the air (1.20 kg/m³), so the cloud rises; use dispersion auto or gaussian',
    );
    expect(dense.out).toBe('');
    expect(r.out).toContain('lighter than air');
    const bad = await dsim('plume', '--loc-mg-m3', '1,2,3', '--rate-g-s', '10', '--wind-m-s', '3', '--stability', 'D', '--model', 'dense');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--model dense needs --substance/);
  });
  it('--mass-kg: an instantaneous release as a dense puff', async () => {
    const r = await dsim('plume', '--substance', 'chlorine', '--mass-kg', '1000', '--wind-m-s', '2', '--stability', 'F');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^dense gas \(Britter & McQuaid puff\)/);
  });
});

describe('dsim serve', () => {
  it('refuses to listen beyond loopback without a token: exit 2, one line saying why', async () => {
    const r = await dsim('serve', '--host', '0.0.0.0', '--port', '0', '--data', '/tmp/dsim-never');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
  });
});

describe('dsim compare, sweep and size', () => {
  it('compare prints each variant and the paired difference, marked significant', async () => {
    const r = await dsim('compare', 'validation/one-truck', '--set', 'resources.fleet[truck].count=2', '-n', '3');
    expect(r.code).toBe(0);
    expect(r.out).toContain('B: resources.fleet[truck].count=2');
    expect(r.out).toMatch(/Share of displaced relieved.*62\.5%\s+100\.0%\s+\+37\.5% \[\+37\.5%, \+37\.5%\] \*/);
    // it shows a loss, so the back-tests' measured bias beside it
    expect(r.out).toMatch(/Direct loss \/ GDP[\s\S]*about \d+ times the reported loss of a flood/);
  });
  it('sweep writes CSV; size answers with the smallest value and its probes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-sweep-'));
    const csv = join(dir, 's.csv');
    const s = await dsim('sweep', 'validation/one-truck', '--set', 'resources.fleet[truck].count=1..3', '-n', '2', '--csv', csv);
    expect(s.code).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true); // every CSV dsim writes: BOM, CRLF
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^resources\.fleet\[truck\]\.count,reliefWithinDeadline,reliefShare,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['1', '0.625'],
      ['2', '1'],
      ['3', '1'],
    ]);
    const z = await dsim(
      'size',
      'validation/one-truck',
      '--vary',
      'resources.fleet[truck].count',
      '--target',
      'relief-within-deadline',
      '--min',
      '1',
      '--max',
      '8',
      '-n',
      '40',
      '--workers',
      '1',
      '--json',
      '-',
    );
    expect(z.code).toBe(0);
    expect(JSON.parse(z.out)).toMatchObject({ kind: 'dsim.sizing', answer: 2, confidence: 0.9 });
    const bad = await dsim('size', 'validation/one-truck', '--vary', 'resources.fleet[nope].count', '--target', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no item with id "nope"/);
  });
});

describe('results that could not be written are found before the run', () => {
  // Root passes access(W_OK) checks on an immutable folder or file on some systems and always
  // passes them on a read-only bind; chattr +i needs root and a file system that has the flag.
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'dsim-immutable-'));
  const folder = join(dir, 'locked');
  const file = join(dir, 'kept.json');
  writeFileSync(file, '{"kept":true}');
  spawnSync('mkdir', [folder]);
  const immutable = spawnSync('chattr', ['+i', folder, file]).status === 0;
  afterAll(() => void spawnSync('chattr', ['-i', folder, file]));
  it.skipIf(!immutable)('an immutable folder or result file: exit 5 naming it, before any replication, the file kept', async () => {
    const intoFolder = await dsim('run', 'validation/one-truck', '--json', join(folder, 'r.json'), '--replications', '10000000');
    expect(intoFolder.code).toBe(5);
    expect(intoFolder.err).toContain(`folder ${folder} is not writable`);
    const overFile = await dsim('run', 'validation/one-truck', '--json', file, '--replications', '10000000');
    expect(overFile.code).toBe(5);
    expect(overFile.err).toContain(`${file}: cannot write the result (EPERM)`);
    expect(readFileSync(file, 'utf8')).toBe('{"kept":true}');
    const csv = await dsim('run', 'validation/one-truck', '--csv', folder, '--replications', '10000000');
    expect(csv.code).toBe(5);
    expect(csv.err).toContain(`${join(folder, 'kpis.csv')}: cannot write the result: folder ${folder} is not writable`);
  });
});

describe('writing results to devices and pipes', () => {
  it('writes in place to a FIFO (and so to /dev/null) instead of renaming a file over it', async () => {
    const { spawnSync } = await import('node:child_process');
    const { statSync } = await import('node:fs');
    const { spawnTracked } = await import('../procs.js');
    const dir = mkdtempSync(join(tmpdir(), 'dsim-fifo-'));
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawnTracked('cat', [fifo]);
    let got = '';
    reader.stdout!.on('data', (b: Buffer) => (got += b.toString()));
    const closed = new Promise((r) => reader.on('close', r));
    const r = await dsim('run', 'validation/one-truck', '--quiet', '--no-timing', '--json', fifo);
    await closed;
    expect(r.code).toBe(0);
    expect(JSON.parse(got).kind).toBe('dsim.result');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
