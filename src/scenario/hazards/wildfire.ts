/**
 * Forest and reed fires: the scenario part, its reference checks and its compile step.
 */
import { z } from 'zod';
import { Dist, id, monthFactors, positive, source } from '../fields.js';
import type { CompileLookup, HazardDefinition, ReferenceChecker } from './definition.js';

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
  lineBuildMPerHour: positive(1e5).meta({ description: 'Indirect fireline one team builds per hour' }),
  directAttack: z
    .strictObject({
      maxIntensityKwPerM: positive(1e5).meta({
        description:
          'Head intensity up to which a team attacks the fire edge directly (Andrews & Rothermel 1982: 346 kW/m for hand tools, 1,730 kW/m for engines and equipment)',
      }),
      lineMPerHour: positive(1e5).meta({ description: 'Line one team holds per hour attacking directly' }),
      source,
    })
    .optional()
    .meta({ description: 'Direct initial attack (absent: every team builds indirect line)' }),
  accelerationPerMin: positive(10)
    .default(0.115)
    .meta({ description: 'Build-up rate α from ignition to steady spread (FBP System, ST-X-3: 0.115/min for open fuels)' }),
  mopUpHours: Dist,
  source,
});

export type WildfireHazard = z.infer<typeof WildfireHazard>;

export interface CompiledWildfireArea extends Omit<WildfireHazard['areas'][number], 'zone'> {
  readonly zone: number;
}

export interface CompiledWildfire extends Omit<WildfireHazard, 'areas'> {
  readonly areas: readonly CompiledWildfireArea[];
  /** Fuel area, ha, on forest land and on grass or reed land (the denominators of the burned-area rates). */
  readonly forestAreaHa: number;
  readonly grassAreaHa: number;
  readonly eligible: ReadonlySet<string>;
}

export const wildfireDefinition: HazardDefinition<WildfireHazard, CompiledWildfire> = {
  type: 'wildfire',
  schema: WildfireHazard,
  references(h: WildfireHazard, at: string, check: ReferenceChecker): void {
    h.areas.forEach((a, j) => check.zone(`${at}.areas[${j}].zone`, a.zone));
    h.teamTypes.forEach((t, j) => check.teamType(`${at}.teamTypes[${j}]`, t));
  },
  compile(h: WildfireHazard, lookup: CompileLookup): CompiledWildfire {
    return Object.freeze({
      ...h,
      areas: h.areas.map((a) => ({ ...a, zone: lookup.zone(a.zone) })),
      forestAreaHa: h.areas.reduce((b, x) => b + (x.fuel === 'forest' ? x.areaHa : 0), 0),
      grassAreaHa: h.areas.reduce((b, x) => b + (x.fuel === 'grass' ? x.areaHa : 0), 0),
      eligible: new Set(h.teamTypes),
    });
  },
};
