/**
 * Forest and reed fires: McArthur spread and containment by fireline (physics/wildfire/),
 * scheduled by events.ts. Its slice: fires, fires put out by the teams within 24 h (a fire that
 * burns out at the edge of its block is out, but not put out), burned area in ‰ of forest land
 * and, separately, of grass and reed land; its targets: put out within 24 h, and the forest
 * damage rate (森林火灾受害率), which the plans set for forest land only.
 */
import { z } from 'zod';
import { type CompiledWildfire, type WildfireHazard, wildfireDefinition } from '../../scenario/hazards/wildfire.js';
import { Counter } from '../../stats/bag.js';
import { Distribution } from '../../stats/distribution.js';
import { DistStat, distStat, Num, ratio } from '../../stats/summary-stat.js';
import type { Peril, PerilEnv } from '../peril.js';
import { scheduleWildfires, WildfireFacts } from './events.js';

const slice = () => ({
  fires: new Counter(),
  outWithin24h: new Counter(),
  containedWithin24h: new Counter(),
  burnedOut: new Counter(),
  directFirst: new Counter(),
  fireSizeHa: new Distribution(),
  forestBurnedPermille: new Distribution(),
  grassBurnedPermille: new Distribution(),
});
type WildfireSlice = ReturnType<typeof slice>;

export const ForestFireSection = z.object({
  fires: z.number().int(),
  firesPerReplication: Num,
  outWithin24hShare: Num.meta({ description: 'Out within 24 h of ignition, put out or burned out' }),
  containedWithin24hShare: Num.meta({ description: 'Put out by the teams\u2019 line within 24 h (the plans\u2019 24-hour target)' }),
  burnedOutShare: Num.meta({ description: 'Burned out at the edge of their block (firebreak, water) before the line closed' }),
  directAttackShare: Num.meta({ description: 'Fires whose first team could attack the edge directly (head intensity within the limit)' }),
  fireSizeHa: DistStat.nullable().meta({ description: 'Burned area of each fire, ha (null: no fires)' }),
  forestBurnedPermille: DistStat.nullable().meta({
    description: 'Burned forest per replication, \u2030 of forest land (null: no forest land)',
  }),
  grassBurnedPermille: DistStat.nullable().meta({ description: 'Burned grass and reed land, \u2030 of that land (null: none)' }),
});

const within24 = (f: WildfireFacts, onlyContained: boolean): number =>
  f.outHours.reduce((a, x, i) => a + (x <= 24 && (!onlyContained || f.contained[i]) ? 1 : 0), 0);

/** Fuel areas of every wildfire hazard, ha. */
function areas(env: PerilEnv): { forest: number; grass: number } {
  let forest = 0;
  let grass = 0;
  for (const h of env.m.hazards) {
    if (h.type !== 'wildfire') continue;
    const spec = h.spec as CompiledWildfire;
    forest += spec.forestAreaHa;
    grass += spec.grassAreaHa;
  }
  return { forest, grass };
}
const forestPermille = (f: WildfireFacts, env: PerilEnv): number => {
  const a = areas(env).forest;
  return a > 0 ? (f.burnedForestHa / a) * 1000 : 0;
};

export const wildfire: Peril<WildfireHazard, CompiledWildfire, WildfireFacts, WildfireSlice, z.infer<typeof ForestFireSection>> = {
  definition: wildfireDefinition,
  schedule: scheduleWildfires,
  kpis: {
    facts: () => new WildfireFacts(),
    slice,
    add(s, f, env) {
      const a = areas(env);
      s.fires.add(f.outHours.length);
      s.outWithin24h.add(within24(f, false));
      s.containedWithin24h.add(within24(f, true));
      s.burnedOut.add(f.contained.reduce((n, c) => n + (c ? 0 : 1), 0));
      s.directFirst.add(f.directFirst.reduce((n, d) => n + (d ? 1 : 0), 0));
      for (const ha of f.sizesHa) s.fireSizeHa.add(ha, true);
      s.fireSizeHa.moments.flush();
      if (a.forest > 0) s.forestBurnedPermille.add(forestPermille(f, env));
      if (a.grass > 0) s.grassBurnedPermille.add((f.burnedGrassHa / a.grass) * 1000);
    },
    key: 'forestFire',
    schema: ForestFireSection,
    summary: (s, n) => ({
      fires: s.fires.n,
      firesPerReplication: ratio(s.fires.n, n),
      outWithin24hShare: ratio(s.outWithin24h.n, s.fires.n),
      containedWithin24hShare: ratio(s.containedWithin24h.n, s.fires.n),
      burnedOutShare: ratio(s.burnedOut.n, s.fires.n),
      directAttackShare: ratio(s.directFirst.n, s.fires.n),
      fireSizeHa: s.fireSizeHa.moments.count > 0 ? distStat(s.fireSizeHa) : null,
      forestBurnedPermille: s.forestBurnedPermille.moments.count > 0 ? distStat(s.forestBurnedPermille) : null,
      grassBurnedPermille: s.grassBurnedPermille.moments.count > 0 ? distStat(s.grassBurnedPermille) : null,
    }),
    targets: [
      {
        id: 'forest-fire-24h',
        unit: 'share',
        applies: ({ targets: t }) => t.forestFireOutWithin24hShare !== undefined,
        describe: ({ targets: t }) =>
          `share of forest and reed fires put out by the teams within 24 h >= ${t.forestFireOutWithin24hShare} (burning out at a barrier does not count)`,
        threshold: () => 24,
        required: ({ targets: t }) => t.forestFireOutWithin24hShare!,
        judged: (f) => f.outHours.length > 0,
        met: (f, env) => within24(f, true) / f.outHours.length >= env.targets.forestFireOutWithin24hShare! - 1e-12,
        value: (f) => within24(f, true) / f.outHours.length,
        estimate: (s, env) => {
          const share = s.fires.n > 0 ? s.containedWithin24h.n / s.fires.n : NaN;
          return { value: share, met: share >= env.targets.forestFireOutWithin24hShare! };
        },
      },
      {
        id: 'forest-burned',
        unit: 'permille',
        // the forest damage rate is a forest-land figure: reed and grass land are reported apart
        applies: (env) => env.targets.forestBurnedPermilleMax !== undefined && areas(env).forest > 0,
        describe: ({ targets: t }) => `burned forest per year <= ${t.forestBurnedPermilleMax}\u2030 of forest land`,
        threshold: ({ targets: t }) => t.forestBurnedPermilleMax!,
        required: () => 1,
        met: (f, env) => forestPermille(f, env) <= env.targets.forestBurnedPermilleMax!,
        value: forestPermille,
        estimate: (s, env) => {
          const v = s.forestBurnedPermille.moments.mean;
          return { value: v, met: v <= env.targets.forestBurnedPermilleMax! };
        },
      },
    ],
    rows: (f, fmt) => [
      ...(f.fireSizeHa
        ? [
            {
              label: fmt.t('kpi.wildfire.size', { share: fmt.percent(f.directAttackShare) }),
              stat: f.fireSizeHa,
              format: 'number' as const,
            },
          ]
        : []),
      ...(f.forestBurnedPermille
        ? [
            {
              label: fmt.t('kpi.wildfire.forest', { share: fmt.percent(f.containedWithin24hShare) }),
              stat: f.forestBurnedPermille,
              format: 'number' as const,
            },
          ]
        : []),
      ...(f.grassBurnedPermille
        ? [
            {
              label: fmt.t('kpi.wildfire.grass', { share: fmt.percent(f.burnedOutShare) }),
              stat: f.grassBurnedPermille,
              format: 'number' as const,
            },
          ]
        : []),
    ],
  },
};
