/**
 * Sweeps, sizings and what binds: many runs of one scenario on common random numbers, each study a resource
 * run in a worker thread (study-manager.ts): `POST /sweeps`, `POST /sizings` and `POST /binds` queue one (202),
 * `GET` reads it with its result as stored, `DELETE` cancels it. Their reports: reports.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issue } from '../../errors.js';
import { targetsFor } from '../../kpi/targets.js';
import { compile } from '../../scenario/compile.js';
import { numberAt } from '../../scenario/set.js';
import { relaxations } from '../../studies/binds.js';
import { sweepGrid } from '../../studies/compare.js';
import { tooFewToShow } from '../../studies/size.js';
import type { ApiContext } from '../context.js';
import { accepted, HttpError, sendJsonText } from '../http.js';
import { Accepted, ERRORS, ErrorBody, IdParams, oneScenario, RunStatusSchema, StudyBase, VariantSpec } from '../schemas.js';
import type { Store, StoredStudy, StudyKind } from '../store/store.js';

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

export const BindsRequest = StudyBase.strict()
  .refine(...oneScenario)
  .meta({
    id: 'BindsRequest',
    description:
      'What binds relief, by counterfactual: each constraint relaxed alone, all together and all but one, on common random numbers',
  });
export type BindsRequest = z.infer<typeof BindsRequest>;

export const ComparisonRequest = StudyBase.extend({
  variants: z
    .array(VariantSpec)
    .min(1)
    .max(10)
    .meta({ description: 'Variants of the scenario (the first is the reference), run together on the same replications' }),
})
  .strict()
  .refine(...oneScenario)
  .meta({
    id: 'ComparisonRequest',
    description: 'A paired comparison: every variant on the same replications, each difference from the first with its paired 95% interval',
  });

export const StudyView = z
  .object({
    id: z.string(),
    kind: z.enum(['sweep', 'sizing', 'drill', 'binds', 'comparison']),
    status: RunStatusSchema,
    scenario: z.object({ id: z.string() }),
    parameters: z.record(z.string(), z.unknown()),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    result: z.unknown().optional().meta({
      description:
        'The sweep (every point), the sizing (every probe), the drill (its script as data) or what binds (every relaxation), when done',
    }),
    error: z.object({ error: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'Study' });

/** The stored study of this kind, or 404. */
export function storedStudy(store: Store, kind: StudyKind, id: string): StoredStudy {
  const x = store.study(id);
  if (!x || x.kind !== kind) throw new HttpError(404, 'not_found', 'api.noStudy', { what: { key: `what.${kind}` }, id });
  return x;
}

/** A study as JSON text, its result spliced in as stored. */
export function studyJson(x: StoredStudy): string {
  const view = {
    id: x.id,
    kind: x.kind,
    status: x.status,
    scenario: { id: x.scenarioId },
    parameters: JSON.parse(x.params) as Record<string, unknown>,
    progress: { done: x.done, total: x.total },
    createdAt: x.createdAt,
    updatedAt: x.updatedAt,
    finishedAt: x.finishedAt,
    ...(x.error !== null && { error: JSON.parse(x.error) }),
  };
  const text = JSON.stringify(view);
  return x.result === null ? text : `${text.slice(0, -1)},"result":${x.result}}`;
}

export const studyRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  const { store, studies } = ctx;

  app.post('/sweeps', { schema: { body: SweepRequest, response: { 202: Accepted, ...ERRORS } } }, async (req, reply) => {
    const b = req.body;
    const scenario = ctx.studyBase(b);
    const ranges = b.ranges.map((r) => {
      if ('values' in r) return { path: r.path, values: r.values };
      const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
      if (!(r.to >= r.from) || n > 200)
        throw new HttpError(400, 'invalid_request', 'api.range', { path: r.path, from: r.from, to: r.to, step: r.step, n });
      return { path: r.path, values: Array.from({ length: n }, (_, i) => Number((r.from + i * r.step).toPrecision(12))) };
    });
    for (const r of ranges) numberAt(scenario, r.path);
    const { points } = sweepGrid(scenario, ranges, b.deadlineHours); // validates every point now, not in the worker
    const replications =
      ctx.checkReplications({ replications: (b.replications ?? scenario.replications) * points.length }, scenario) / points.length;
    const id = ctx.queueStudy('sweep', scenario, b, { ranges, replications }, replications);
    return accepted(reply, id, `/sweeps/${id}`);
  });

  app.post('/sizings', { schema: { body: SizingRequest, response: { 202: Accepted, ...ERRORS } } }, async (req, reply) => {
    const b = req.body;
    const scenario = ctx.studyBase(b);
    const current = numberAt(scenario, b.vary);
    const compiled = compile(scenario);
    const ids = targetsFor(compiled, compiled.targets).map((t) => t.id);
    if (!ids.includes(b.target))
      throw new HttpError(400, 'invalid_request', 'api.target', { target: b.target, ids: ids.join(', ') }, [
        issue('body.target', 'invalid_value', 'api.oneOf', { ids: ids.join(', ') }),
      ]);
    const integer = Number.isInteger(current) && Number.isInteger(b.min) && Number.isInteger(b.max);
    const replications = b.replications ?? scenario.replications;
    ctx.checkReplications({ replications: replications * 40 }, scenario);
    const tooFew = tooFewToShow(replications, b.confidence);
    if (tooFew) throw new HttpError(400, 'invalid_request', 'err.tooFewToShow', tooFew);
    // Two bisections: on P(met), then on its interval's lower bound.
    const expectedProbes = 2 * (2 + Math.ceil(Math.log2(Math.max(2, integer ? b.max - b.min : 1024))));
    const params = {
      vary: b.vary,
      target: b.target,
      confidence: b.confidence,
      min: b.min,
      max: b.max,
      integer,
      replications,
      expectedProbes,
    };
    const id = ctx.queueStudy('sizing', scenario, b, params, expectedProbes);
    return accepted(reply, id, `/sizings/${id}`);
  });

  app.post('/binds', { schema: { body: BindsRequest, response: { 202: Accepted, ...ERRORS } } }, async (req, reply) => {
    const b = req.body;
    const scenario = ctx.studyBase(b);
    const replications = b.replications ?? Math.max(scenario.replications, 400);
    // Each relaxation alone and all but it, the base and all together, then at most as many subsets again.
    const variants = 2 * (relaxations(scenario).length + 1);
    ctx.checkReplications({ replications: replications * variants * 2 }, scenario);
    const id = ctx.queueStudy('binds', scenario, b, { replications }, replications * 2);
    return accepted(reply, id, `/binds/${id}`);
  });

  app.post('/comparisons', { schema: { body: ComparisonRequest, response: { 202: Accepted, ...ERRORS } } }, async (req, reply) => {
    const b = req.body;
    const scenario = ctx.studyBase(b);
    // each variant checked now (an unknown id, a value out of range), not in the worker
    for (const v of b.variants) ctx.withOverrides(scenario, v.overrides);
    const replications = b.replications ?? scenario.replications;
    ctx.checkReplications({ replications: replications * b.variants.length }, scenario);
    const id = ctx.queueStudy('comparison', scenario, b, { replications, variants: b.variants }, replications);
    return accepted(reply, id, `/comparisons/${id}`);
  });

  for (const kind of ['sweep', 'sizing', 'drill', 'binds', 'comparison'] as const) {
    const route = kind === 'binds' ? '/binds/:id' : `/${kind}s/:id`;
    app.get(route, { schema: { params: IdParams, response: { 200: StudyView, ...ERRORS } } }, async (req, reply) =>
      sendJsonText(reply, studyJson(storedStudy(store, kind, req.params.id))),
    );
    app.delete(route, { schema: { params: IdParams, response: { 200: StudyView, 409: ErrorBody, ...ERRORS } } }, async (req, reply) => {
      const x = storedStudy(store, kind, req.params.id);
      if (!(await studies.cancel(x.id)))
        throw new HttpError(409, 'not_running', 'api.notRunning', {
          what: { key: `what.${kind}` },
          id: x.id,
          status: { key: `status.${x.status}` },
        });
      return sendJsonText(reply, studyJson(storedStudy(store, kind, x.id)));
    });
  }
};
