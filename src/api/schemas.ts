/**
 * The parts of the API's request and response bodies that several routes share, in zod; each
 * route file (routes/) owns the bodies of its own routes. The server validates with them (through
 * the zod type provider) and the OpenAPI document is generated from them, next to the scenario
 * and result schemas they embed. One source per concept.
 */
import { z } from 'zod';
import { id } from '../scenario/fields.js';
import { RUN_STATUSES } from './store/store.js';

/** An id: what scenario, run and study ids look like (never a path); the scenario format's own rule, so an upload the routes would refuse is refused. */
export const Id = id;

/** A request names its scenario by id or gives it inline, never both or neither. */
export const oneScenario: [
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

/** A run's seed: every replication's streams derive from it (an unsigned 32-bit integer). */
export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

/** A partial scenario laid over a scenario: one schema for runs and studies. */
const Overrides = z.record(z.string(), z.unknown()).optional().meta({
  description: 'A partial scenario laid over the scenario (objects merge, lists merge by id, an unknown id is refused), then validated',
});

export const RunParameters = z.object({
  replications: z.number().int().min(1).optional().meta({ description: 'Fixed number of replications (default: the scenario’s)' }),
  untilCi: z.number().positive().max(1).optional().meta({ description: 'Stop when the watched 95% CI half-widths are at most this' }),
  maxReplications: z.number().int().min(1).optional().meta({ description: 'Cap of a precision-stopped run' }),
  seed: Seed.optional(),
  mode: z.enum(['event', 'annual']).optional(),
  deadlineHours: z.number().positive().max(8760).optional().meta({ description: 'Evaluate relief at this deadline (evaluation only)' }),
  overrides: Overrides,
});

export const RunStatusSchema = z.enum(RUN_STATUSES as [string, ...string[]]);

export const Accepted = z.object({ id: z.string(), status: RunStatusSchema, location: z.string() });

/** One variant of a scenario in a batch or a comparison: its name, what it changes, its deadline. */
export const VariantSpec = z.strictObject({
  name: z.string().min(1).max(100),
  overrides: Overrides,
  deadlineHours: z.number().positive().max(8760).optional(),
});

export const StudyBase = z.object({
  scenarioId: Id.optional(),
  scenario: z.record(z.string(), z.unknown()).optional(),
  overrides: Overrides,
  set: z
    .record(z.string().max(300), z.union([z.number(), z.string(), z.boolean()]))
    .optional()
    .meta({ description: 'Fixed changes, PATH → value (paths as `--set`: keys by dots, list items by [id]), applied after overrides' }),
  replications: z.number().int().min(10).optional(),
  seed: Seed.optional(),
  deadlineHours: z.number().positive().max(8760).optional(),
});

/** The error responses every route may give. */
export const ERRORS = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 429: ErrorBody };

/** `{ id }` path parameters. */
export const IdParams = z.object({ id: Id });
