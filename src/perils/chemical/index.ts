/**
 * Chemical releases: Gaussian plume, AEGL tiers, probit deaths and bus evacuation
 * (hazards/chemical/), scheduled by events.ts. Its slice: releases, people exposed above each
 * AEGL tier, deaths and the time to evacuate the AEGL-2 zone. No plan target applies yet.
 */
import { z } from 'zod';
import { Counter } from '../../stats/bag.js';
import { Distribution } from '../../stats/distribution.js';
import { Moments } from '../../stats/moments.js';
import { DistStat, distStat, MeanStat, meanStat, Num, r7, ratio } from '../../stats/summary-stat.js';
import type { Peril } from '../peril.js';
import { type ChemicalHazard, type CompiledChemical, chemicalDefinition } from './definition.js';
import { ChemicalFacts, scheduleChemical } from './events.js';

const slice = () => ({
  releases: new Counter(),
  deaths: new Moments(),
  exposed: [new Moments(), new Moments(), new Moments()],
  evacuationHours: new Distribution(),
});
type ChemicalSlice = ReturnType<typeof slice>;

export const ChemicalSection = z.object({
  releases: z.number().int(),
  releasesPerReplication: Num,
  evacuationHours: DistStat,
  exposedAboveAegl: z.array(Num).length(3),
  deaths: MeanStat,
});

export const chemical: Peril<ChemicalHazard, CompiledChemical, ChemicalFacts, ChemicalSlice, z.infer<typeof ChemicalSection>> = {
  definition: chemicalDefinition,
  schedule: scheduleChemical,
  kpis: {
    facts: () => new ChemicalFacts(),
    slice,
    add(s, f) {
      for (const x of f.evacuationHours) s.evacuationHours.add(x, true);
      s.evacuationHours.moments.flush();
      s.releases.add(f.releases);
      s.deaths.add(f.deaths);
      f.exposed.forEach((n, i) => s.exposed[i]!.add(n));
    },
    key: 'chemical',
    schema: ChemicalSection,
    summary: (s, n) => ({
      releases: s.releases.n,
      releasesPerReplication: ratio(s.releases.n, n),
      evacuationHours: distStat(s.evacuationHours),
      exposedAboveAegl: s.exposed.map((x) => r7(x.mean)),
      deaths: meanStat(s.deaths),
    }),
    targets: [],
    rows: (c, fmt) => [
      {
        label: `Chemical release: AEGL-2 zone evacuated (h); deaths/replication ${fmt.number(c.deaths.mean)}`,
        stat: c.evacuationHours,
        format: 'number',
      },
    ],
  },
};
