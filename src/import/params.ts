/**
 * What an import needs beyond the files: the template scenario's `import:` block. Everything a
 * county's data cannot say (household size where the census has no 户数, assets per resident,
 * the depth at which a road closes) is asked of the planner here, with no silent national
 * default; what has a defensible default (road speeds by class, the wet threshold) says so and
 * the manifest records the value used.
 */
import { z } from 'zod';
import { SECTORS, type Sector } from '../scenario/schema.js';

/**
 * Design speeds of Chinese roads by OSM class, km/h: JTG B01-2014 (公路工程技术标准) §3.5 —
 * expressway 100–120, class I 80–100, class II 60–80, class III 30–40 (40 used for tertiary);
 * village roads 20–30. Estimate: OSM classes are matched to 公路等级 by their usual tagging in
 * China (OSM wiki, China/Road classification); `maxspeed` on a way wins.
 */
export const DEFAULT_ROAD_SPEEDS_KMH: Readonly<Record<string, number>> = {
  motorway: 100,
  trunk: 80,
  primary: 60,
  secondary: 50,
  tertiary: 40,
  unclassified: 30,
  residential: 20,
  motorway_link: 50,
  trunk_link: 40,
  primary_link: 40,
  secondary_link: 30,
  tertiary_link: 30,
  living_street: 10,
};

const money = z.number().nonnegative().max(1e9);

export const ImportParams = z.strictObject({
  householdSize: z
    .number()
    .min(1)
    .max(10)
    .optional()
    .meta({ description: 'People per household, where the census gives no households (e.g. 2.8, Shandong 2020 census)' }),
  assetsPerCapitaCny: z
    .strictObject(Object.fromEntries(SECTORS.map((s) => [s, money.optional()])) as Record<Sector, z.ZodOptional<typeof money>>)
    .meta({ description: 'Exposed assets per resident by JRC sector, CNY: times each zone’s population' }),
  closesAtDepthM: z.number().nonnegative().max(100).meta({ description: 'Water depth at which an imported road link closes' }),
  roadSpeedsKmh: z
    .record(z.string().regex(/^[a-z_]+$/), z.number().min(1).max(200))
    .optional()
    .meta({ description: 'Speed by OSM highway class; default: JTG B01-2014 design speeds (src/import/params.ts)' }),
  wetThresholdM: z.number().min(0).max(5).default(0.15).meta({ description: 'A cell is flooded when deeper than this (m)' }),
  originZone: z
    .string()
    .optional()
    .meta({ description: 'Zone (id, code or name) at the origin of the km grid; default: the most populous' }),
  floodHazard: z.string().optional().meta({ description: 'The flood hazard whose zone tables the depth rasters fill; default: the first' }),
  linkTolerance: z
    .number()
    .min(0)
    .max(0.5)
    .default(0.02)
    .meta({ description: 'A direct link is dropped when a path through a third zone is at most this much slower' }),
});
export type ImportParams = z.infer<typeof ImportParams>;
