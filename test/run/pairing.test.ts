/**
 * Streams that pair (issue 26): every lever a planner pulls — the protective action, a stock, a
 * fleet, a team, a deadline, a response time, a road's closing depth, mutual aid — leaves the
 * hazards alone. Two runs on one seed, one with the lever pulled, must trace the same floods with
 * the same direct loss, the same roads closed, the same releases with the same size, weather and
 * loss, the same fires and wildfires at the same times and places. Each lever must also change
 * something in at least one scenario, or the check would prove nothing.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/response/trace.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { traceReplication } from '../../src/studies/trace.js';

type AnyHazard = Scenario['hazards'][number] & Record<string, any>;
const hazardsOf = (s: Scenario, type: string): AnyHazard[] => s.hazards.filter((h) => h.type === type) as AnyHazard[];

const BUNDLED = [
  'huantai/flood-50y',
  'huantai/annual',
  'linqing/annual',
  'taierzhuang/annual',
  'yanzhou/annual',
  'zibo-hitech/annual',
  'validation/annual-loss',
];
/**
 * The bundled releases are small (none of 139 in 40 years of each county kills anyone), so a
 * county with thirty times as many, each emptying much of its tank, puts the deaths — the draw
 * the protective action changes — in play.
 */
const MANY_RELEASES = 'huantai/annual, releases ×30 and large';
function scenarioNamed(name: string): Scenario {
  if (name !== MANY_RELEASES) return loadScenario(name).scenario;
  const s = loadScenario('huantai/annual').scenario;
  for (const h of hazardsOf(s, 'chemical'))
    for (const c of h.releaseClasses) {
      c.perYear *= 30;
      c.fraction = { dist: 'triangular', min: 0.2, mode: 0.5, max: 1 };
    }
  return s;
}
const SCENARIOS = [...BUNDLED, MANY_RELEASES];
const REPLICATIONS = 20;
const SEED = 20261204;

interface Lever {
  readonly name: string;
  /** Pulls the lever on a copy; false where the scenario has nothing it acts on. */
  readonly pull: (s: Scenario) => boolean;
  /** Hazard events the lever may change by design (a road's closing depth closes other roads). */
  readonly mayChange?: readonly TraceEvent['kind'][];
}

const LEVERS: Lever[] = [
  {
    name: 'protective action (evacuate ⇄ shelter)',
    pull: (s) => {
      const hs = hazardsOf(s, 'chemical');
      for (const h of hs) {
        const shelter = h.protectiveAction.policy === 'evacuate';
        h.protectiveAction = shelter
          ? {
              policy: 'shelter',
              airExchangePerHour: h.protectiveAction.airExchangePerHour ?? { dist: 'uniform', min: 0.3, max: 1 },
              airingMinutes: { dist: 'triangular', min: 10, mode: 30, max: 90 },
            }
          : { ...h.protectiveAction, policy: 'evacuate' };
      }
      return hs.length > 0;
    },
  },
  {
    name: 'protective action: shelter, then evacuate after the all-clear unless the release lasts over 20 minutes',
    pull: (s) => {
      const hs = hazardsOf(s, 'chemical');
      for (const h of hs)
        h.protectiveAction = {
          policy: 'shelter-then-evacuate',
          airExchangePerHour: { dist: 'lognormal', mean: 0.6, sd: 0.3 },
          airingMinutes: { dist: 'uniform', min: 15, max: 60 },
          evacuateLongerThanMinutes: 20,
        };
      return hs.length > 0;
    },
  },
  {
    name: 'stock halved',
    pull: (s) => {
      for (const w of s.resources.warehouses) for (const k of Object.keys(w.stock)) w.stock[k] = Math.round(w.stock[k]! / 2);
      return s.resources.warehouses.length > 0;
    },
  },
  {
    name: 'every fleet down to one truck',
    pull: (s) => {
      for (const f of s.resources.fleet) f.count = 1;
      return s.resources.fleet.length > 0;
    },
  },
  {
    name: 'one more team of every type at every station',
    pull: (s) => {
      for (const st of s.resources.stations) for (const t of st.teams) t.count += 1;
      return s.resources.stations.length > 0;
    },
  },
  {
    name: 'relief deadline halved',
    pull: (s) => {
      s.targets.reliefDeadlineHours /= 2;
      return true;
    },
  },
  {
    name: 'relief activation drawn instead of fixed (a draw more or fewer)',
    pull: (s) => {
      s.response.activationMinutes = { dist: 'uniform', min: 10, max: 240 };
      return true;
    },
  },
  {
    name: 'ten more buses, and a fixed bus activation',
    pull: (s) => {
      const hs = hazardsOf(s, 'chemical');
      for (const h of hs) h.evacuation = { ...h.evacuation, buses: h.evacuation.buses + 10, activationMinutes: 5 };
      return hs.length > 0;
    },
  },
  {
    name: 'flood rescue work and road clearing times',
    pull: (s) => {
      const hs = hazardsOf(s, 'flood');
      for (const h of hs) {
        h.rescue = { ...h.rescue, workMinutes: { dist: 'lognormal', mean: 90, sd: 45 } };
        h.roadReopenHours = 6;
      }
      return hs.length > 0;
    },
  },
  {
    name: 'fire work on scene and mutual aid times fixed',
    pull: (s) => {
      const hs = hazardsOf(s, 'urban-fire');
      for (const h of hs) {
        h.workMinutes = 30;
        h.mutualAidMinutes = 20;
      }
      return hs.length > 0;
    },
  },
  {
    name: 'wildfire detection and mop-up fixed',
    pull: (s) => {
      const hs = hazardsOf(s, 'wildfire');
      for (const h of hs) {
        h.detectionMinutes = 15;
        h.mopUpHours = 3;
      }
      return hs.length > 0;
    },
  },
  {
    name: 'mutual aid arrives at a fixed time',
    pull: (s) => {
      for (const a of s.resources.mutualAid) a.arrivesAfterHours = 2;
      return s.resources.mutualAid.length > 0;
    },
  },
  {
    name: 'roads raised 0.3 m',
    pull: (s) => {
      for (const l of s.roads.links) l.closesAtDepthM += 0.3;
      return s.roads.links.length > 0;
    },
    mayChange: ['road-closed'],
  },
];

/** What the hazards did in a replication: the events no lever may change, with what they carry. */
function hazardEvents(events: readonly TraceEvent[], mayChange: readonly string[] = []): unknown[] {
  const kinds = new Set(['flood', 'road-closed', 'release', 'release-stopped', 'fire-ignited', 'wildfire-ignited']);
  return events
    .filter((e) => kinds.has(e.kind) && !mayChange.includes(e.kind))
    .map((e) => {
      if (e.kind !== 'release') return e;
      // what people suffer depends on what they do; the release itself does not
      const { deaths: _d, exposed: _x, people: _p, casualtyCostCny: _c, ...release } = e;
      return release;
    });
}

const traces = (s: Scenario) => {
  const model = compile(s);
  return Array.from({ length: REPLICATIONS }, (_, i) => traceReplication(model, SEED, i));
};

describe('streams that pair: a lever changes only what depends on it', () => {
  const bases = new Map(
    SCENARIOS.map((name) => {
      const scenario = scenarioNamed(name);
      return [name, { scenario, runs: traces(scenario) }] as const;
    }),
  );
  it('the scenarios have hazards to compare (floods, releases, fires and wildfires traced)', () => {
    const kinds = new Set([...bases.values()].flatMap((b) => b.runs.flatMap((r) => hazardEvents(r.events).map((e: any) => e.kind))));
    expect([...kinds].sort()).toEqual(['fire-ignited', 'flood', 'release', 'release-stopped', 'road-closed', 'wildfire-ignited']);
  });
  it.each(LEVERS.map((l) => [l.name, l] as const))('%s', (_name, lever) => {
    let applied = 0;
    let changed = 0;
    for (const [name, base] of bases) {
      const s = structuredClone(base.scenario);
      if (!lever.pull(s)) continue;
      applied++;
      const runs = traces(s);
      runs.forEach((run, i) => {
        const b = base.runs[i]!;
        expect(hazardEvents(run.events, lever.mayChange), `${name}, replication ${i}`).toEqual(hazardEvents(b.events, lever.mayChange));
        if (JSON.stringify(run.events) !== JSON.stringify(b.events) || JSON.stringify(run.facts) !== JSON.stringify(b.facts)) changed++;
      });
    }
    expect(applied).toBeGreaterThan(0);
    expect(changed, 'the lever changed no replication anywhere: the check would prove nothing').toBeGreaterThan(0);
  });
});
