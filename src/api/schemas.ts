/**
 * The API's request and response bodies, in zod: the server validates with them (through the zod
 * type provider) and the OpenAPI document is generated from them, next to the scenario and result
 * schemas they embed. One source per concept.
 */
import { z } from 'zod';
import { DRILL_FORMATS } from '../drill/render.js';
import { EXEMPLAR_KPIS } from '../kpi/accumulator.js';
import { RunResult, SEVERITIES } from '../kpi/result.js';
import { RUN_STATUSES } from './store.js';

/** An id: what scenario and run ids look like (never a path). */
export const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id: letters, digits, - and _ (no paths)');

/** A request names its scenario by id or gives it inline, never both or neither. */
const oneScenario: [
  (r: { scenarioId?: unknown; scenario?: unknown }) => boolean,
  { message: string; path: string[]; params: { key: string } },
] = [
  (r) => (r.scenarioId === undefined) !== (r.scenario === undefined),
  { message: 'give exactly one of scenarioId and scenario', path: ['scenarioId'], params: { key: 'err.oneOfScenario' } },
];

export const ErrorBody = z
  .object({
    error: z.string().meta({ description: 'A stable code: invalid_request, invalid_scenario, not_found, too_many_runs, unauthorised, …' }),
    message: z.string(),
    details: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string(), line: z.number().int().optional() }))
      .optional()
      .meta({ description: 'Field-path problems, as the CLI prints them' }),
  })
  .meta({ id: 'Error' });

export const Health = z.object({
  status: z.literal('ok'),
  engineVersion: z.string(),
  runs: z.object({ running: z.number().int(), queued: z.number().int() }),
  uptimeSeconds: z.number(),
});

export const ScenarioSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    nameZh: z.string().optional(),
    district: z.string(),
    hazards: z.array(z.string()),
    hash: z.string(),
    origin: z.enum(['bundled', 'uploaded']),
  })
  .meta({ id: 'ScenarioSummary' });

/** A run's seed: every replication's streams derive from it (an unsigned 32-bit integer). */
const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

const RunParameters = z.object({
  replications: z.number().int().min(1).optional().meta({ description: 'Fixed number of replications (default: the scenario’s)' }),
  untilCi: z.number().positive().max(1).optional().meta({ description: 'Stop when the watched 95% CI half-widths are at most this' }),
  maxReplications: z.number().int().min(1).optional().meta({ description: 'Cap of a precision-stopped run' }),
  seed: Seed.optional(),
  mode: z.enum(['event', 'annual']).optional(),
  deadlineHours: z.number().positive().max(8760).optional().meta({ description: 'Evaluate relief at this deadline (evaluation only)' }),
  overrides: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'A partial scenario laid over the scenario (objects merge, lists merge by id), then validated' }),
});

export const RunRequest = RunParameters.extend({
  scenarioId: Id.optional().meta({ description: 'A bundled or uploaded scenario' }),
  scenario: z.record(z.string(), z.unknown()).optional().meta({ description: 'A scenario given inline (validated; no extends)' }),
})
  .strict()
  .refine(...oneScenario)
  .refine((r) => r.replications === undefined || r.untilCi === undefined, {
    message: 'give replications or untilCi, not both',
    path: ['untilCi'],
    params: { key: 'err.replicationsOrUntilCi' },
  })
  .meta({ id: 'RunRequest' });
export type RunRequest = z.infer<typeof RunRequest>;

export const BatchRequest = RunParameters.omit({ overrides: true })
  .extend({
    scenarioId: Id.optional(),
    scenario: z.record(z.string(), z.unknown()).optional(),
    variants: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(100),
          overrides: z.record(z.string(), z.unknown()).optional(),
          deadlineHours: z.number().positive().max(8760).optional(),
        }),
      )
      .min(1)
      .max(50)
      .meta({ description: 'Variants of the scenario, each a run; all share the seed, so the same floods, fires and releases' }),
  })
  .strict()
  .refine(...oneScenario)
  .meta({ id: 'BatchRequest' });
export type BatchRequest = z.infer<typeof BatchRequest>;

export const RunStatusSchema = z.enum(RUN_STATUSES as [string, ...string[]]);

export const RunView = z
  .object({
    id: z.string(),
    status: RunStatusSchema,
    batchId: z.string().nullable(),
    variant: z.string().nullable(),
    scenario: z.object({ id: z.string(), hash: z.string() }),
    parameters: z.record(z.string(), z.unknown()),
    seed: z.number().int(),
    engineVersion: z.string(),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    checkpoint: z.object({ done: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    result: RunResult.optional().meta({ description: 'When done (or cancelled: what was merged, marked interrupted)' }),
    error: z.object({ error: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'Run' });

export const RunList = z.object({
  runs: z.array(RunView.omit({ result: true })),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
});

export const Accepted = z.object({ id: z.string(), status: RunStatusSchema, location: z.string() });
export const BatchAccepted = z.object({ batchId: z.string(), runs: z.array(Accepted.extend({ variant: z.string() })) });

export const RunsQuery = z.strictObject({
  scenario: Id.optional(),
  status: RunStatusSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'expected a cursor from nextCursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const StudyBase = z.object({
  scenarioId: Id.optional(),
  scenario: z.record(z.string(), z.unknown()).optional(),
  set: z
    .record(z.string().max(300), z.union([z.number(), z.string(), z.boolean()]))
    .optional()
    .meta({ description: 'Fixed changes, PATH → value (paths as `--set`: keys by dots, list items by [id])' }),
  replications: z.number().int().min(10).optional(),
  seed: Seed.optional(),
  deadlineHours: z.number().positive().max(8760).optional(),
});

export const SweepRequest = StudyBase.extend({
  ranges: z
    .array(
      z.union([
        z.strictObject({ path: z.string().min(1).max(300), from: z.number(), to: z.number(), step: z.number().positive() }),
        z.strictObject({ path: z.string().min(1).max(300), values: z.array(z.number()).min(1).max(200) }),
      ]),
    )
    .min(1)
    .max(4),
})
  .strict()
  .refine(...oneScenario)
  .meta({ id: 'SweepRequest' });
export type SweepRequest = z.infer<typeof SweepRequest>;

export const SizingRequest = StudyBase.extend({
  vary: z.string().min(1).max(300).meta({ description: 'The path varied, e.g. resources.warehouses[county-reserve].stock.bedding' }),
  target: z.string().min(1).max(100).meta({ description: 'A target id of the result, e.g. relief-within-deadline' }),
  confidence: z.number().gt(0).max(1).default(0.9),
  min: z.number().min(0).max(1e12).default(0),
  max: z.number().min(0).max(1e12),
})
  .strict()
  .refine(...oneScenario)
  .refine((r) => r.min < r.max, { message: 'min must be below max', path: ['min'], params: { key: 'err.minBelowMaxBody' } })
  .meta({ id: 'SizingRequest' });
export type SizingRequest = z.infer<typeof SizingRequest>;

export const DrillRequest = StudyBase.extend({
  severity: z.enum(SEVERITIES).optional().meta({ description: 'Pick the replication at this severity (default p90)' }),
  replication: z.number().int().min(0).optional().meta({ description: 'Or this replication' }),
  hazard: Id.optional().meta({ description: 'The hazard drilled (required when the scenario has several)' }),
  kpi: z.enum(EXEMPLAR_KPIS).optional().meta({ description: 'The KPI whose severity picks the replication (default by hazard)' }),
  lang: z.enum(['zh', 'en']).optional().meta({ description: 'Else ?lang= or Accept-Language (Chinese first)' }),
  format: z.enum(DRILL_FORMATS).default('md'),
  audience: z.enum(['controller', 'players']).default('controller'),
  start: z.string().max(32).optional().meta({ description: 'Drill clock start, YYYY-MM-DD HH:mm' }),
  compress: z.union([z.literal(1), z.literal(2), z.literal(4)]).default(1),
})
  .strict()
  .refine(...oneScenario)
  .refine((r) => r.severity === undefined || r.replication === undefined, {
    message: 'give severity or replication, not both',
    path: ['replication'],
    params: { key: 'err.severityOrReplicationBody' },
  })
  .meta({ id: 'DrillRequest' });
export type DrillRequest = z.infer<typeof DrillRequest>;

export const StudyView = z
  .object({
    id: z.string(),
    kind: z.enum(['sweep', 'sizing']),
    status: RunStatusSchema,
    scenario: z.object({ id: z.string() }),
    parameters: z.record(z.string(), z.unknown()),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    result: z.unknown().optional().meta({ description: 'The sweep (every point) or the sizing (every probe), when done' }),
    error: z.object({ error: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'Study' });
