/**
 * A small extra peril for the test of the hazard contract: power outages. Each event brings a
 * Poisson number of outages (mean `outagesPerEvent`) in one zone, each repaired by one team of
 * the given types in `repairMinutes`. Facts: the outages and their restoration times. Slice: the
 * count and hours to restore. Target: at most `maxOutages` outages in an event.
 */
import { z } from 'zod';
import type { Peril } from '../../src/perils/peril.js';
import { roadThenLocal } from '../../src/response/context.js';
import { poisson, sample } from '../../src/rng/distributions.js';
import { Dist, id, positive } from '../../src/scenario/fields.js';
import { Counter } from '../../src/stats/bag.js';
import { Distribution } from '../../src/stats/distribution.js';
import { DistStat, distStat, Num, ratio } from '../../src/stats/summary-stat.js';

const PowerOutage = z.strictObject({
  type: z.literal('power-outage'),
  id,
  zone: id,
  outagesPerEvent: positive(1000),
  maxOutages: z.number().int().nonnegative(),
  teamTypes: z.array(id).min(1),
  repairMinutes: Dist,
});
type PowerOutage = z.infer<typeof PowerOutage>;
interface Compiled extends Omit<PowerOutage, 'zone'> {
  readonly zone: number;
  readonly eligible: ReadonlySet<string>;
}
class Facts {
  outages = 0;
  readonly restoredHours: number[] = [];
}
const slice = () => ({ outages: new Counter(), restoredHours: new Distribution() });
const Section = z.object({ outagesPerEvent: Num, restoredHours: DistStat });
const specOf = (env: { m: { hazards: readonly { type: string; spec: unknown }[] } }): Compiled =>
  env.m.hazards.find((h) => h.type === 'power-outage')!.spec as Compiled;

export const powerOutage: Peril<PowerOutage, Compiled, Facts, ReturnType<typeof slice>, z.infer<typeof Section>> = {
  definition: {
    type: 'power-outage',
    schema: PowerOutage,
    references(h, at, check) {
      check.zone(`${at}.zone`, h.zone);
      h.teamTypes.forEach((t, j) => check.teamType(`${at}.teamTypes[${j}]`, t));
    },
    compile: (h, lookup) => Object.freeze({ ...h, zone: lookup.zone(h.zone), eligible: new Set(h.teamTypes) }),
  },
  schedule(ctx, h, facts) {
    const r = ctx.rng(`power-outage:${h.id}`);
    const n = poisson(r, h.outagesPerEvent);
    const travel = roadThenLocal(ctx.roads, 30, () => 0);
    for (let k = 0; k < n; k++) {
      facts.outages++;
      const work = sample(h.repairMinutes, r);
      const incident = { timeMinutes: 0, zone: h.zone, workMinutes: work, people: 0 };
      ctx.sim.at(0, () =>
        ctx.teams.alarm({ incident, eligible: h.eligible, travel, onScene: (minutes) => facts.restoredHours.push((minutes + work) / 60) }),
      );
    }
    return undefined;
  },
  kpis: {
    facts: () => new Facts(),
    slice,
    add(s, f) {
      s.outages.add(f.outages);
      for (const x of f.restoredHours) s.restoredHours.add(x, true);
      s.restoredHours.moments.flush();
    },
    key: 'powerOutage',
    schema: Section,
    summary: (s, n) => ({ outagesPerEvent: ratio(s.outages.n, n), restoredHours: distStat(s.restoredHours) }),
    targets: [
      {
        id: 'power-outages',
        unit: 'number',
        applies: () => true,
        describe: (env) => `outages in an event <= ${specOf(env).maxOutages}`,
        threshold: (env) => specOf(env).maxOutages,
        required: () => 1,
        met: (f, env) => f.outages <= specOf(env).maxOutages,
        value: (f) => f.outages,
      },
    ],
    rows: (s) => [{ label: 'Power restored (h)', stat: s.restoredHours, format: 'number' }],
  },
};
