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

const MAX_COUNT = 1_000_000;
const MAX_PEOPLE = 1_000_000_000;
const MAX_MONEY = 1e16;
const MAX_HOURS = 24 * 366 * 100;
const MAX_MINUTES = MAX_HOURS * 60;

const source = z
  .string()
  .min(1)
  .optional()
  .meta({ description: 'Where the figures of this object come from: a seed line or "estimate: ..."' });

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an id of letters, digits, "_", "." or "-"')
  .max(64);

const nonNeg = (max: number) => z.number().nonnegative().max(max);
const positive = (max: number) => z.number().positive().max(max);
const count = z.number().int().nonnegative().max(MAX_COUNT);
const share = z.number().min(0).max(1);

/** A random quantity. A bare number is a fixed value. */
export const Dist = z.union([
  nonNeg(MAX_MINUTES),
  z.strictObject({ dist: z.literal('fixed'), value: nonNeg(MAX_MINUTES) }),
  z
    .strictObject({ dist: z.literal('uniform'), min: nonNeg(MAX_MINUTES), max: nonNeg(MAX_MINUTES) })
    .refine((d) => d.min <= d.max, { message: 'expected min <= max', path: ['max'] }),
  z
    .strictObject({
      dist: z.literal('triangular'),
      min: nonNeg(MAX_MINUTES),
      mode: nonNeg(MAX_MINUTES),
      max: nonNeg(MAX_MINUTES),
    })
    .refine((d) => d.min <= d.mode && d.mode <= d.max, { message: 'expected min <= mode <= max', path: ['mode'] }),
  z.strictObject({ dist: z.literal('exponential'), mean: positive(MAX_MINUTES) }),
  z.strictObject({ dist: z.literal('lognormal'), mean: positive(MAX_MINUTES), sd: nonNeg(MAX_MINUTES) }),
]);
export type Dist = z.infer<typeof Dist>;

const Position = z.strictObject({ xKm: z.number().min(-1000).max(1000), yKm: z.number().min(-1000).max(1000) });

export const SECTORS = ['residential', 'commercial', 'industrial', 'transport', 'infrastructure', 'agriculture'] as const;
export type Sector = (typeof SECTORS)[number];
const Assets = z.strictObject(
  Object.fromEntries(SECTORS.map((s) => [s, nonNeg(MAX_MONEY).optional()])) as Record<Sector, z.ZodOptional<z.ZodNumber>>,
);

const Zone = z.strictObject({
  id,
  name: z.string().min(1),
  population: z.number().int().nonnegative().max(MAX_PEOPLE),
  households: z.number().int().nonnegative().max(MAX_PEOPLE),
  assetsCny: Assets.meta({ description: 'Exposed asset value by JRC sector, CNY' }),
  position: Position,
  localTravelKm: nonNeg(200).default(2).meta({ description: 'Typical distance from the zone centre to a site in it' }),
  shelterPlaces: count.default(0).meta({ description: 'Indoor places in designated shelters (no tent needed)' }),
  areaKm2: positive(1e5).optional().meta({ description: 'Land area (needed where a chemical release site lies)' }),
  source,
});

const Link = z.strictObject({
  from: id,
  to: id,
  lengthKm: positive(1000),
  speedKmh: positive(200),
  closesAtDepthM: nonNeg(100).meta({ description: 'The link closes when either end zone is flooded deeper' }),
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

const Resources = z.strictObject({
  stations: z.array(z.strictObject({ id, zone: id, teams: z.array(Team).min(1), source })).default([]),
  warehouses: z.array(z.strictObject({ id, zone: id, stock: Stock, source })).default([]),
  fleet: z.array(Vehicles.extend({ id, depot: id.meta({ description: 'Warehouse id' }) })).default([]),
  mutualAid: z
    .array(
      z.strictObject({
        id,
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
  source,
});

const Targets = z.strictObject({
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

const ReturnPeriodTable = z
  .strictObject({
    returnPeriodYears: z.array(positive(1e6)).min(1),
    depthM: z.array(nonNeg(100)).min(1),
    floodedShare: z.array(share).min(1),
    evacuateTo: id.optional().meta({ description: 'Zone whose shelters take the displaced (default: the zone itself)' }),
    zone: id,
    source,
  })
  .refine((t) => t.depthM.length === t.returnPeriodYears.length && t.floodedShare.length === t.returnPeriodYears.length, {
    message: 'expected depthM and floodedShare to have one value per return period',
    path: ['depthM'],
  })
  .refine((t) => t.returnPeriodYears.every((v, i, a) => i === 0 || v > a[i - 1]!), {
    message: 'expected return periods in increasing order',
    path: ['returnPeriodYears'],
  });

export const FloodHazard = z.strictObject({
  type: z.literal('flood'),
  id,
  severity: z
    .strictObject({
      distribution: z.enum(['gumbel', 'gev']),
      location: z.number().min(-1e9).max(1e9),
      scale: positive(1e9),
      shape: z.number().min(-1).max(1).default(0).meta({ description: 'GEV shape ξ (0 = Gumbel)' }),
      unit: z.string().min(1),
      source,
    })
    .meta({ description: 'Annual-maximum severity (e.g. peak discharge) as an extreme-value distribution' }),
  event: z.union([
    z.strictObject({ returnPeriodYears: z.number().min(1.0001).max(1e6) }),
    z.strictObject({ atLeastReturnPeriodYears: z.number().min(1.0001).max(1e6) }),
  ]),
  warningLeadHours: Dist,
  depthUncertaintyLogSd: nonNeg(3).default(0),
  displacementDepthM: nonNeg(100),
  zones: z.array(ReturnPeriodTable).min(1),
  stranded: z.strictObject({
    shareWithoutWarning: share,
    evacuationTimeConstantHours: positive(1000),
    groupSize: positive(1e4),
    callWindowHours: positive(1000),
    source,
  }),
  rescue: z.strictObject({
    teamTypes: z.array(id).min(1),
    workMinutes: Dist,
    waterSpeedKmh: positive(200),
    source,
  }),
  roadReopenHours: Dist,
  source,
});

export const IncidentHazard = z.strictObject({
  type: z.literal('incidents'),
  id,
  ratePerHour: positive(1e6),
  durationHours: positive(MAX_HOURS),
  warmupHours: nonNeg(MAX_HOURS).default(0),
  maxIncidents: z.number().int().min(1).max(1e9).optional().meta({ description: 'Stop after this many incidents' }),
  zones: z.array(z.strictObject({ zone: id, weight: positive(1e9) })).min(1),
  teamTypes: z.array(id).min(1),
  workMinutes: Dist,
  localSpeedKmh: positive(200).default(30).meta({ description: 'Speed of the last leg inside the zone' }),
  source,
});

const monthFactors = z.array(nonNeg(1000)).length(12);
const hourFactors = z.array(nonNeg(1000)).length(24);

export const UrbanFireHazard = z.strictObject({
  type: z.literal('urban-fire'),
  id,
  ratePer10kPerYear: positive(1e4).meta({ description: 'Ignitions per 10,000 residents per year, all zones' }),
  monthFactors: monthFactors.optional().meta({ description: 'Relative rate by month (Jan..Dec); normalised to mean 1' }),
  hourFactors: hourFactors.optional().meta({ description: 'Relative rate by hour of day; normalised to mean 1' }),
  teamTypes: z.array(id).min(1),
  workMinutes: Dist,
  mutualAidMinutes: Dist.meta({ description: 'When every local engine is busy: a neighbouring unit arrives after this' }),
  localSpeedKmh: positive(200)
    .default(30)
    .meta({ description: 'Engine speed from the zone centre to the fire (default 30 km/h: an estimate for town streets)' }),
  growth: z.strictObject({
    detectionMinutes: Dist.meta({ description: 'Ignition to alarm' }),
    alphaKwPerS2: Dist.meta({ description: 't-squared growth coefficient (NFPA 204: slow 0.00293 … ultra-fast 0.1876)' }),
    controlMinutes: Dist.meta({ description: 'First engine on scene to fire under control' }),
    hrrPerAreaKwM2: positive(1e4),
    valueCnyPerM2: positive(1e7),
    maxAreaM2: Dist.meta({ description: 'Largest area one fire can burn (its building or compartment)' }),
    flashoverKw: positive(1e6),
    source,
  }),
  deathProbability: z.strictObject({ beforeFlashover: share, afterFlashover: share, source }),
  source,
});

export const WildfireHazard = z.strictObject({
  type: z.literal('wildfire'),
  id,
  areas: z
    .array(
      z.strictObject({
        zone: id,
        fuel: z.enum(['grass', 'forest']).meta({ description: 'grass (reeds, grassland: McArthur GFDI) or forest (FFDI)' }),
        areaHa: positive(1e7),
        fuelLoadTPerHa: positive(200).default(4.5),
        maxFireHa: positive(1e7)
          .optional()
          .meta({ description: 'Largest block one fire can burn before firebreaks, water or roads stop it (default: the whole area)' }),
        source,
      }),
    )
    .min(1),
  ignitionsPerYear: positive(1e5),
  monthWeights: monthFactors.optional(),
  weather: z.strictObject({
    temperatureC: Dist,
    relativeHumidityPct: Dist,
    windKmh: Dist,
    curingPct: Dist.meta({ description: 'Degree of curing of grass fuels, %' }),
    droughtFactor: Dist.meta({ description: 'McArthur drought factor (0–10) for forest fuels' }),
    source,
  }),
  detectionMinutes: Dist,
  teamTypes: z.array(id).min(1),
  teamsPerFire: z.number().int().min(1).max(100),
  approachSpeedKmh: positive(200)
    .default(15)
    .meta({ description: 'Speed from the zone centre to the fire over tracks, reeds or forest (default 15 km/h: an estimate)' }),
  lineBuildMPerHour: positive(1e5).meta({ description: 'Fireline one team builds per hour' }),
  mopUpHours: Dist,
  source,
});

export const ChemicalHazard = z.strictObject({
  type: z.literal('chemical'),
  id,
  sites: z
    .array(
      z.strictObject({
        id,
        zone: id,
        kind: z.enum(['park', 'plant', 'pipeline', 'tanker-route']),
        substance: z.enum(['chlorine', 'ammonia', 'hydrogen-sulfide']),
        inventoryKg: positive(1e9),
        weight: positive(1e6).default(1),
        source,
      }),
    )
    .min(1),
  releasesPerYear: positive(1e4).meta({ description: 'Releases large enough to need a response, all sites' }),
  releaseFraction: Dist.meta({ description: 'Share of the inventory released' }),
  releaseMinutes: Dist.meta({ description: 'Release duration' }),
  heightM: nonNeg(500).default(0),
  terrain: z.enum(['rural', 'urban']),
  weather: z.strictObject({
    windMPerS: Dist,
    stabilityWeights: z.strictObject({ A: nonNeg(1), B: nonNeg(1), C: nonNeg(1), D: nonNeg(1), E: nonNeg(1), F: nonNeg(1) }),
    source,
  }),
  evacuation: z.strictObject({
    activationMinutes: Dist,
    buses: count,
    busCapacity: z.number().int().min(1).max(500),
    roundTripMinutes: Dist,
    source,
  }),
  lossCnyPerRelease: Dist.default(0),
  source,
});

export const Hazard = z.discriminatedUnion('type', [FloodHazard, IncidentHazard, UrbanFireHazard, WildfireHazard, ChemicalHazard]);

export const Scenario = z.strictObject({
  extends: z
    .string()
    .optional()
    .meta({ description: 'A scenario file in the same folder this one overlays (resolved when the file is loaded)' }),
  schemaVersion: z.literal(1),
  id,
  name: z.string().min(1),
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
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  replications: z.number().int().min(1).max(10_000_000),
  district: z.strictObject({
    name: z.string().min(1),
    gdpCnyPerYear: positive(MAX_MONEY),
    zones: z.array(Zone).min(1),
    source,
  }),
  roads: z.strictObject({ links: z.array(Link).default([]), source }),
  resources: Resources,
  reliefNorms: z
    .record(id, ReliefItem)
    .default(() => structuredClone(DEFAULT_RELIEF_NORMS))
    .meta({ description: 'Day-1 needs per displaced person by item; default: src/scenario/defaults.ts' }),
  response: Response,
  hazards: z.array(Hazard).min(1),
  targets: Targets,
});

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type FloodHazard = z.infer<typeof FloodHazard>;
export type IncidentHazard = z.infer<typeof IncidentHazard>;
export type Hazard = z.infer<typeof Hazard>;
export type UrbanFireHazard = z.infer<typeof UrbanFireHazard>;
export type WildfireHazard = z.infer<typeof WildfireHazard>;
export type ChemicalHazard = z.infer<typeof ChemicalHazard>;
export type Zone = z.infer<typeof Zone>;
export type TeamSpec = z.infer<typeof Team>;
export type VehicleSpec = z.infer<typeof Vehicles>;

/** The JSON Schema generated from the zod schema (committed as schema/scenario.schema.json). */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(Scenario, { io: 'input', target: 'draft-2020-12' });
}
