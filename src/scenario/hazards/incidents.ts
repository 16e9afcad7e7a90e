/**
 * A generic Poisson stream of incidents (the M/M/c validation case): the scenario part, its
 * reference checks and its compile step.
 */
import { z } from 'zod';
import { Dist, id, MAX_HOURS, nonNeg, positive, source } from '../fields.js';
import type { CompileLookup, HazardDefinition, ReferenceChecker } from './definition.js';

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

export type IncidentHazard = z.infer<typeof IncidentHazard>;

export interface CompiledIncidents extends Omit<IncidentHazard, 'zones'> {
  readonly zones: readonly number[];
  /** Cumulative zone weights, for drawing a zone. */
  readonly cumulativeWeights: readonly number[];
  readonly eligible: ReadonlySet<string>;
}

export const incidentsDefinition: HazardDefinition<IncidentHazard, CompiledIncidents> = {
  type: 'incidents',
  schema: IncidentHazard,
  references(h: IncidentHazard, at: string, check: ReferenceChecker): void {
    h.zones.forEach((z, j) => check.zone(`${at}.zones[${j}].zone`, z.zone));
    h.teamTypes.forEach((t, j) => check.teamType(`${at}.teamTypes[${j}]`, t));
  },
  compile(h: IncidentHazard, lookup: CompileLookup): CompiledIncidents {
    let sum = 0;
    return Object.freeze({
      ...h,
      zones: h.zones.map((z) => lookup.zone(z.zone)),
      cumulativeWeights: h.zones.map((z) => (sum += z.weight)),
      eligible: new Set(h.teamTypes),
    });
  },
};
