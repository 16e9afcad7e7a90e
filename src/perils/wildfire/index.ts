/**
 * Forest and reed fires: McArthur spread and containment by fireline (hazards/wildfire/),
 * scheduled by events.ts. Its slice: fires, fires out within 24 h, burned area in ‰ of the fuel
 * area; its targets: out within 24 h and the annual burned-area rate.
 */
import { z } from 'zod';
import { Counter } from '../../stats/bag.js';
import { Distribution } from '../../stats/distribution.js';
import { DistStat, distStat, Num, ratio } from '../../stats/summary-stat.js';
import type { Peril, PerilEnv } from '../peril.js';
import { type CompiledWildfire, type WildfireHazard, wildfireDefinition } from './definition.js';
import { scheduleWildfires, WildfireFacts } from './events.js';

const slice = () => ({ fires: new Counter(), outWithin24h: new Counter(), burnedPermille: new Distribution() });
type WildfireSlice = ReturnType<typeof slice>;

export const ForestFireSection = z.object({
  fires: z.number().int(),
  firesPerReplication: Num,
  outWithin24hShare: Num,
  burnedPermille: DistStat,
});

const out24 = (f: WildfireFacts): number => f.outHours.reduce((a, x) => a + (x <= 24 ? 1 : 0), 0);
/** Burned area, ‰ of the fuel area of every wildfire hazard. */
function permille(f: WildfireFacts, env: PerilEnv): number {
  const areaHa = env.m.hazards.reduce((a, h) => a + (h.type === 'wildfire' ? (h.spec as CompiledWildfire).areaHa : 0), 0);
  return areaHa > 0 ? (f.burnedHa / areaHa) * 1000 : 0;
}

export const wildfire: Peril<WildfireHazard, CompiledWildfire, WildfireFacts, WildfireSlice, z.infer<typeof ForestFireSection>> = {
  definition: wildfireDefinition,
  schedule: scheduleWildfires,
  kpis: {
    facts: () => new WildfireFacts(),
    slice,
    add(s, f, env) {
      s.fires.add(f.outHours.length);
      s.outWithin24h.add(out24(f));
      s.burnedPermille.add(permille(f, env));
    },
    key: 'forestFire',
    schema: ForestFireSection,
    summary: (s, n) => ({
      fires: s.fires.n,
      firesPerReplication: ratio(s.fires.n, n),
      outWithin24hShare: ratio(s.outWithin24h.n, s.fires.n),
      burnedPermille: distStat(s.burnedPermille),
    }),
    targets: [
      {
        id: 'forest-fire-24h',
        unit: 'share',
        applies: ({ targets: t }) => t.forestFireOutWithin24hShare !== undefined,
        describe: ({ targets: t }) => `share of forest fires out within 24 h >= ${t.forestFireOutWithin24hShare}`,
        threshold: () => 24,
        required: ({ targets: t }) => t.forestFireOutWithin24hShare!,
        judged: (f) => f.outHours.length > 0,
        met: (f, env) => out24(f) / f.outHours.length >= env.targets.forestFireOutWithin24hShare! - 1e-12,
        estimate: (s, env) => {
          const share = s.fires.n > 0 ? s.outWithin24h.n / s.fires.n : NaN;
          return { value: share, met: share >= env.targets.forestFireOutWithin24hShare! };
        },
      },
      {
        id: 'forest-burned',
        unit: 'permille',
        applies: ({ targets: t }) => t.forestBurnedPermilleMax !== undefined,
        describe: ({ targets: t }) => `burned forest per year <= ${t.forestBurnedPermilleMax}\u2030 of forest area`,
        threshold: ({ targets: t }) => t.forestBurnedPermilleMax!,
        required: () => 1,
        met: (f, env) => permille(f, env) <= env.targets.forestBurnedPermilleMax!,
        estimate: (s, env) => {
          const v = s.burnedPermille.moments.mean;
          return { value: v, met: v <= env.targets.forestBurnedPermilleMax! };
        },
      },
    ],
    rows: (f, fmt) => [
      {
        label: `Forest fire burned area (‰ of forest); ${fmt.percent(f.outWithin24hShare)} out within 24 h`,
        stat: f.burnedPermille,
        format: 'number',
      },
    ],
  },
};
