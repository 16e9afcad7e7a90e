/**
 * No printed interval leaves its quantity's support (issue 24 item 3), on every bundled scenario:
 * every quantity a result reports is a count, a time, a loss or a share, so every interval lies in
 * [0, ∞) with its low end below its high end, and every share's, probability's or utilisation's in
 * [0, 1]; a comparison's differences of shares and probabilities lie in [−1, 1]. The return
 * period has quantiles and no mean; a censored time has no quantile beyond its horizon.
 */
import { describe, expect, it } from 'vitest';
import { listBundled, loadScenario } from '../../src/scenario/load.js';
import { comparePaired } from '../../src/studies/compare.js';
import { withValue } from '../../src/studies/size.js';
import { runBundled } from '../helpers.js';

type Json = Record<string, unknown>;

/** Every [path, interval] pair in a result: keys named ci95 or ending in Ci95. */
function intervals(x: unknown, path = ''): [string, [number | null, number | null]][] {
  if (Array.isArray(x)) return x.flatMap((v, i) => intervals(v, `${path}[${i}]`));
  if (x === null || typeof x !== 'object') return [];
  return Object.entries(x as Json).flatMap(([k, v]) =>
    /^ci95$|Ci95$/.test(k) && Array.isArray(v) && v.length === 2
      ? [[`${path}.${k}`, v as [number | null, number | null]] as [string, [number | null, number | null]]]
      : intervals(v, `${path}.${k}`),
  );
}

/** A path whose quantity is a share, a probability or a utilisation. */
const isShare = (path: string) =>
  /(reliefWithinDeadline\.ci95|perReplication|Share|share|pTargetMet|pMet|targets\[\d+\]\.ci95|Utilisation|probability)/.test(path);

describe('intervals stay within their support', () => {
  for (const name of listBundled()) {
    it(name, () => {
      const annual = loadScenario(name).scenario.mode === 'annual';
      const r = runBundled(name, { replications: annual ? 25 : 40 }) as unknown as Json;
      const found = intervals(r);
      expect(found.length).toBeGreaterThan(5);
      for (const [path, [lo, hi]] of found) {
        if (lo === null || hi === null) continue;
        expect(lo, path).toBeGreaterThanOrEqual(0);
        expect(lo, path).toBeLessThanOrEqual(hi);
        if (isShare(path)) expect(hi, path).toBeLessThanOrEqual(1);
      }
      const k = r['kpis'] as Json;
      const rp = (k['hazard'] as Json)['returnPeriodYears'] as Json;
      expect([rp['mean'], rp['ci95']]).toEqual([null, [null, null]]);
      const t = k['timeToRelieveAllHours'] as Json;
      for (const q of ['p50', 'p90', 'p95', 'p99', 'max'])
        if (t[q] !== null) expect(t[q] as number, q).toBeLessThanOrEqual(t['censoredAtHours'] as number);
    });
  }

  it('differences of shares and of probabilities in a comparison stay within ±100%', async () => {
    const s = loadScenario('huantai/flood-50y').scenario;
    // zero bedding against plenty: the difference of P(met) is as large as it gets
    const c = await comparePaired(
      [
        { name: 'none', scenario: withValue(s, 'resources.warehouses[county-reserve].stock.bedding', 0) },
        { name: 'plenty', scenario: withValue(s, 'resources.warehouses[county-reserve].stock.bedding', 1e6) },
      ],
      { replications: 60 },
    );
    for (const m of c.metrics.filter((x) => x.unit === 'share'))
      for (const d of m.differences)
        for (const x of [...d.ci95, ...d.unpairedCi95]) {
          if (x === null) continue;
          expect(x, m.id).toBeGreaterThanOrEqual(-1);
          expect(x, m.id).toBeLessThanOrEqual(1);
        }
  });
});
