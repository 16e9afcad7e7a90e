/**
 * Schemas of the statistics' plain data (toData/fromData), checked wherever it crosses a process
 * boundary (a queue worker's result): finite numbers, integer counts, bounded arrays and sketch
 * keys, so a malformed or hostile result is refused instead of merged or allocated.
 */
import { z } from 'zod';

const finite = z.number().finite();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Exact sums keep a few non-overlapping partials (a handful for doubles); 64 is generous. */
const partials = z.array(finite).max(64);
/** Log-bin keys: |log_1.01(x)| stays below ~72,000 for every finite double. */
const binKey = z.number().int().min(-80_000).max(80_000);

export const MomentsDataSchema = z.strictObject({ count, min: finite.nullable(), max: finite.nullable(), s1: partials, s2: partials });
export const RatioDataSchema = z.strictObject({ x: MomentsDataSchema, y: MomentsDataSchema, xy: MomentsDataSchema });
export const SketchDataSchema = z.strictObject({ count, zeros: count, bins: z.array(z.tuple([binKey, count])).max(200_000) });
export const DistributionDataSchema = z.strictObject({ moments: MomentsDataSchema, sketch: SketchDataSchema, atMin: count, atMax: count });
export const ExemplarsDataSchema = z.strictObject({
  bins: z.array(z.tuple([z.number().int().min(-2147483648).max(80_000), count, count])).max(200_000),
  worst: finite.nullable(),
  worstReplication: z.number().int().min(-1),
});

type StatDataShape =
  | { c: number }
  | { m: z.infer<typeof MomentsDataSchema> }
  | { d: z.infer<typeof DistributionDataSchema> }
  | StatDataShape[];
export const StatDataSchema: z.ZodType<StatDataShape> = z.lazy(() =>
  z.union([
    z.strictObject({ c: count }),
    z.strictObject({ m: MomentsDataSchema }),
    z.strictObject({ d: DistributionDataSchema }),
    z.array(StatDataSchema).max(1000),
  ]),
);
export const BagDataSchema = z.record(z.string(), StatDataSchema);
