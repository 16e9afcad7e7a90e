/**
 * Property-based fuzzing (fast-check) of what users type and write: valid scenarios mutated at
 * random (hostile numbers, wrong types, deleted keys, duplicated list items, prototype keys) and
 * random command lines. Whatever comes in, dsim answers with a documented exit status and a
 * message naming the file or the option — never an internal error, a stack trace or a hang.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dsim } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dsim-fuzz-'));
/** More cases or another seed for a hunt: DSIM_FUZZ_RUNS=5000 DSIM_FUZZ_SEED=7 npx vitest run test/fuzz */
const RUNS = Number(process.env['DSIM_FUZZ_RUNS'] ?? 100);
const SEED = Number(process.env['DSIM_FUZZ_SEED'] ?? 20261124);
const codes = new Map<number, number>();

/** Every path to a leaf (number, string, boolean) or list of the data. */
function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(x)) return [at, ...x.flatMap((v, i) => paths(v, [...at, i]))];
  if (x !== null && typeof x === 'object') return [at, ...Object.entries(x).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

const HOSTILE: unknown[] = [0, -1, 1e-300, 5e-324, 1e308, 2 ** 53, 1e15, -0.5, 0.5, 31, '', 'x', '1', null, true, [], {}, [1, 2], { a: 1 }];

type Mutation = { path: number; kind: 'set' | 'delete' | 'duplicate' | 'proto'; value: number };

function mutate(base: unknown, ms: Mutation[]): unknown {
  const data = structuredClone(base) as Record<string, unknown>;
  const all = paths(data).filter((p) => p.length > 0);
  for (const m of ms) {
    const p = all[m.path % all.length]!;
    let parent: unknown = data;
    for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[k];
    if (parent === null || typeof parent !== 'object') continue;
    const key = p[p.length - 1]!;
    const obj = parent as Record<string | number, unknown>;
    if (m.kind === 'set') obj[key] = HOSTILE[m.value % HOSTILE.length];
    else if (m.kind === 'delete') {
      if (Array.isArray(obj)) obj.splice(Number(key), 1);
      else delete obj[key];
    } else if (m.kind === 'duplicate') {
      if (Array.isArray(obj)) obj.push(structuredClone(obj[Number(key)]));
    } else if (!Array.isArray(obj) && !Object.hasOwn(obj, '__proto__'))
      Object.defineProperty(obj, '__proto__', { value: { polluted: 1 }, enumerable: true });
  }
  return data;
}

const mutation = fc.record({
  path: fc.nat(),
  kind: fc.constantFrom('set' as const, 'set' as const, 'delete' as const, 'duplicate' as const, 'proto' as const),
  value: fc.nat(),
});

/** Exit statuses a user's input may produce (cli/exit-codes.ts): never 1, an internal error. */
const DOCUMENTED = [0, 2, 3, 4, 5, 130];

function wellBehaved(r: { code: number; err: string }, what: string): void {
  expect(DOCUMENTED, `${what}\n${r.err}`).toContain(r.code);
  expect(r.err, what).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
}

describe('hostile input (fast-check)', () => {
  for (const name of ['validation/one-truck', 'huantai/flood-50y', 'zibo-hitech/annual']) {
    it(`${name}: mutated scenarios validate or are refused naming the file; valid ones run`, async () => {
      const base = parse(readFileSync(`scenarios/${name}.yaml`, 'utf8'));
      let k = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
          const file = join(dir, `case-${k++}.yaml`);
          writeFileSync(file, stringify(mutate(base, ms), { aliasDuplicateObjects: false }));
          const r = await dsim('run', file, '-n', '2', '--workers', '1', '--quiet', '--no-timing', '--mode', 'event');
          wellBehaved(r, `${file}: ${JSON.stringify(ms)}`);
          codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
          if (r.code === 3) expect(r.err.startsWith(`dsim: ${file}`), r.err).toBe(true);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
  it('the mutations exercise both paths: some scenarios run, some are refused', () => {
    expect(codes.get(0) ?? 0).toBeGreaterThan(10);
    expect(codes.get(3) ?? 0).toBeGreaterThan(10);
  });

  it('random command lines get a documented exit status and a message naming the option', async () => {
    const options = [
      '-n',
      '--replications',
      '--seed',
      '--deadline-hours',
      '--workers',
      '--mode',
      '--until-ci',
      '--max-replications',
      '--ci-kpis',
      '--replication',
      '--severity',
      '--kpi',
      '--stability',
      '--wind-m-s',
      '--rate-g-s',
      '--loc-mg-m3',
      '--substance',
      '--height-m',
      '--terrain',
      '--bogus',
      '--help',
    ];
    const values = [
      '0',
      '-1',
      '3',
      '1e9',
      'abc',
      '',
      ' ',
      'NaN',
      '__proto__',
      'constructor',
      'event',
      'annual',
      'p90',
      'D',
      '5',
      '1,2,3',
      'chlorine',
      'lossRatio',
      '9007199254740993',
    ];
    const word = fc.oneof(
      fc.constantFrom(...options),
      fc.constantFrom(...values),
      fc.constantFrom('validation/one-truck', 'no/such', '../../etc/passwd'),
    );
    const command = fc.constantFrom('run', 'trace', 'validate', 'plume', 'list', 'nonsense');
    await fc.assert(
      fc.asyncProperty(command, fc.array(word, { maxLength: 6 }), async (cmd, args) => {
        // bound the work a valid command line may ask for (the property is about input handling)
        const r = await dsim(cmd, ...args, ...(cmd === 'run' ? ['--quiet', '--workers', '1', '--max-replications', '2000'] : []));
        wellBehaved(r, `${cmd} ${JSON.stringify(args)}`);
      }),
      { numRuns: 3 * RUNS, seed: SEED },
    );
  });
});
