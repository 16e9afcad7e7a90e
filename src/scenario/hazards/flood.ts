/**
 * Flood: the scenario part (an extreme-value severity, return-period tables of depth and flooded
 * share by zone, stranded people and boat rescue, road clearing), its reference checks and its
 * compile step.
 */

import { z } from 'zod';
import { issue } from '../../errors.js';
import { Dist, id, nonNeg, positive, share, source } from '../fields.js';
import { type CompileLookup, type HazardDefinition, MAX_INCIDENTS_PER_REPLICATION, type ReferenceChecker } from './definition.js';

const ReturnPeriodTable = z
  .strictObject({
    returnPeriodYears: z.array(positive(1e6)).min(1),
    depthM: z.array(nonNeg(100)).min(1),
    floodedShare: z.array(share).min(1),
    evacuateTo: id.optional().meta({ description: 'Zone whose shelters take the displaced (default: the zone itself)' }),
    zone: id,
    exceedance: z
      .strictObject({
        depthsM: z.array(positive(100)).min(1).max(20),
        share: z.array(z.array(share).min(1).max(20)).min(1),
        meanDepthM: z
          .array(z.array(nonNeg(100)).min(2).max(21))
          .optional()
          .meta({
            description: 'Mean depth of the people in each band [0, d₁), [d₁, d₂), …, [d_k, ∞), a row per return period (0: empty)',
          }),
        source,
      })
      .optional()
      .meta({
        description:
          "Within the flooded area, the share of the zone's people at or above each depth (one row per return period); displacement, loss and deaths then go by depth band instead of the zone's mean depth (written by dsim import)",
      }),
    source,
  })
  .refine((t) => t.depthM.length === t.returnPeriodYears.length && t.floodedShare.length === t.returnPeriodYears.length, {
    message: 'expected depthM and floodedShare to have one value per return period',
    path: ['depthM'],
    params: { key: 'err.depthTable' },
  })
  .refine((t) => t.returnPeriodYears.every((v, i, a) => i === 0 || v > a[i - 1]!), {
    message: 'expected return periods in increasing order',
    path: ['returnPeriodYears'],
    params: { key: 'err.returnPeriodsIncreasing' },
  })
  .refine(
    (t) =>
      !t.exceedance ||
      (t.exceedance.share.length === t.returnPeriodYears.length &&
        t.exceedance.share.every((r) => r.length === t.exceedance!.depthsM.length)),
    {
      message: 'expected one exceedance row per return period, each with one share per depth',
      path: ['exceedance', 'share'],
    },
  )
  .refine(
    (t) =>
      !t.exceedance?.meanDepthM ||
      (t.exceedance.meanDepthM.length === t.returnPeriodYears.length &&
        t.exceedance.meanDepthM.every((r) => r.length === t.exceedance!.depthsM.length + 1)),
    {
      message: 'expected one row of band mean depths per return period, each with one more value than the depths',
      path: ['exceedance', 'meanDepthM'],
    },
  )
  .refine((t) => !t.exceedance || t.exceedance.depthsM.every((v, i, a) => i === 0 || v > a[i - 1]!), {
    message: 'expected exceedance depths in increasing order',
    path: ['exceedance', 'depthsM'],
  })
  .refine(
    (t) =>
      !t.exceedance ||
      t.exceedance.share.every((r, j) => r[0]! <= t.floodedShare[j]! + 1e-9 && r.every((v, i) => i === 0 || v <= r[i - 1]! + 1e-9)),
    {
      message: 'expected each exceedance row to fall with depth and to start at most at the flooded share',
      path: ['exceedance', 'share'],
    },
  );

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

export type FloodHazard = z.infer<typeof FloodHazard>;

export interface CompiledFloodZone {
  readonly zone: number;
  /** Zone whose shelters take this zone's displaced. */
  readonly shelterZone: number;
  readonly returnPeriodYears: readonly number[];
  readonly depthM: readonly number[];
  readonly floodedShare: readonly number[];
  readonly exceedance?: {
    readonly depthsM: readonly number[];
    readonly share: readonly (readonly number[])[];
    readonly meanDepthM?: readonly (readonly number[])[];
  };
}

export interface CompiledFlood extends Omit<FloodHazard, 'zones'> {
  readonly zones: readonly CompiledFloodZone[];
  readonly eligible: ReadonlySet<string>;
}

export const floodDefinition: HazardDefinition<FloodHazard, CompiledFlood> = {
  type: 'flood',
  schema: FloodHazard,
  references(h: FloodHazard, at: string, check: ReferenceChecker): void {
    h.zones.forEach((z, j) => {
      check.zone(`${at}.zones[${j}].zone`, z.zone);
      if (z.evacuateTo !== undefined) check.zone(`${at}.zones[${j}].evacuateTo`, z.evacuateTo);
    });
    h.rescue.teamTypes.forEach((t, j) => check.teamType(`${at}.rescue.teamTypes[${j}]`, t));
    // Every stranded group is a rescue call kept until the replication ends.
    const calls = check.population(h.zones.map((z) => z.zone)) / h.stranded.groupSize;
    if (calls > MAX_INCIDENTS_PER_REPLICATION) {
      check.issue(
        issue(`${at}.stranded.groupSize`, 'too_small', 'err.tooManyCalls', {
          count: Math.round(calls).toLocaleString('en-US'),
          max: MAX_INCIDENTS_PER_REPLICATION.toLocaleString('en-US'),
        }),
      );
    }
  },
  compile(h: FloodHazard, lookup: CompileLookup): CompiledFlood {
    return Object.freeze({
      ...h,
      zones: h.zones.map((t) => ({
        zone: lookup.zone(t.zone),
        shelterZone: lookup.zone(t.evacuateTo ?? t.zone),
        returnPeriodYears: t.returnPeriodYears,
        depthM: t.depthM,
        floodedShare: t.floodedShare,
        ...(t.exceedance && {
          exceedance: {
            depthsM: t.exceedance.depthsM,
            share: t.exceedance.share,
            ...(t.exceedance.meanDepthM && { meanDepthM: t.exceedance.meanDepthM }),
          },
        }),
      })),
      eligible: new Set(h.rescue.teamTypes),
    });
  },
};
