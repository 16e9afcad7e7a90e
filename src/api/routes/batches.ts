/**
 * `POST /runs/batch`: variants of one scenario, each a run on the same seed (so the same floods,
 * fires and releases), queued together; an invalid variant names itself in the problem's path.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ScenarioError } from '../../errors.js';
import { type ApiContext, paramsOf } from '../context.js';
import { newId } from '../http.js';
import { Accepted, ERRORS, Id, oneScenario, RunParameters, VariantSpec } from '../schemas.js';

export const BatchRequest = RunParameters.omit({ overrides: true })
  .extend({
    scenarioId: Id.optional(),
    scenario: z.record(z.string(), z.unknown()).optional(),
    variants: z
      .array(VariantSpec)
      .min(1)
      .max(50)
      .meta({ description: 'Variants of the scenario, each a run; all share the seed, so the same floods, fires and releases' }),
  })
  .strict()
  .refine(...oneScenario)
  .meta({ id: 'BatchRequest' });
export type BatchRequest = z.infer<typeof BatchRequest>;

export const BatchAccepted = z.object({ batchId: z.string(), runs: z.array(Accepted.extend({ variant: z.string() })) });

export const batchRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  app.post('/runs/batch', { schema: { body: BatchRequest, response: { 202: BatchAccepted, ...ERRORS } } }, async (req, reply) => {
    const b = req.body;
    const base = ctx.baseScenario(b.scenarioId, b.scenario);
    const batchId = newId('b');
    const runs = b.variants.map((v, i) => {
      let scenario: typeof base;
      try {
        scenario = ctx.withOverrides(base, v.overrides);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        throw new ScenarioError(
          `variants[${i}].overrides`,
          e.issues.map((x) => ({ ...x, path: `variants[${i}].overrides → ${x.path}` })),
        );
      }
      return {
        ...ctx.newRun(b.scenarioId ?? base.id, scenario, paramsOf(b, v.deadlineHours), {
          batchId,
          variant: v.name,
          overrides: v.overrides,
        }),
        name: v.name,
      };
    });
    ctx.refuseWhenFull(runs.length);
    ctx.store.addRuns(runs);
    ctx.manager.enqueue(runs.map((r) => r.id));
    req.log.info({ batchId, runs: runs.length }, 'batch queued');
    return reply
      .code(202)
      .header('location', `/runs?batch=${batchId}`)
      .send({
        batchId,
        runs: runs.map((r) => ({ id: r.id, variant: r.name, status: 'queued', location: `/runs/${r.id}` })),
      });
  });
};
