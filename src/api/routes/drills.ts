/**
 * Drills: `POST /drills` writes a drill script from one simulated replication, in the format (md,
 * html, json, csv), language and audience asked. Answered in the request, it takes one of the
 * server's running slots (429 with Retry-After when none is free) and stops when the client goes
 * away; with `async: true` it is a stored resource like a sweep (202, `GET /drills/:id`, `DELETE`),
 * and `GET /drills/:id/script` tells the stored drill in any format, language and audience.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildDrill } from '../../drill/build.js';
import {
  AUDIENCES,
  DRILL_FORMATS,
  DRILL_MODES,
  type DrillFormat,
  type DrillView,
  MAX_COMPRESS,
  parseStart,
  renderDrill,
} from '../../drill/render.js';
import type { Drill } from '../../drill/script.js';
import { EXEMPLAR_KPIS } from '../../kpi/accumulator.js';
import { SEVERITIES } from '../../kpi/result.js';
import type { ApiContext } from '../context.js';
import { accepted, HttpError, requestLang, sendText } from '../http.js';
import { Accepted, ERRORS, Id, IdParams, oneScenario, StudyBase } from '../schemas.js';
import { storedStudy } from './studies.js';

export const DrillRequest = StudyBase.extend({
  severity: z.enum(SEVERITIES).optional().meta({ description: 'Pick the replication at this severity (default p90)' }),
  replication: z.number().int().min(0).optional().meta({ description: 'Or this replication' }),
  hazard: Id.optional().meta({ description: 'The hazard drilled (required when the scenario has several)' }),
  kpi: z.enum(EXEMPLAR_KPIS).optional().meta({ description: 'The KPI whose severity picks the replication (default by hazard)' }),
  lang: z.enum(['zh', 'en']).optional().meta({ description: 'Else ?lang= or Accept-Language (Chinese first)' }),
  format: z.enum(DRILL_FORMATS).default('md'),
  audience: z.enum(AUDIENCES).default('controller'),
  mode: z.enum(DRILL_MODES).default('functional').meta({
    description:
      'A functional drill on a clock, a tabletop exercise, or a demonstration drill (the functional script with narration and dialogue for the controller)',
  }),
  start: z.string().max(32).optional().meta({ description: 'Drill clock start, YYYY-MM-DD HH:mm' }),
  compress: z.number().min(1).max(MAX_COMPRESS).default(1).meta({ description: 'Simulated minutes per drill minute' }),
  async: z
    .boolean()
    .default(false)
    .meta({ description: 'Queue the drill as a resource (202, GET /drills/:id) instead of answering with the script' }),
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

const DRILL_TYPES = { md: 'text/markdown', html: 'text/html', json: 'application/json', csv: 'text/csv' } as const;

/** How a stored drill is told: the request's choices, which `GET /drills/:id/script` may change. */
const ScriptQuery = z.strictObject({
  format: z.enum(DRILL_FORMATS).optional(),
  lang: z.enum(['zh', 'en']).optional(),
  audience: z.enum(AUDIENCES).optional(),
  mode: z.enum(DRILL_MODES).optional(),
  start: z.string().max(32).optional(),
  compress: z.coerce.number().min(1).max(MAX_COMPRESS).optional(),
});

export const drillRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  app.post(
    '/drills',
    {
      schema: {
        body: DrillRequest,
        response: {
          200: z.string().meta({ description: 'The drill script in the format and language asked (md, html, json or csv)' }),
          202: Accepted,
          ...ERRORS,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const scenario = ctx.studyBase(b);
      const replications = ctx.checkReplications({ replications: b.replications ?? scenario.replications }, scenario);
      if (b.start !== undefined) parseStart(b.start);
      const options = {
        replications,
        ...(b.severity !== undefined && { severity: b.severity }),
        ...(b.replication !== undefined && { replication: b.replication }),
        ...(b.hazard !== undefined && { hazard: b.hazard }),
        ...(b.kpi !== undefined && { kpi: b.kpi }),
      };
      const view = {
        format: b.format,
        lang: b.lang ?? requestLang(req),
        audience: b.audience,
        mode: b.mode,
        compress: b.compress,
        ...(b.start !== undefined && { start: b.start }),
      };
      if (b.async) {
        const id = ctx.queueStudy('drill', scenario, b, { ...options, view }, replications);
        return accepted(reply, id, `/drills/${id}`);
      }
      const release = ctx.manager.acquire();
      if (!release) ctx.refuseWhenFull(Number.POSITIVE_INFINITY);
      const stop = new AbortController();
      const gone = () => {
        if (!reply.raw.writableEnded) stop.abort();
      };
      reply.raw.once('close', gone);
      try {
        const drill = await buildDrill(scenario, {
          ...options,
          executor: ctx.executor,
          signal: stop.signal,
          ...(b.seed !== undefined && { seed: b.seed }),
          ...(b.deadlineHours !== undefined && { deadlineHours: b.deadlineHours }),
        });
        req.log.info({ scenarioId: drill.scenario.id, replication: drill.replication }, 'drill written');
        return sendText(reply, `${DRILL_TYPES[b.format]}; charset=utf-8`, renderDrill(drill, b.format, view));
      } finally {
        release!();
        if (stop.signal.aborted) req.log.info('drill stopped: its client went away');
      }
    },
  );

  app.get(
    '/drills/:id/script',
    {
      schema: {
        params: IdParams,
        querystring: ScriptQuery,
        response: { 200: z.string().meta({ description: 'The stored drill told in the format, language and audience asked' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      const x = storedStudy(ctx.store, 'drill', req.params.id);
      if (x.result === null) throw new HttpError(409, 'not_done', 'api.drillNotDone', { id: x.id, status: { key: `status.${x.status}` } });
      const asked = (JSON.parse(x.params) as { view: DrillView & { format: DrillFormat } }).view;
      const q = req.query;
      const format = q.format ?? asked.format;
      const view: DrillView = {
        lang: q.lang ?? asked.lang,
        audience: q.audience ?? asked.audience,
        mode: q.mode ?? asked.mode ?? 'functional',
        compress: q.compress ?? asked.compress,
        ...((q.start ?? asked.start) !== undefined && { start: (q.start ?? asked.start)! }),
      };
      if (view.start !== undefined) parseStart(view.start);
      return sendText(reply, `${DRILL_TYPES[format]}; charset=utf-8`, renderDrill(JSON.parse(x.result) as Drill, format, view));
    },
  );
};
