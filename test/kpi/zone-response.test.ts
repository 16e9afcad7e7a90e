/**
 * Why the county seat's rescue calls wait longest (issue 26, item 6), read from traces: its
 * calls come only in the replications where the town's drainage floods (about one in six
 * Huantai 50-year floods), which are the replications with the most calls everywhere. Within
 * those replications its calls wait as long as every other zone's. Each zone therefore reports,
 * beside its own mean, the mean of every call of the replications in which it had any.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';
import { runBundled } from '../helpers.js';

describe('a zone’s response read against the same replications', () => {
  const N = 120;
  const r = runBundled('huantai/flood-50y', { replications: N });
  const { scenario } = loadScenario('huantai/flood-50y');
  const model = compile(scenario);
  // from the traces: per zone, the replications with a call there and all their calls' responses
  const own = new Map<string, number[]>();
  const same = new Map<string, { sum: number; calls: number; replications: number }>();
  for (let i = 0; i < N; i++) {
    const scenes = traceReplication(model, r.seed, i).events.filter((e) => e.kind === 'on-scene' && e.responseMinutes !== undefined);
    // a call's first arrival is its response (later teams on the same call are not)
    const first = new Map<number, { zone: string; minutes: number }>();
    for (const e of scenes) if (!first.has(e.incident!)) first.set(e.incident!, { zone: e.zone!, minutes: e.responseMinutes! });
    const calls = [...first.values()];
    const total = calls.reduce((a, c) => a + c.minutes, 0);
    for (const zone of new Set(calls.map((c) => c.zone))) {
      const s = same.get(zone) ?? { sum: 0, calls: 0, replications: 0 };
      same.set(zone, { sum: s.sum + total, calls: s.calls + calls.length, replications: s.replications + 1 });
    }
    for (const c of calls) own.set(c.zone, [...(own.get(c.zone) ?? []), c.minutes]);
  }

  it('equals what the traces give, zone by zone', () => {
    for (const z of r.zones) {
      const s = same.get(z.id);
      if (s === undefined) {
        expect(z.replicationsWithCalls, z.id).toBe(0);
        continue;
      }
      expect(z.replicationsWithCalls, z.id).toBe(s.replications);
      expect(z.sameReplicationsResponseMinutesMean!, z.id).toBeCloseTo(s.sum / s.calls, 3);
      const mine = own.get(z.id)!;
      expect(z.responseTimeMinutesMean!, z.id).toBeCloseTo(mine.reduce((a, b) => a + b, 0) / mine.length, 3);
    }
  });

  it('the county seat waits longest on its own, and no longer than everyone in its replications', () => {
    const z1 = r.zones.find((z) => z.id === 'Z1')!;
    const others = r.zones.filter((z) => z.id !== 'Z1' && z.responseTimeMinutesMean !== null);
    expect(others.length).toBeGreaterThan(3);
    for (const z of others) expect(z1.responseTimeMinutesMean!, z.id).toBeGreaterThan(z.responseTimeMinutesMean!);
    // its calls come in a minority of the replications …
    expect(z1.replicationsWithCalls).toBeLessThan(N / 3);
    // … which are slow for every zone: its own mean is within 10% of theirs
    expect(Math.abs(z1.responseTimeMinutesMean! / z1.sameReplicationsResponseMinutesMean! - 1)).toBeLessThan(0.1);
  });
});
