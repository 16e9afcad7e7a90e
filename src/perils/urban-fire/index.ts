/**
 * Urban (building) fires: t-squared growth to flashover against the first unit's arrival
 * (physics/fire/growth.ts), scheduled by events.ts. Its slice: response minutes, the share within
 * the fire-rescue circle (in built-up areas, which the standard addresses, and over the whole
 * district), losses and deaths; its targets: the circle (004 L305) and fire deaths.
 */
import { z } from 'zod';
import type { CompiledModel } from '../../scenario/compile.js';
import { type CompiledUrbanFire, type UrbanFireHazard, urbanFireDefinition } from '../../scenario/hazards/urban-fire.js';
import { Counter } from '../../stats/bag.js';
import { Distribution } from '../../stats/distribution.js';
import { Moments } from '../../stats/moments.js';
import { DistStat, distStat, MeanStat, meanStat, Num, ratio } from '../../stats/summary-stat.js';
import type { Peril, PerilEnv } from '../peril.js';
import { FireFacts, scheduleUrbanFires } from './events.js';

const slice = (m: CompiledModel) => ({
  fires: new Counter(),
  reached: new Counter(),
  firesByZone: m.zones.map(() => new Counter()),
  withinCircleByZone: m.zones.map(() => new Counter()),
  byMutualAid: new Counter(),
  byFirstResponder: new Counter(),
  builtUpFires: new Counter(),
  builtUpWithin: new Counter(),
  responseMinutes: new Distribution(),
  lossCny: new Moments(),
  deathsPer100k: new Distribution(),
});
type FireSlice = ReturnType<typeof slice>;
/** Fires reached within the circle, all zones. */
const withinCircle = (s: FireSlice): number => s.withinCircleByZone.reduce((a, c) => a + c.n, 0);

export const FireSection = z.object({
  fires: z.number().int().meta({ description: 'Fires whose alarm was raised' }),
  firesPerReplication: Num,
  censoredShare: Num.meta({ description: 'Share of fires no engine reached within the horizon (counted as outside the circle)' }),
  circleMinutes: z.number(),
  withinCircleShare: Num.meta({ description: 'Share of all fires reached within the circle, whole district' }),
  builtUpFires: z.number().int().meta({ description: 'Fires in built-up areas (zones with `builtUp`)' }),
  builtUpWithinCircleShare: Num.meta({
    description: 'Share of fires in built-up areas reached within the circle: what the standard addresses (null: no built-up areas)',
  }),
  byMutualAidShare: Num,
  firstResponderShare: Num.meta({ description: 'Share of reached fires where a micro station or town team came first' }),
  responseMinutes: DistStat,
  lossCny: MeanStat,
  deathsPer100k: DistStat,
  byZone: z
    .array(
      z.object({
        zone: z.string(),
        fires: z.number().int().meta({ description: 'Fires over all the replications' }),
        firesPerReplication: Num.meta({ description: 'Fires a replication (a year in annual runs): what the zone table shows' }),
        withinCircleShare: Num,
      }),
    )
    .meta({ description: 'Fires and the share reached within the circle, by zone: where the circle falls short' }),
});

/** The fire-rescue circle the run evaluates: the target's, else 5 minutes (004 L305). */
const circleOf = (env: PerilEnv): number => env.targets.fireResponseMinutes ?? 5;
const deathsPer100k = (f: FireFacts, env: PerilEnv): number => (env.m.population > 0 ? (f.deaths / env.m.population) * 1e5 : 0);
const within = (f: FireFacts, circle: number, builtUpOnly = false): number =>
  f.responseMinutes.reduce((a, x, i) => a + (x <= circle && (!builtUpOnly || f.responseBuiltUp[i]) ? 1 : 0), 0);
/** Whether the district maps built-up areas: the circle is then judged on them. */
const hasBuiltUp = (env: PerilEnv): boolean => env.m.zones.some((z) => z.builtUp !== undefined && z.builtUp.share > 0);
/** The share of a replication's fires (in built-up areas where the district maps them) reached within the circle. */
const circleShare = (f: FireFacts, env: PerilEnv): number => {
  const b = hasBuiltUp(env);
  return within(f, circleOf(env), b) / (b ? f.builtUpAlarms : f.alarms);
};

export const urbanFire: Peril<UrbanFireHazard, CompiledUrbanFire, FireFacts, FireSlice, z.infer<typeof FireSection>> = {
  definition: urbanFireDefinition,
  schedule: scheduleUrbanFires,
  kpis: {
    facts: () => new FireFacts(),
    slice,
    add(s, f, env) {
      for (const x of f.responseMinutes) s.responseMinutes.add(x, true);
      s.responseMinutes.moments.flush();
      s.fires.add(f.alarms);
      s.reached.add(f.responseMinutes.length);
      f.alarmsByZone.forEach((n, z) => s.firesByZone[z]!.add(n));
      const circle = circleOf(env);
      f.responseMinutes.forEach((x, i) => {
        if (x <= circle) s.withinCircleByZone[f.responseZone[i]!]!.add();
      });
      s.byMutualAid.add(f.byMutualAid);
      s.byFirstResponder.add(f.byFirstResponder);
      s.builtUpFires.add(f.builtUpAlarms);
      s.builtUpWithin.add(within(f, circle, true));
      s.lossCny.add(f.lossCny);
      s.deathsPer100k.add(deathsPer100k(f, env));
    },
    key: 'fire',
    schema: FireSection,
    summary(s, n, env) {
      const fires = s.fires.n;
      return {
        fires,
        firesPerReplication: ratio(fires, n),
        censoredShare: ratio(fires - s.reached.n, fires),
        circleMinutes: circleOf(env),
        withinCircleShare: ratio(withinCircle(s), fires),
        builtUpFires: s.builtUpFires.n,
        builtUpWithinCircleShare: ratio(s.builtUpWithin.n, s.builtUpFires.n),
        byMutualAidShare: ratio(s.byMutualAid.n, s.reached.n),
        firstResponderShare: ratio(s.byFirstResponder.n, s.reached.n),
        responseMinutes: distStat(s.responseMinutes),
        lossCny: meanStat(s.lossCny),
        deathsPer100k: distStat(s.deathsPer100k),
        byZone: env.m.zones.map((z, i) => ({
          zone: z.id,
          fires: s.firesByZone[i]!.n,
          firesPerReplication: ratio(s.firesByZone[i]!.n, n),
          withinCircleShare: ratio(s.withinCircleByZone[i]!.n, s.firesByZone[i]!.n),
        })),
      };
    },
    targets: [
      {
        id: 'fire-circle',
        unit: 'share',
        applies: ({ targets: t }) => t.fireResponseMinutes !== undefined,
        describe: (env) =>
          `share of fires${hasBuiltUp(env) ? ' in built-up areas' : ''} reached within ${env.targets.fireResponseMinutes} min >= ${env.targets.fireResponseShare ?? 1}`,
        threshold: ({ targets: t }) => t.fireResponseMinutes ?? 5,
        required: ({ targets: t }) => t.fireResponseShare ?? 1,
        judged: (f, env) => (hasBuiltUp(env) ? f.builtUpAlarms : f.alarms) > 0,
        met: (f, env) => circleShare(f, env) >= (env.targets.fireResponseShare ?? 1) - 1e-12,
        value: circleShare,
        estimate: (s, env) => {
          const b = hasBuiltUp(env);
          const n = b ? s.builtUpFires.n : s.fires.n;
          const share = n > 0 ? (b ? s.builtUpWithin.n : withinCircle(s)) / n : NaN;
          return { value: share, met: share >= (env.targets.fireResponseShare ?? 1) };
        },
      },
      {
        id: 'fire-deaths-per-100k',
        unit: 'number',
        applies: ({ targets: t }) => t.fireDeathsPer100k !== undefined,
        describe: ({ targets: t }) => `fire deaths per 100,000 < ${t.fireDeathsPer100k}`,
        threshold: ({ targets: t }) => t.fireDeathsPer100k!,
        required: () => 1,
        met: (f, env) => deathsPer100k(f, env) < env.targets.fireDeathsPer100k!,
        value: deathsPer100k,
        estimate: (s, env) => {
          const v = s.deathsPer100k.moments.mean;
          return { value: v, met: v < env.targets.fireDeathsPer100k! };
        },
      },
    ],
    rows: (f, fmt) => [
      {
        label: fmt.t('kpi.fire.response', {
          share: fmt.percent(f.withinCircleShare),
          minutes: f.circleMinutes,
          builtUp: f.builtUpFires > 0 ? fmt.t('kpi.fire.builtUp', { share: fmt.percent(f.builtUpWithinCircleShare) }) : '',
        }),
        stat: f.responseMinutes,
        format: 'number',
      },
      { label: fmt.t('kpi.fire.deaths'), stat: f.deathsPer100k, format: 'number' },
    ],
    zoneColumns: (f, fmt) => [
      {
        header: fmt.t(fmt.annual ? 'col.firesPerYear' : 'col.firesPerRun'),
        byZone: Object.fromEntries(f.byZone.map((z) => [z.zone, z.firesPerReplication])),
        format: 'number',
      },
      {
        header: fmt.t('col.fireWithin', { minutes: f.circleMinutes }),
        byZone: Object.fromEntries(f.byZone.map((z) => [z.zone, z.withinCircleShare])),
        format: 'percent',
      },
    ],
    ci: { fireDeathsPer100k: (s) => s.deathsPer100k.moments },
  },
};
