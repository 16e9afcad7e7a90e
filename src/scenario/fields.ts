/**
 * The building blocks every part of the scenario schema shares: bounded numbers, ids, the
 * `source` citation and random quantities (Dist). Hazard modules (src/perils/<kind>/) build their
 * schema parts from these.
 */
import { z } from 'zod';

/** Whether parsed YAML/JSON data is an object (not null, not a list): a mapping to read fields from. */
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const MAX_COUNT = 1_000_000;
export const MAX_PEOPLE = 1_000_000_000;
export const MAX_MONEY = 1e16;
export const MAX_HOURS = 24 * 366 * 100;
export const MAX_MINUTES = MAX_HOURS * 60;

export const source = z
  .string()
  .min(1)
  .optional()
  .meta({ description: 'Where the figures of this object come from: a seed line or "estimate: ..."' });

export const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an id of letters, digits, "_", "." or "-"')
  .max(64);

export const nonNeg = (max: number) => z.number().nonnegative().max(max);
/** A positive number: at least 1e-6 (no denormals: a speed of 5e-324 km/h is a typo, and divides to Infinity). */
export const positive = (max: number) => z.number().min(1e-6).max(max);
export const count = z.number().int().nonnegative().max(MAX_COUNT);
export const share = z.number().min(0).max(1);

/** A random quantity. A bare number is a fixed value. */
export const Dist = z.union([
  nonNeg(MAX_MINUTES),
  z.strictObject({ dist: z.literal('fixed'), value: nonNeg(MAX_MINUTES) }),
  z
    .strictObject({ dist: z.literal('uniform'), min: nonNeg(MAX_MINUTES), max: nonNeg(MAX_MINUTES) })
    .refine((d) => d.min <= d.max, { message: 'expected min <= max', path: ['max'], params: { key: 'err.minMax' } }),
  z
    .strictObject({
      dist: z.literal('triangular'),
      min: nonNeg(MAX_MINUTES),
      mode: nonNeg(MAX_MINUTES),
      max: nonNeg(MAX_MINUTES),
    })
    .refine((d) => d.min <= d.mode && d.mode <= d.max, {
      message: 'expected min <= mode <= max',
      path: ['mode'],
      params: { key: 'err.minModeMax' },
    }),
  z.strictObject({ dist: z.literal('exponential'), mean: positive(MAX_MINUTES) }),
  z.strictObject({ dist: z.literal('lognormal'), mean: positive(MAX_MINUTES), sd: nonNeg(MAX_MINUTES) }),
]);
export type Dist = z.infer<typeof Dist>;

export const monthFactors = z.array(nonNeg(1000)).length(12);
export const hourFactors = z.array(nonNeg(1000)).length(24);
