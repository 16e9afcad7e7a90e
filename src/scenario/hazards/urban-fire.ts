/**
 * Urban (building) fires: the scenario part, its reference checks and its compile step.
 */

import { z } from 'zod';
import { issue } from '../../errors.js';
import { count, Dist, hourFactors, id, monthFactors, positive, share, source } from '../fields.js';
import { type CompileLookup, type HazardDefinition, MAX_INCIDENTS_PER_REPLICATION, type ReferenceChecker } from './definition.js';

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
  firstResponders: z
    .strictObject({
      stationsByZone: z
        .record(id, count)
        .meta({ description: 'Micro fire stations and town full-time teams in each zone, spread where people live' }),
      turnoutMinutes: Dist,
      speedKmh: positive(200)
        .default(20)
        .meta({ description: 'Their speed to the fire (default 20 km/h: an estimate for a light vehicle)' }),
      source,
    })
    .optional()
    .meta({
      description:
        'Units that can start fighting a fire before the engines come (micro fire stations, town teams); the nearest one answers every fire in its zone',
    }),
  source,
});

export type UrbanFireHazard = z.infer<typeof UrbanFireHazard>;

export interface CompiledUrbanFire extends UrbanFireHazard {
  readonly eligible: ReadonlySet<string>;
  /** First-response stations by zone index (0 where none). */
  readonly firstByZone: readonly number[];
}

export const urbanFireDefinition: HazardDefinition<UrbanFireHazard, CompiledUrbanFire> = {
  type: 'urban-fire',
  schema: UrbanFireHazard,
  references(h: UrbanFireHazard, at: string, check: ReferenceChecker): void {
    h.teamTypes.forEach((t, j) => check.teamType(`${at}.teamTypes[${j}]`, t));
    for (const [zone, n] of Object.entries(h.firstResponders?.stationsByZone ?? {})) {
      const path = `${at}.firstResponders.stationsByZone.${zone}`;
      check.zone(path, zone);
      const z = check.zoneRecord(zone);
      if (z && n > 0 && z.areaKm2 === undefined) {
        check.issue(issue(`district.zones[${z.index}].areaKm2`, 'missing_field', 'err.zoneAreaForStations', { zone, at: path }));
      }
    }
    // Every fire's response time is kept until the replication ends.
    const fires = ((h.ratePer10kPerYear * check.population()) / 10_000) * check.replicationYears;
    if (fires > MAX_INCIDENTS_PER_REPLICATION) {
      check.issue(
        issue(`${at}.ratePer10kPerYear`, 'too_big', 'err.tooManyFires', {
          count: Math.round(fires).toLocaleString('en-US'),
          max: MAX_INCIDENTS_PER_REPLICATION.toLocaleString('en-US'),
        }),
      );
    }
  },
  compile(h: UrbanFireHazard, lookup: CompileLookup): CompiledUrbanFire {
    const firstByZone = Array.from({ length: lookup.zoneCount }, () => 0);
    for (const [zone, n] of Object.entries(h.firstResponders?.stationsByZone ?? {})) firstByZone[lookup.zone(zone)] = n;
    return Object.freeze({ ...h, eligible: new Set(h.teamTypes), firstByZone });
  },
};
