/**
 * The scenario schema: the one source of truth for the scenario's TypeScript types, the generated
 * JSON Schema (schema/scenario.schema.json, `dsim schema`) and the validation messages.
 *
 * Conventions:
 * - times carry their unit in the name (`Minutes`, `Hours`), money is CNY, lengths km, depths m;
 * - every object may carry `source`: the seed line a figure comes from
 *   (`004_534827c26e46b7ae.txt L59`) or `estimate: <what it rests on>`;
 * - unknown keys are errors (strict objects), numbers must be finite and within stated bounds.
 */
import { z } from 'zod';
import { DEFAULT_ITEM_PRIORITY, DEFAULT_RELIEF_NORMS } from './defaults.js';
import { count, Dist, id, MAX_HOURS, MAX_MINUTES, MAX_MONEY, MAX_PEOPLE, nonNeg, positive, share, source } from './fields.js';
import { type Hazard, type HazardInput, hazardRegistryVersion, hazardSchema } from './hazards/registry.js';

export { Dist } from './fields.js';
export type { Hazard } from './hazards/registry.js';

const Position = z.strictObject({ xKm: z.number().min(-1000).max(1000), yKm: z.number().min(-1000).max(1000) });

export const SECTORS = ['residential', 'commercial', 'industrial', 'transport', 'infrastructure', 'agriculture'] as const;
export type Sector = (typeof SECTORS)[number];
const Assets = z.strictObject(
  Object.fromEntries(SECTORS.map((s) => [s, nonNeg(MAX_MONEY).optional()])) as Record<Sector, z.ZodOptional<z.ZodNumber>>,
);

const Zone = z.strictObject({
  id,
  name: z.string().min(1),
  nameZh: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "The zone's name in Chinese (shown by zh tables, reports and drills; `name` otherwise)" }),
  population: z.number().int().nonnegative().max(MAX_PEOPLE),
  households: z.number().int().nonnegative().max(MAX_PEOPLE),
  assetsCny: Assets.meta({ description: 'Exposed asset value by JRC sector, CNY' }),
  position: Position,
  localTravelKm: nonNeg(200).default(2).meta({ description: 'Typical distance from the zone centre to a site in it' }),
  shelterPlaces: count.default(0).meta({ description: 'Indoor places in designated shelters (no tent needed)' }),
  areaKm2: positive(1e5)
    .optional()
    .meta({ description: 'Land area (needed where a chemical release site or first-response stations lie)' }),
  builtUp: z
    .strictObject({
      share: share.meta({ description: 'Share of the residents living in the built-up area (the town seat)' }),
      areaKm2: positive(1e5).meta({ description: 'Built-up area, around the zone centre' }),
      source,
    })
    .optional()
    .meta({ description: 'The built-up area the 5-minute fire-rescue circle addresses; fires fall in it by population' }),
  source,
});

const Link = z.strictObject({
  from: id,
  to: id,
  name: z.string().min(1).max(200).optional().meta({ description: "The road's name (English output; else its two zones)" }),
  nameZh: z.string().min(1).max(200).optional().meta({ description: "The road's name in Chinese (drills; else its two zones: 索镇—起凤)" }),
  lengthKm: positive(1000),
  speedKmh: positive(200),
  closesAtDepthM: nonNeg(100).meta({ description: 'The link closes when either end zone is flooded deeper' }),
  flood: z
    .strictObject({
      returnPeriodYears: z.array(positive(1e6)).min(1),
      maxDepthM: z.array(nonNeg(100)).min(1),
      wetShare: z.array(share).min(1),
      source,
    })
    .refine((f) => f.maxDepthM.length === f.returnPeriodYears.length && f.wetShare.length === f.returnPeriodYears.length, {
      message: 'expected maxDepthM and wetShare to have one value per return period',
      path: ['maxDepthM'],
    })
    .refine((f) => f.returnPeriodYears.every((v, i, a) => i === 0 || v > a[i - 1]!), {
      message: 'expected return periods in increasing order',
      path: ['returnPeriodYears'],
    })
    .optional()
    .meta({
      description:
        'Water along the road itself by return period (deepest point, share of the length under water; written by dsim import): the link closes when its deepest point is deeper than closesAtDepthM, instead of by its end zones',
    }),
  source,
});

const Team = z.strictObject({
  type: id.meta({ description: 'Team type, matched by hazards (e.g. fire, rescue, medical)' }),
  count: count,
  crew: count,
  turnoutMinutes: nonNeg(1440),
  source,
});

const Stock = z.record(id, nonNeg(1e12)).meta({ description: 'Units by relief item (item names from reliefNorms)' });

const Vehicles = z.strictObject({
  count: count,
  payloadKg: positive(1e6),
  speedKmh: positive(200),
  loadMinutes: nonNeg(1440),
  unloadMinutes: nonNeg(1440),
  source,
});

/** A unit's names for people (drill scripts and traces show them instead of its id). */
const unitNames = {
  name: z.string().min(1).max(200).optional().meta({ description: 'Name shown instead of the id (English output)' }),
  nameZh: z.string().min(1).max(200).optional().meta({ description: 'Name in Chinese, shown instead of the id in zh output' }),
};

const Resources = z.strictObject({
  stations: z.array(z.strictObject({ id, ...unitNames, zone: id, teams: z.array(Team).min(1), source })).default([]),
  warehouses: z.array(z.strictObject({ id, ...unitNames, zone: id, stock: Stock, source })).default([]),
  fleet: z.array(Vehicles.extend({ id, ...unitNames, depot: id.meta({ description: 'Warehouse id' }) })).default([]),
  mutualAid: z
    .array(
      z.strictObject({
        id,
        ...unitNames,
        from: z.string().min(1),
        arrivesAfterHours: Dist,
        warehouse: id.meta({ description: 'Warehouse that receives the stock; vehicles and teams start there' }),
        stock: Stock.optional(),
        vehicles: Vehicles.optional(),
        teams: z.array(Team).optional(),
        source,
      }),
    )
    .default([]),
  source,
});

const ReliefItem = z.strictObject({
  perPerson: positive(1e4).meta({ description: 'Units one displaced person needs on day 1' }),
  unit: z.string().min(1),
  unitMassKg: positive(1e4),
  coveredByShelterPlaces: z.boolean().default(false).meta({ description: 'People in indoor shelter places do not need this item (tents)' }),
  days: z.number().int().min(1).max(365).default(1).meta({
    description:
      'Days of need the reserve must cover (perPerson a day; the plans size living supplies for 15 days, 004 L379, 002 L320); relief within the deadline is day 1',
  }),
  source,
});

export const Targets = z.strictObject({
  reliefDeadlineHours: positive(720),
  reliefShare: share.meta({ description: 'Share of displaced people that must be relieved by the deadline' }),
  responseTimeMinutes: positive(MAX_MINUTES),
  responseShare: share.meta({ description: 'Share of responses that must be within the threshold' }),
  lossRatioMax: positive(10),
  fireResponseMinutes: positive(1440).optional().meta({ description: 'Fire-rescue circle, e.g. 5 min (004 L305)' }),
  fireResponseShare: share.optional().meta({ description: 'Share of fires the first engine must reach within the circle' }),
  fireDeathsPer100k: nonNeg(1e5).optional(),
  deathsPerMillion: nonNeg(1e6).optional().meta({ description: 'Annual disaster deaths per million residents' }),
  affectedPer100k: nonNeg(1e5).optional().meta({ description: 'Annual affected person-times per 100,000 residents' }),
  productionSafetyDeathsPer100MCny: nonNeg(1e6).optional().meta({
    description: 'Production-safety accident deaths per 100 million CNY of GDP per year (亿元GDP生产安全事故死亡率), e.g. 0.01 (004 L107)',
  }),
  forestFireOutWithin24hShare: share.optional(),
  forestBurnedPermilleMax: nonNeg(1000).optional().meta({ description: 'Annual burned area, ‰ of forest area' }),
  source,
});

const Response = z.strictObject({
  activationMinutes: Dist.meta({ description: 'From hazard onset to the first relief convoy loading' }),
  horizonHours: positive(MAX_HOURS).default(72),
  reliefDispatch: z.enum(['nearest-first', 'most-people-first', 'listed-order']).default('nearest-first'),
  itemPriority: z
    .array(id)
    .default(() => [...DEFAULT_ITEM_PRIORITY])
    .meta({ description: 'Main needs first: the order items are loaded when short' }),
  source,
});

/** A body of the district's plan: its name in English and Chinese and the line it is taken from. */
const PlanBody = z.strictObject({
  name: z.string().min(1).max(200),
  nameZh: z.string().min(1).max(200).optional(),
  source,
});

/**
 * The district's own emergency organisation, as its plan states it (issue 25): drills address
 * its headquarters and alarm centre and use its government's words; response levels come from its
 * rules or are left to the trainer, never invented. Everything is optional: what the plan does not
 * say is left out.
 */
const Plan = z.strictObject({
  name: z.string().min(1).max(200).optional().meta({ description: "The plan's title" }),
  nameZh: z.string().min(1).max(200).optional(),
  number: z.string().min(1).max(100).optional().meta({ description: 'Its document number (文号)' }),
  government: z
    .enum(['county', 'city', 'district', 'zone'])
    .meta({ description: 'The government the plan belongs to: 县, 市 (county-level city), 区, or a development zone’s 管委会' }),
  alarmCentre: PlanBody.optional().meta({ description: 'Where calls for help arrive (统一接报警)' }),
  headquarters: z
    .record(id, PlanBody)
    .optional()
    .meta({ description: 'The headquarters that commands each hazard type (flood, wildfire, chemical, urban-fire)' }),
  workingGroups: z
    .array(
      z.strictObject({
        ...PlanBody.shape,
        lead: z.string().min(1).max(200).optional(),
        members: z.array(z.string().min(1).max(200)).max(50).optional(),
      }),
    )
    .max(50)
    .optional(),
  reportWithinMinutes: positive(1440)
    .optional()
    .meta({ description: 'Time limit for the first report of an accident (e.g. 60: 生产安全事故报告和调查处理条例 art. 9)' }),
  responseLevels: z
    .array(
      z.strictObject({
        hazard: id.meta({ description: 'The hazard type the rule is for' }),
        level: z.enum(['I', 'II', 'III', 'IV']),
        displacedAtLeast: count.optional().meta({ description: 'Floods: people to evacuate, as forecast at the onset' }),
        exposedAtLeast: count.optional().meta({ description: 'Releases: people above AEGL-2, as first estimated' }),
        source,
      }),
    )
    .max(40)
    .optional()
    .meta({ description: 'The initial assessment (初判) that starts each response level; absent: the plan defines none' }),
  source,
});
export type Plan = z.infer<typeof Plan>;

/** The scenario schema with the given schema for each hazard entry. */
function scenarioSchemaWith(hazard: z.ZodType<Hazard, HazardInput>) {
  return z.strictObject({
    extends: z
      .string()
      .optional()
      .meta({ description: 'A scenario file in the same folder this one overlays (resolved when the file is loaded)' }),
    schemaVersion: z.literal(1),
    id,
    name: z.string().min(1),
    nameZh: z.string().min(1).optional().meta({ description: "The scenario's name in Chinese (shown in zh output; `name` otherwise)" }),
    description: z.string().optional(),
    mode: z
      .enum(['event', 'annual'])
      .default('event')
      .meta({ description: 'event: each replication is one occurrence of each hazard; annual: one simulated year' }),
    annual: z
      .strictObject({
        floodSeasonMonths: z.tuple([z.number().int().min(1).max(12), z.number().int().min(1).max(12)]).default([6, 9]),
        restockDays: positive(366).default(30).meta({ description: 'Warehouses are refilled this long after a flood' }),
        source,
      })
      .default({ floodSeasonMonths: [6, 9], restockDays: 30 }),
    seed: z.number().int().nonnegative(), // int() is a safe integer: its own bound, told once
    replications: z.number().int().min(1).max(10_000_000),
    district: z.strictObject({
      name: z.string().min(1),
      gdpCnyPerYear: z
        .number()
        .min(1e6)
        .max(MAX_MONEY)
        .meta({ description: 'Annual GDP, CNY (at least 1 million: a county\u2019s is billions)' }),
      zones: z.array(Zone).min(1),
      geo: z
        .strictObject({
          zones: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.geojson$/, 'expected the name of a .geojson file beside the scenario')
            .meta({ description: "The zones' polygons (WGS84 GeoJSON, a feature per zone with its id), a file beside the scenario" }),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hexadecimal digits'),
          source,
        })
        .optional()
        .meta({ description: 'Real geometry for maps (written by dsim import); the simulation does not read it' }),
      source,
    }),
    roads: z.strictObject({ links: z.array(Link).default([]), source }),
    resources: Resources,
    reliefNorms: z
      .record(id, ReliefItem)
      .default(() => structuredClone(DEFAULT_RELIEF_NORMS))
      .meta({ description: 'Day-1 needs per displaced person by item; default: src/scenario/defaults.ts' }),
    response: Response,
    hazards: z.array(hazard).min(1).meta({ description: 'The hazards of the scenario, each of a registered type (src/perils/)' }),
    targets: Targets,
    plan: Plan.optional(),
  });
}

/** The scenario schema with the bundled hazard kinds: the source of the types and the JSON Schema. */
export const Scenario = scenarioSchemaWith(hazardSchema());
let current = { version: hazardRegistryVersion(), schema: Scenario };

/** The scenario schema with every hazard kind registered so far (what validation uses). */
export function scenarioSchema(): typeof Scenario {
  if (current.version !== hazardRegistryVersion())
    current = { version: hazardRegistryVersion(), schema: scenarioSchemaWith(hazardSchema()) };
  return current.schema;
}

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type Zone = z.infer<typeof Zone>;
export type TeamSpec = z.infer<typeof Team>;
export type VehicleSpec = z.infer<typeof Vehicles>;

/** The JSON Schema generated from the zod schema (committed as schema/scenario.schema.json). */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(Scenario, { io: 'input', target: 'draft-2020-12' });
}
