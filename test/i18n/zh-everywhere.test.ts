/**
 * Chinese everywhere (issue 24 item 7): the commands a county office runs, with --lang zh, on
 * every bundled scenario, print no English word. What may stay Latin is named here: technical ids
 * the user typed or that name a file (scenario, zone, unit, hazard and target ids, the hash),
 * quantile column heads (p50 …), and the abbreviations the plans themselves use (GDP, AEGL). No
 * output prints NaN or Infinity.
 */
import { describe, expect, it } from 'vitest';
import { listBundled, loadScenario } from '../../src/scenario/load.js';
import { dsim } from '../helpers.js';

/** What no output may print (issue 26 item 3): a number that is not one. */
const NOT_A_NUMBER = /\bNaN\b|Infinity/;

/** Abbreviations the plans and standards write in Latin letters. */
const ALLOWED = new Set(['GDP', 'AEGL', 'ERPG', 'IDLH', 'Britter', 'McQuaid', 'Briggs', 'Pasquill']);

/** Every id a scenario defines (they are what the user writes in --set and what files name). */
function idsOf(name: string): string[] {
  const s = loadScenario(name).scenario;
  const r = s.resources;
  const ids = [
    s.id,
    ...s.district.zones.map((z) => z.id),
    ...[...r.stations, ...r.warehouses, ...r.fleet, ...(r.mutualAid ?? [])].map((u) => u.id),
    ...s.hazards.map((h) => h.id),
    // chemical sites and other named places inside hazards
    ...s.hazards.flatMap((h) => JSON.stringify(h).match(/"id":"[^"]+"/g) ?? []).map((x) => x.slice(6, -1)),
  ];
  // longest first, so that an id containing another is removed whole
  return ids.sort((a, b) => b.length - a.length);
}

function latinWords(text: string, ids: readonly string[]): string[] {
  let rest = text.replace(/[0-9a-f]{16}/g, ''); // hashes
  // whole ids only (zone "A" must not eat the A of a word)
  for (const id of [...ids].sort((a, b) => b.length - a.length))
    rest = rest.replace(new RegExp(`(?<![A-Za-z0-9_.-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`, 'g'), '');
  rest = rest.replace(/\bp(50|90|95|99)\b/g, '');
  return [...new Set(rest.match(/[A-Za-z]{3,}/g) ?? [])].filter((w) => !ALLOWED.has(w));
}

describe('every command in Chinese', () => {
  for (const name of listBundled()) {
    it(`run and trace of ${name}`, async () => {
      const ids = idsOf(name);
      const run = await dsim('run', name, '-n', '30', '--lang', 'zh', '--no-timing');
      expect(run.code).toBe(0);
      expect(latinWords(run.out, ids), 'run').toEqual([]);
      expect(run.out, 'run').not.toMatch(NOT_A_NUMBER);
      const trace = await dsim('trace', name, '--replication', '1', '--lang', 'zh');
      expect(trace.code).toBe(0);
      expect(latinWords(trace.out, ids), 'trace').toEqual([]);
      expect(trace.out, 'trace').not.toMatch(NOT_A_NUMBER);
    });
  }

  it('list, plume, backtest, binds and compare', async () => {
    const ids = idsOf('validation/one-truck');
    const outs = [
      await dsim('list', '--lang', 'zh'),
      await dsim('plume', '--substance', '氯气', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D', '--lang', 'zh'),
      // a gas lighter than air, by auto, as a plume and as a puff (the dense cloud's figures would be NaN)
      await dsim('plume', '--substance', '液氨', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D', '--lang', 'zh'),
      await dsim('plume', '--substance', '液氨', '--mass-kg', '2000', '--wind-m-s', '2', '--stability', 'F', '--lang', 'zh'),
      await dsim('binds', 'validation/one-truck', '-n', '20', '--lang', 'zh'),
      await dsim('backtest', '--replications', '20', '--lang', 'zh'),
      await dsim(
        'compare',
        'validation/one-truck',
        '--set',
        'resources.fleet[truck].count=2',
        '-n',
        '20',
        '--workers',
        '1',
        '--lang',
        'zh',
      ),
    ];
    for (const o of outs) {
      expect(o.code).toBe(0);
      expect(o.out, o.out.slice(0, 80)).not.toMatch(NOT_A_NUMBER);
    }
    // list names scenarios by their ids (what the user types)
    const listed = listBundled();
    expect(
      latinWords(
        outs[0]!.out,
        listed.sort((a, b) => b.length - a.length),
      ),
      'list',
    ).toEqual([]);
    for (const o of outs.slice(1))
      expect(latinWords(o.out, [...ids, 'validation/one-truck', 'resources.fleet[truck].count']), o.out.slice(0, 80)).toEqual([]);
  });
});
