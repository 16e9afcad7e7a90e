/**
 * Runs: `POST /runs` queues one (202 with its location), `GET /runs` pages through them, `GET
 * /runs/:id` gives one with its result as stored (byte-identical to `dsim run --json`), `DELETE`
 * cancels a live one, and `GET /runs/:id/events` streams its progress and result (SSE, resumable
 * with Last-Event-ID).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RunResult } from '../../kpi/result.js';
import { type ApiContext, paramsOf } from '../context.js';
import { accepted, HttpError, sendJsonText } from '../http.js';
import { Accepted, ERRORS, ErrorBody, Id, IdParams, oneScenario, RunParameters, RunStatusSchema } from '../schemas.js';
import type { RunStatus, Store, StoredRun } from '../store/store.js';

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

export const RunsQuery = z.strictObject({
  scenario: Id.optional(),
  status: RunStatusSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'expected a cursor from nextCursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

function runView(r: StoredRun): Omit<z.infer<typeof RunView>, 'result'> {
  return {
    id: r.id,
    status: r.status,
    batchId: r.batchId,
    variant: r.variant,
    scenario: { id: r.scenarioId, hash: r.hash },
    parameters: JSON.parse(r.params) as Record<string, unknown>,
    seed: r.seed,
    engineVersion: r.engineVersion,
    progress: { done: r.done, total: r.total },
    checkpoint: { done: r.checkpointDone },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    finishedAt: r.finishedAt,
    ...(r.error !== null && { error: JSON.parse(r.error) }),
  };
}

/**
 * A run as JSON text, its result spliced in as stored: the result document is byte-identical to
 * what `dsim run --json` writes (re-encoding through the schema would reorder keys).
 */
function runJson(r: StoredRun): string {
  const view = JSON.stringify(runView(r));
  return r.result === null ? view : `${view.slice(0, -1)},"result":${r.result}}`;
}

/** The stored run, or 404. */
export function storedRun(store: Store, id: string): StoredRun {
  const r = store.run(id);
  if (!r) throw new HttpError(404, 'not_found', 'api.noRun', { id });
  return r;
}

export const runRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  const { store, manager } = ctx;

  app.post('/runs', { schema: { body: RunRequest, response: { 202: Accepted, ...ERRORS } } }, async (req, reply) => {
    const b = req.body;
    const scenario = ctx.withOverrides(ctx.baseScenario(b.scenarioId, b.scenario), b.overrides);
    const run = ctx.newRun(b.scenarioId ?? scenario.id, scenario, paramsOf(b), { overrides: b.overrides });
    ctx.refuseWhenFull(1);
    store.addRuns([run]);
    manager.enqueue([run.id]);
    req.log.info({ runId: run.id, scenarioId: run.scenarioId, total: run.total }, 'run queued');
    return accepted(reply, run.id, `/runs/${run.id}`);
  });

  app.get('/runs', { schema: { querystring: RunsQuery, response: { 200: RunList, ...ERRORS } } }, async (req) => {
    const q = req.query;
    const rows = store.runs({
      ...(q.scenario !== undefined && { scenario: q.scenario }),
      ...(q.status !== undefined && { status: q.status as RunStatus }),
      ...(q.cursor !== undefined && { before: Number(q.cursor) }),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    return {
      runs: page.map(runView),
      nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.seq) : null,
    };
  });

  app.get('/runs/:id', { schema: { params: IdParams, response: { 200: RunView, ...ERRORS } } }, async (req, reply) =>
    sendJsonText(reply, runJson(storedRun(store, req.params.id))),
  );

  app.delete('/runs/:id', { schema: { params: IdParams, response: { 200: RunView, 409: ErrorBody, ...ERRORS } } }, async (req, reply) => {
    const r = storedRun(store, req.params.id);
    if (!manager.isLive(r.id))
      throw new HttpError(409, 'not_running', 'api.notRunning', {
        what: { key: 'what.run' },
        id: r.id,
        status: { key: `status.${r.status}` },
      });
    const ended = new Promise<void>((resolve) => {
      const off = manager.subscribe(r.id, (e) => {
        if (e.type === 'end') {
          off();
          resolve();
        }
      });
    });
    manager.cancel(r.id);
    req.log.info({ runId: r.id }, 'run cancelled');
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
    return sendJsonText(reply, runJson(storedRun(store, r.id)));
  });

  app.get('/runs/:id/events', { schema: { params: z.object({ id: Id }), hide: false } }, (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as { id: string };
    const r = storedRun(store, id);
    const last = Number(req.headers['last-event-id'] ?? 0);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (eventId: number, event: string, data: unknown): void => {
      raw.write(`id: ${eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const finish = (): void => {
      const final = store.run(id)!;
      const parts = [`"status":${JSON.stringify(final.status)}`];
      if (final.result !== null) parts.push(`"result":${final.result}`);
      if (final.error !== null) parts.push(`"error":${final.error}`);
      raw.write(`id: ${final.total + 1}\nevent: result\ndata: {${parts.join(',')}}\n\n`);
      raw.end();
    };
    if (!manager.isLive(r.id)) return finish();
    const now = manager.lastEvent(id);
    if (now && now.type === 'progress' && now.id > last) write(now.id, 'progress', now.data);
    else if (!now && r.done > last) write(r.done, 'progress', { done: r.done, total: r.total });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    const off = manager.subscribe(id, (e) => {
      if (e.type === 'progress') {
        if (e.id > last) write(e.id, 'progress', e.data);
        return;
      }
      clearInterval(heartbeat);
      off();
      finish();
    });
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      off();
    });
  });
};
