/**
 * `dsim migrate` (issue 26, item 7): a scenario of an older engine is upgraded with its comments
 * kept, the original kept beside it, and the result valid; `dsim validate` on the old file says
 * that migrate fixes it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { dsim } from '../helpers.js';

/** validation/annual-loss as an engine before 0.6.0 wrote it, sheltering as before 0.14.0. */
function oldFile(): { dir: string; file: string; text: string } {
  const current = readFileSync(join(SCENARIO_DIR, 'validation/annual-loss.yaml'), 'utf8');
  const text = current.replace(
    '    releaseClasses: [{ id: all, perYear: 2, fraction: 0.1, minutes: 10 }]\n',
    [
      '    # two releases a year, as the plan counts them',
      '    releasesPerYear: 2',
      '    releaseFraction: 0.1',
      '    releaseMinutes: { dist: triangular, min: 5, mode: 10, max: 15 }',
      '    protectiveAction: { policy: shelter, airExchangePerHour: 0.5 }',
      '',
    ].join('\n'),
  );
  expect(text).not.toBe(current);
  const dir = mkdtempSync(join(tmpdir(), 'dsim-migrate-'));
  const file = join(dir, 'old.yaml');
  writeFileSync(file, text);
  return { dir, file, text };
}

describe('dsim migrate', () => {
  it('validate refuses the old file and names the fix', async () => {
    const { file } = oldFile();
    const r = await dsim('validate', file);
    expect(r.code).toBe(3);
    expect(r.err).toContain('hazards[1].releasesPerYear');
    expect(r.err).toContain(`dsim migrate ${file}`);
    const zh = await dsim('validate', file, '--lang', 'zh');
    expect(zh.err).toContain('运行 dsim migrate');
  });

  it('upgrades in place, keeps the original and the comments, and the result is valid', async () => {
    const { file, text } = oldFile();
    const r = await dsim('migrate', file);
    expect(r.code).toBe(0);
    expect(r.err).toContain('hazards[1]: releasesPerYear, releaseFraction and releaseMinutes became one release class');
    expect(r.err).toContain('hazards[1].protectiveAction: airingMinutes: 0 added');
    expect(r.err).toContain(`${file}: ok (validation-annual-loss)`);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(text);
    const now = readFileSync(file, 'utf8');
    expect(now).toContain('# two releases a year, as the plan counts them');
    expect(now).toContain('# Annual-mode validation');
    const plant = parse(now).hazards[1];
    expect(plant.releasesPerYear).toBeUndefined();
    expect(plant.releaseClasses).toEqual([
      expect.objectContaining({ id: 'release', perYear: 2, fraction: 0.1, minutes: { dist: 'triangular', min: 5, mode: 10, max: 15 } }),
    ]);
    expect(plant.protectiveAction).toEqual({ policy: 'shelter', airExchangePerHour: 0.5, airingMinutes: 0 });
    expect((await dsim('validate', file)).code).toBe(0);
    // a second time: nothing to do, and no second backup
    const again = await dsim('migrate', file, '--lang', 'zh');
    expect(again.code).toBe(0);
    expect(again.err).toContain('无需升级');
    expect(readFileSync(file, 'utf8')).toBe(now);
  });

  it('--out writes the upgrade elsewhere and leaves the file alone; a missing file is named', async () => {
    const { dir, file, text } = oldFile();
    const out = join(dir, 'new.yaml');
    const r = await dsim('migrate', file, '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(parse(readFileSync(out, 'utf8')).hazards[1].releaseClasses[0].id).toBe('release');
    const missing = await dsim('migrate', join(dir, 'nope.yaml'));
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('nope.yaml');
  });
});
