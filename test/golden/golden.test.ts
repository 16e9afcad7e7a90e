/**
 * Golden digests: SHA-256 of the `--no-timing` JSON of every bundled scenario (in its own mode:
 * event for flood-50y and validation cases, annual for <district>/annual) at a fixed seed and
 * replication count. A refactor keeps every digest. An intended change of results bumps
 * ENGINE_VERSION, regenerates the digests (`DSIM_UPDATE_GOLDEN=1 npx vitest run test/golden`) in
 * the same commit, and adds a CHANGELOG.md line saying what changed and why.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listBundled } from '../../src/scenario/load.js';
import { runBundled } from '../helpers.js';

const FILE = fileURLToPath(new URL('./digests.json', import.meta.url));
const SEED = 20261123;
/** Replications per scenario: enough to exercise every path, small enough for the test run. */
const REPLICATIONS: Record<string, number> = { 'validation/mmc': 2 };
const DEFAULT_REPLICATIONS = 60;

interface Golden {
  seed: number;
  digests: Record<string, { replications: number; sha256: string }>;
}

function digest(name: string, replications: number): string {
  const json = `${JSON.stringify(runBundled(name, { seed: SEED, replications }), null, 2)}\n`;
  return createHash('sha256').update(json).digest('hex');
}

const names = listBundled();
const computed: Golden = {
  seed: SEED,
  digests: Object.fromEntries(
    names.map((n) => {
      const replications = REPLICATIONS[n] ?? DEFAULT_REPLICATIONS;
      return [n, { replications, sha256: digest(n, replications) }];
    }),
  ),
};

if (process.env['DSIM_UPDATE_GOLDEN'] === '1') writeFileSync(FILE, `${JSON.stringify(computed, null, 2)}\n`);
const stored = JSON.parse(readFileSync(FILE, 'utf8')) as Golden;

describe('golden digests of the bundled scenarios', () => {
  it('cover every bundled scenario', () => {
    expect(Object.keys(stored.digests).sort()).toEqual([...names].sort());
  });
  for (const n of names) {
    it(`${n} is unchanged`, () => {
      expect(computed.digests[n]).toEqual(stored.digests[n]);
    });
  }
});
