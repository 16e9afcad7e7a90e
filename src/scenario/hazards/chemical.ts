/**
 * Chemical releases: the scenario part, its reference checks (a site's zone must give its area,
 * for population density) and its compile step.
 */

import { z } from 'zod';
import { issue } from '../../errors.js';
import { DEATH_COST_CNY } from '../defaults.js';
import { count, Dist, id, MAX_MINUTES, MAX_MONEY, nonNeg, positive, source } from '../fields.js';

/**
 * Substances whose vapour, flashed at the boiling point with no aerosol, is lighter than the air:
 * the dense-gas correlations do not apply to them (physics/chemical/dense.ts
 * `denserThanAirWhenFlashed` says so; a test checks this list against it, the scenario layer
 * being below physics).
 */
export const LIGHTER_THAN_AIR_WHEN_FLASHED: readonly { id: string; formula: string; vapour: string }[] = [
  { id: 'ammonia', formula: 'NH3', vapour: '0.87' },
];

/** The eight compass points a wind blows from. */
export const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

import type { CompileLookup, HazardDefinition, ReferenceChecker } from './definition.js';

export const ChemicalHazard = z.strictObject({
  type: z.literal('chemical'),
  id,
  sites: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1).max(200).optional().meta({ description: 'Name shown instead of the id (English output)' }),
        nameZh: z.string().min(1).max(200).optional().meta({ description: 'Name in Chinese (drills; else the zone, kind and substance)' }),
        zone: id,
        kind: z.enum(['park', 'plant', 'pipeline', 'tanker-route']),
        substance: z.enum(['chlorine', 'ammonia', 'hydrogen-sulfide']),
        inventoryKg: positive(1e9),
        weight: positive(1e6).default(1),
        setbackM: nonNeg(5000).default(0).meta({ description: 'External safety distance (m) inside which nobody lives (GB/T 37243-2019)' }),
        source,
      }),
    )
    .min(1),
  releaseClasses: z
    .array(
      z.strictObject({
        id,
        perYear: positive(1e4).meta({ description: 'Releases of this class a year, all sites together' }),
        fraction: Dist.meta({ description: 'Share of the site inventory released' }),
        minutes: Dist.meta({ description: 'Release duration' }),
        source,
      }),
    )
    .min(1)
    .meta({ description: 'Releases by size, each with its own frequency (frequent small leaks, rare large ruptures)' }),
  eventClass: id.optional().meta({ description: 'The class of the one release of event mode (default: drawn by frequency)' }),
  dispersion: z.enum(['auto', 'gaussian', 'dense']).default('auto').meta({
    description:
      'Plume model: gaussian (passive), dense (Britter & McQuaid workbook), or auto: dense when the release is denser than air by the workbook criterion',
  }),
  heightM: nonNeg(500).default(0),
  terrain: z.enum(['rural', 'urban']),
  weather: z.strictObject({
    windMPerS: Dist,
    stabilityWeights: z.strictObject({ A: nonNeg(1), B: nonNeg(1), C: nonNeg(1), D: nonNeg(1), E: nonNeg(1), F: nonNeg(1) }).meta({
      description:
        'Relative frequency of each Pasquill\u2013Gifford class; a release draws its class among those its wind allows (Turner 1970, Table 1: F only below 3 m/s, A only below 3 m/s, E below 5 m/s), D when none of them has a weight',
    }),
    windFrom: z.partialRecord(z.enum(COMPASS), nonNeg(1)).optional().meta({
      description:
        'The wind rose: weight of each direction the wind blows from. Drills draw the direction from it (the plume model does not use it); without it they say the direction is taken on site',
    }),
    source,
  }),
  evacuation: z.strictObject({
    activationMinutes: Dist,
    buses: count,
    busCapacity: z.number().int().min(1).max(500),
    roundTripMinutes: Dist,
    source,
  }),
  protectiveAction: z
    .strictObject({
      policy: z.enum(['evacuate', 'shelter', 'shelter-then-evacuate']).meta({
        description:
          'evacuate: bus the AEGL-2 zone out (evacuation); shelter: everyone in it stays indoors from the order (at activationMinutes) until the all-clear; shelter-then-evacuate: shelter, then the buses take the zone out after the all-clear (or at once for a release longer than evacuateLongerThanMinutes)',
      }),
      airExchangePerHour: Dist.optional().meta({
        description: 'Air changes per hour of the buildings people shelter in (needed to shelter)',
      }),
      airingMinutes: Dist.optional().meta({
        description:
          'Minutes from the release stopping to the all-clear, when houses are aired and the indoor load ends (needed to shelter; the load taken in while the house flushes is counted until then)',
      }),
      evacuateLongerThanMinutes: positive(MAX_MINUTES).optional().meta({
        description:
          "shelter-then-evacuate only: a release lasting longer than this is evacuated at once (long releases outlast a house's protection; Sorensen, Shumpert & Vogt 2004)",
      }),
      source,
    })
    .refine((a) => a.policy === 'evacuate' || a.airExchangePerHour !== undefined, {
      message: 'sheltering needs airExchangePerHour',
      path: ['airExchangePerHour'],
      params: { key: 'err.shelterAirExchange' },
    })
    .refine((a) => a.policy === 'evacuate' || a.airingMinutes !== undefined, {
      message: 'sheltering needs airingMinutes',
      path: ['airingMinutes'],
      params: { key: 'err.shelterAiring' },
    })
    .refine((a) => a.policy === 'shelter-then-evacuate' || a.evacuateLongerThanMinutes === undefined, {
      message: 'evacuateLongerThanMinutes applies only to shelter-then-evacuate',
      path: ['evacuateLongerThanMinutes'],
      params: { key: 'err.evacuateLongerThan' },
    })
    .default({ policy: 'evacuate' })
    .meta({ description: 'What people inside the AEGL-2 zone do when a release comes' }),
  lossCnyPerRelease: Dist.default(0).meta({ description: 'Property loss of a release (plant, stock, clean-up), CNY' }),
  deathCostCny: nonNeg(MAX_MONEY).default(DEATH_COST_CNY).meta({
    description:
      "Direct loss per death, CNY, added to the release's loss (GB 6721-1986 \u00a73.1.1). Default 1,096,769: 20 years of the national urban per-capita disposable income (51,821, 2023) and 6 months of the national average wage (120,698 a year, 2023), the multiples of the Supreme People's Court's personal-injury interpretation (2022), arts. 14\u201315",
  }),
  source,
});

export type ChemicalHazard = z.infer<typeof ChemicalHazard>;

export interface CompiledChemicalSite extends Omit<ChemicalHazard['sites'][number], 'zone'> {
  readonly zone: number;
}

export interface CompiledChemical extends Omit<ChemicalHazard, 'sites'> {
  readonly sites: readonly CompiledChemicalSite[];
}

export const chemicalDefinition: HazardDefinition<ChemicalHazard, CompiledChemical> = {
  type: 'chemical',
  schema: ChemicalHazard,
  references(h: ChemicalHazard, at: string, check: ReferenceChecker): void {
    check.unique(
      h.sites.map((x) => x.id),
      (j) => `${at}.sites[${j}].id`,
      'what.site',
    );
    check.unique(
      h.releaseClasses.map((x) => x.id),
      (j) => `${at}.releaseClasses[${j}].id`,
      'what.releaseClass',
    );
    if (h.eventClass !== undefined && !h.releaseClasses.some((c) => c.id === h.eventClass)) {
      check.issue(
        issue(`${at}.eventClass`, 'unknown_reference', 'err.unknownReleaseClass', {
          id: h.eventClass,
          known: h.releaseClasses.map((c) => c.id).join(', '),
        }),
      );
    }
    // dense gas forced on a release whose vapour rises: refused, naming the site
    if (h.dispersion === 'dense')
      h.sites.forEach((site, j) => {
        const light = LIGHTER_THAN_AIR_WHEN_FLASHED.find((x) => x.id === site.substance);
        if (light)
          check.issue(
            issue(`${at}.dispersion`, 'invalid_value', 'err.denseBuoyant', {
              substance: `${light.formula} (${at}.sites[${j}])`,
              vapour: light.vapour,
              air: '1.20',
            }),
          );
      });
    h.sites.forEach((site, j) => {
      check.zone(`${at}.sites[${j}].zone`, site.zone);
      const z = check.zoneRecord(site.zone);
      if (z && z.areaKm2 === undefined) {
        check.issue(
          issue(`district.zones[${z.index}].areaKm2`, 'missing_field', 'err.zoneAreaForSite', {
            zone: site.zone,
            site: site.id,
            at: `${at}.sites[${j}]`,
          }),
        );
      }
    });
  },
  compile(h: ChemicalHazard, lookup: CompileLookup): CompiledChemical {
    return Object.freeze({ ...h, sites: h.sites.map((s) => ({ ...s, zone: lookup.zone(s.zone) })) });
  },
};
