/**
 * Chemical releases: Gaussian or dense-gas plume, AEGL tiers, probit deaths, evacuation or
 * sheltering (physics/chemical/), scheduled by events.ts. Its slice: releases (by class, and how
 * many were dense), people exposed above each AEGL tier, deaths and the time to evacuate the
 * AEGL-2 zone; its target: the plans'
 * production-safety death rate per 100 million CNY of GDP (releases are its only source here).
 */
import { z } from 'zod';
import type { CompiledModel } from '../../scenario/compile.js';
import { type ChemicalHazard, type CompiledChemical, chemicalDefinition } from '../../scenario/hazards/chemical.js';
import { Counter } from '../../stats/bag.js';
import { Distribution } from '../../stats/distribution.js';
import { Moments } from '../../stats/moments.js';
import { DistStat, distStat, MeanStat, meanStat, Num, r7, ratio } from '../../stats/summary-stat.js';
import type { Peril, PerilEnv } from '../peril.js';
import { ChemicalFacts, releaseClassIds, scheduleChemical } from './events.js';

const slice = (m: CompiledModel) => ({
  releases: new Counter(),
  dense: new Counter(),
  byClass: releaseClassIds(m).map(() => [new Counter(), new Counter()]),
  deaths: new Moments(),
  deathsPer100MCny: new Distribution(),
  exposed: [new Moments(), new Moments(), new Moments()],
  evacuationHours: new Distribution(),
});
type ChemicalSlice = ReturnType<typeof slice>;

export const ChemicalSection = z.object({
  releases: z.number().int(),
  releasesPerReplication: Num,
  denseShare: Num.meta({ description: 'Share of releases whose cloud was modelled as a dense gas (Britter & McQuaid)' }),
  byClass: z.array(
    z.object({
      id: z.string(),
      releasesPerReplication: Num,
      deathsPerReplication: Num,
    }),
  ),
  evacuationHours: DistStat,
  exposedAboveAegl: z.array(Num).length(3),
  deaths: MeanStat,
  deathsPer100MCnyGdp: DistStat.meta({
    description:
      'Release deaths per 100 million CNY of GDP per replication: the plans\u2019 production-safety death rate (亿元GDP生产安全事故死亡率), releases only',
  }),
});

/** Deaths per 100 million CNY of the district's annual GDP. */
const per100MCny = (f: ChemicalFacts, env: PerilEnv): number => f.deaths / (env.m.gdpCnyPerYear / 1e8);

export const chemical: Peril<ChemicalHazard, CompiledChemical, ChemicalFacts, ChemicalSlice, z.infer<typeof ChemicalSection>> = {
  definition: chemicalDefinition,
  schedule: scheduleChemical,
  kpis: {
    facts: (m) => new ChemicalFacts(releaseClassIds(m)),
    slice,
    add(s, f, env) {
      for (const x of f.evacuationHours) s.evacuationHours.add(x, true);
      s.evacuationHours.moments.flush();
      s.releases.add(f.releases);
      s.dense.add(f.dense);
      f.byClass.forEach((n, i) => {
        s.byClass[i]![0]!.add(n);
        s.byClass[i]![1]!.add(f.deathsByClass[i]);
      });
      s.deaths.add(f.deaths);
      s.deathsPer100MCny.add(per100MCny(f, env));
      f.exposed.forEach((n, i) => s.exposed[i]!.add(n));
    },
    key: 'chemical',
    schema: ChemicalSection,
    summary: (s, n, env) => ({
      releases: s.releases.n,
      releasesPerReplication: ratio(s.releases.n, n),
      denseShare: ratio(s.dense.n, s.releases.n),
      byClass: releaseClassIds(env.m).map((id, i) => ({
        id,
        releasesPerReplication: ratio(s.byClass[i]![0]!.n, n),
        deathsPerReplication: ratio(s.byClass[i]![1]!.n, n),
      })),
      evacuationHours: distStat(s.evacuationHours),
      exposedAboveAegl: s.exposed.map((x) => r7(x.mean)),
      deaths: meanStat(s.deaths),
      deathsPer100MCnyGdp: distStat(s.deathsPer100MCny),
    }),
    targets: [
      {
        id: 'production-safety-deaths',
        unit: 'number',
        applies: ({ m, targets: t }) => m.mode === 'annual' && t.productionSafetyDeathsPer100MCny !== undefined,
        describe: ({ targets: t }) =>
          `production-safety deaths per 100 million CNY of GDP per year <= ${t.productionSafetyDeathsPer100MCny} (chemical releases only)`,
        threshold: ({ targets: t }) => t.productionSafetyDeathsPer100MCny!,
        required: () => 1,
        met: (f, env) => per100MCny(f, env) <= env.targets.productionSafetyDeathsPer100MCny!,
        value: per100MCny,
        estimate: (s, env) => {
          const v = s.deathsPer100MCny.moments.mean;
          return { value: v, met: v <= env.targets.productionSafetyDeathsPer100MCny! };
        },
      },
    ],
    rows: (c, fmt) => [
      {
        label: fmt.t('kpi.chemical.evacuation', { deaths: fmt.number(c.deaths.mean) }),
        stat: c.evacuationHours,
        format: 'number',
      },
      { label: fmt.t('kpi.chemical.deaths'), stat: c.deathsPer100MCnyGdp, format: 'number' },
    ],
  },
};
