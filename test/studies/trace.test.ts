import { describe, expect, it } from 'vitest';
import { Distribution, KpiAccumulator } from '../../src/kpi/accumulator.js';
import { runBatch } from '../../src/run/batch.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';

/** Replication n of a run, as the run counts it: a batch of one. */
function replicationOfRun(name: string, seed: number, n: number) {
  const model = compile(loadScenario(name).scenario);
  const acc = runBatch(model, { seed, from: n, to: n + 1 }, new KpiAccumulator(model));
  return { model, acc };
}

/** The first on-scene of every incident: its response minutes. */
function firstOnScene(events: ReturnType<typeof traceReplication>['events']): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const e of events) {
    if (e.kind !== 'on-scene' || seen.has(e.incident!)) continue;
    seen.add(e.incident!);
    out.push(e.responseMinutes!);
  }
  return out;
}

describe('the trace of one replication', () => {
  for (const [name, n] of [
    ['huantai/flood-50y', 1734],
    ['yanzhou/annual', -1], // -1: the first year with a flood that displaces people (floods, fires, releases; no wildfire)
  ] as const) {
    it(`${name} #${n}: deliveries sum to the people relieved, first on-scene times reproduce the response minutes`, () => {
      const seed = 20261123;
      let r: number = n;
      if (r < 0) {
        const m = compile(loadScenario(name).scenario);
        r = 0;
        while (traceReplication(m, seed, r).facts.displaced === 0 && r < 500) r++;
      }
      const { model, acc } = replicationOfRun(name, seed, r);
      const t = traceReplication(model, seed, r);
      // relief: people relieved by deliveries = the run's relief curve at the horizon × displaced
      const delivered = t.events.filter((e) => e.kind === 'convoy-delivered').reduce((a, e) => a + e.people!, 0);
      expect(delivered).toBe(t.facts.relieved);
      const horizon = acc.reliefCurve[acc.reliefCurve.length - 1]!.ratio;
      expect(t.facts.displaced).toBeGreaterThan(0);
      expect(delivered / t.facts.displaced).toBeCloseTo(horizon, 12);
      // response: every incident's first arrival, as rescue calls plus fires of the run's statistics
      const onScene = firstOnScene(t.events);
      const calls = acc.responseMinutes.moments;
      // fires: the urban-fire peril's slice (huantai/flood-50y has none: no fire)
      const k = acc.slicedPerils.findIndex((p) => p.definition.type === 'urban-fire');
      const fires = k < 0 ? new Distribution().moments : (acc.perils[k] as { responseMinutes: Distribution }).responseMinutes.moments;
      expect(onScene.length).toBe(calls.count + fires.count);
      expect(onScene.length).toBeGreaterThan(0);
      const sum = (m: typeof calls): number => (m.count > 0 ? m.mean * m.count : 0);
      expect(onScene.reduce((a, x) => a + x, 0)).toBeCloseTo(sum(calls) + sum(fires), 6);
      expect(Math.min(...onScene)).toBe(Math.min(calls.min, fires.min));
      expect(Math.max(...onScene)).toBe(Math.max(calls.max, fires.max));
    });
  }
  it('is replication N of the run: tracing does not change it, and teams and trucks carry stable ids', () => {
    const { model, acc } = replicationOfRun('huantai/flood-50y', 7, 3);
    const t = traceReplication(model, 7, 3);
    expect(t.facts.relievedByDeadline / t.facts.displaced).toBe(acc.reliefShare.moments.mean);
    const ids = new Set(t.events.filter((e) => e.kind === 'dispatch').map((e) => e.entity));
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+\/[a-z-]+#\d+$/);
    for (const e of t.events.filter((x) => x.kind === 'convoy-departed')) expect(e.entity).toMatch(/^[a-z0-9-]+#\d+$/);
    for (let i = 1; i < t.events.length; i++) expect(t.events[i]!.minutes).toBeGreaterThanOrEqual(t.events[i - 1]!.minutes);
  });
  it('zibo-hitech/annual: wildfires and releases are traced, matching the year the run counts', () => {
    const seed = 20261123;
    const model = compile(loadScenario('zibo-hitech/annual').scenario);
    let r = 0;
    const has = (t: ReturnType<typeof traceReplication>, kind: string) => t.events.some((e) => e.kind === kind);
    let t = traceReplication(model, seed, r);
    while (!(has(t, 'wildfire-contained') && has(t, 'release')) && r < 500) t = traceReplication(model, seed, ++r);
    expect(r).toBeLessThan(500);
    const { acc } = replicationOfRun('zibo-hitech/annual', seed, r);
    const slice = <T>(type: string): T => acc.perils[acc.slicedPerils.findIndex((p) => p.definition.type === type)] as T;
    const count = (kind: string) => t.events.filter((e) => e.kind === kind).length;
    // every ignition is contained once, and the run counted as many wildfires that year
    expect(count('wildfire-ignited')).toBe(count('wildfire-contained'));
    expect(count('wildfire-contained')).toBe(slice<{ fires: { n: number } }>('wildfire').fires.n);
    const burned = t.events.filter((e) => e.kind === 'wildfire-contained').reduce((a, e) => a + e.areaHa!, 0);
    expect(burned).toBeGreaterThan(0);
    // releases: as many as the run counted; evacuations complete after their release
    expect(count('release')).toBe(slice<{ releases: { n: number } }>('chemical').releases.n);
    expect(count('evacuation-completed')).toBe(slice<{ evacuationHours: Distribution }>('chemical').evacuationHours.moments.count);
    // urban fires: each controlled fire was ignited
    expect(count('fire-controlled')).toBeLessThanOrEqual(count('fire-ignited'));
    expect(count('fire-controlled')).toBe(slice<{ fires: { n: number } }>('urban-fire').fires.n);
  });
});
