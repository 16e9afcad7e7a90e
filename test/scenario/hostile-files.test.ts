/**
 * Inputs that once passed validation and then crashed, hung or escaped: every one is now a
 * scenario problem or a usage error naming the file or option, found before anything runs.
 */

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dsim } from '../helpers.js';
import { once, spawnTracked } from '../procs.js';

const base = (): any => parse(readFileSync('scenarios/validation/one-truck.yaml', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'dsim-hostile-'));
const write = (name: string, data: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof data === 'string' ? data : stringify(data));
  return file;
};

describe('what validates, runs; what cannot run is refused up front', () => {
  it('31 team types: refused as a scenario problem (the dispatcher supports 30)', async () => {
    const s = base();
    s.resources.stations[0].teams = Array.from({ length: 31 }, (_, k) => ({ type: `t${k}`, count: 1, crew: 1, turnoutMinutes: 1 }));
    const file = write('types.yaml', s);
    const r = await dsim('validate', file);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${file}: resources: 31 team types; at most 30 are supported`);
  });
  it('a flood that would raise a billion rescue calls is refused naming the field, not run out of memory', async () => {
    const s = parse(readFileSync('scenarios/huantai/flood-50y.yaml', 'utf8'));
    s.district.zones[0].population = 1_000_000_000;
    s.hazards[0].stranded.groupSize = 1;
    const file = write('calls.yaml', s);
    const r = await dsim('run', file, '-n', '2', '--quiet');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/hazards\[0\]\.stranded\.groupSize: up to [\d,]+ rescue calls per flood/);
  });
  it('a GDP of 5e-324 is refused, not divided by', async () => {
    const s = base();
    s.district.gdpCnyPerYear = 5e-324;
    const r = await dsim('run', write('gdp.yaml', s), '-n', '2', '--quiet');
    expect(r.code).toBe(3);
    expect(r.err).toContain('district.gdpCnyPerYear');
  });
  it('an alias bomb is a YAML problem of the file, and the next file is still checked', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'
        .split('')
        .map(
          (c, i) =>
            `${c}: &${c} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
        ),
    ].join('\n');
    const file = write('bomb.yaml', `${bomb}\n`);
    const other = write('other.yaml', { ...base(), district: 'oops' });
    const r = await dsim('validate', file, other);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${file}: (top level): YAML cannot be expanded`);
    expect(r.err).toContain(`${other}: district: `);
    expect(r.err).not.toMatch(/internal error/);
  });
  it('schema and reference problems are reported together', async () => {
    const s = base();
    s.resources.fleet[0].count = 'ten';
    s.resources.warehouses[0].zone = 'Nowhere';
    const r = await dsim('validate', write('both.yaml', s));
    expect(r.err).toContain('resources.fleet[0].count: expected a number');
    expect(r.err).toContain('resources.warehouses[0].zone: unknown zone "Nowhere"');
  });
});

describe('files', () => {
  it('extends refuses a link that leaves the folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'dsim-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), stringify(base()));
    const folder = join(dir, 'linked');
    mkdirSync(folder);
    symlinkSync(join(outside, 'secret.yaml'), join(folder, 'parent.yaml'));
    const child = join(folder, 'child.yaml');
    writeFileSync(child, 'extends: parent.yaml\nname: child\n');
    const r = await dsim('validate', child);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${child}: extends: "parent.yaml" is a link to a file outside this scenario's folder`);
  });
  it('a parent file is held to the same size limit', async () => {
    const folder = join(dir, 'big');
    mkdirSync(folder);
    writeFileSync(join(folder, 'huge.yaml'), `description: "${'x'.repeat(5_100_000)}"\n`);
    writeFileSync(join(folder, 'child.yaml'), 'extends: huge.yaml\n');
    const r = await dsim('validate', join(folder, 'child.yaml'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/huge\.yaml: 1 problem[\s\S]*scenarios are limited to 5000000/);
  });
  it('--json to a symbolic link or into a read-only folder is refused before the run', async () => {
    const target = join(dir, 'real.json');
    writeFileSync(target, 'keep me');
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    const r = await dsim('run', 'validation/one-truck', '-n', '2', '--quiet', '--json', link);
    expect(r.code).toBe(5);
    expect(r.err).toContain('it is a symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    if (process.getuid?.() !== 0) {
      // root writes anywhere: the read-only check is meaningful for other users only
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      const r2 = await dsim('run', 'validation/one-truck', '-n', '2', '--quiet', '--json', join(ro, 'x.json'));
      expect(r2.code).toBe(5);
      expect(r2.err).toContain('is not writable');
    }
  });
});

describe('an in-thread run', () => {
  it('--workers 1 stops on Ctrl-C with what it merged (exit 130), in the language asked', async () => {
    for (const [lang, line] of [
      ['en', /^dsim: interrupted after (\d+) replications; the results above cover those$/m],
      ['zh', /^dsim: 已中断：完成(\d+)次模拟；以上结果仅涵盖这些模拟$/m],
    ] as const) {
      const p = spawnTracked(
        process.execPath,
        ['bin/dsim.js', 'run', 'huantai/annual', '-n', '1000000', '--workers', '1', '--quiet', '--progress', '--lang', lang],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const exit = new Promise<number | null>((r) => p.on('exit', r));
      // the first progress line comes from inside the run, after its Ctrl-C handler is set: an
      // event, where a wait of any length (of wall or of CPU time) could fall before the handler
      const { ready, log } = once(p, 'stderr', '\n');
      await ready;
      expect(log()).toMatch(
        lang === 'en'
          ? /^dsim: huantai-annual: \d+ of 1000000 replications \(\d+\.\d%\)\n/
          : /^dsim: huantai-annual：已完成\d+\/1000000次模拟（\d+\.\d%）\n/,
      );
      p.kill('SIGINT');
      expect(await exit).toBe(130);
      // a run that ignored the signal would go on for the whole million years (about ten minutes)
      const merged = Number(line.exec(log())?.[1]);
      expect(merged).toBeGreaterThan(0);
      expect(merged).toBeLessThan(1_000_000);
    }
  });
});

describe('memory', () => {
  it('a run about to exhaust the heap stops in-thread with exit 8 naming the replication, not a V8 crash', async () => {
    // DSIM_HEAP_STOP_SHARE lowers the stop line far below what any run uses, to exercise the path
    const p = spawnTracked(process.execPath, ['bin/dsim.js', 'run', 'validation/one-truck', '-n', '5', '--workers', '1', '--quiet'], {
      env: { ...process.env, DSIM_HEAP_STOP_SHARE: '0.0001' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((r) => p.on('exit', r));
    expect(code).toBe(8);
    expect(err).toMatch(/^dsim: out of memory in replication 0: the heap is nearly full \(limit \d+ MB\)/);
  });

  it('a replication whose memory grows inside it stops with exit 8 too, not V8\'s fatal "heap out of memory"', async () => {
    // two streams of about a million calls against one server: nearly every call waits and is
    // kept, inside replication 0; a 160 MB old space makes it quick (without the kernel's
    // interrupt the process aborts with V8's fatal error, exit 134)
    const file = 'test/fixtures/hungry.yaml';
    const p = spawnTracked(
      process.execPath,
      ['--max-old-space-size=160', 'bin/dsim.js', 'run', file, '-n', '1', '--workers', '1', '--quiet'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((r) => p.on('exit', r));
    expect(err).toMatch(/^dsim: out of memory in replication 0: the heap is nearly full \(limit \d+ MB\)/);
    expect(code).toBe(8);
  });
});

describe('plume options', () => {
  const base = ['plume', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D'];
  it('a prototype key is an unknown substance, an empty height is not 0', async () => {
    const r = await dsim(...base, '--substance', '__proto__');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--substance: unknown substance "__proto__"');
    const h = await dsim(...base, '--substance', 'chlorine', '--height-m', '');
    expect(h.code).toBe(2);
    expect(h.err).toContain('--height-m: expected a number from 0 to 500, got ""');
  });
});
