/**
 * `POST /drills`: a drill script from one simulated replication, in the format (md, html, json,
 * csv), language and audience asked. It runs the scenario on the server's executor and answers
 * with the script.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildDrill } from '../../drill/build.js';
import { DRILL_FORMATS, parseStart, renderDrill } from '../../drill/render.js';
import { EXEMPLAR_KPIS } from '../../kpi/accumulator.js';
import { SEVERITIES } from '../../kpi/result.js';
import type { ApiContext } from '../context.js';
import { requestLang, sendText } from '../http.js';
import { ERRORS, Id, oneScenario, StudyBase } from '../schemas.js';

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

const DRILL_TYPES = { md: 'text/markdown', html: 'text/html', json: 'application/json', csv: 'text/csv' } as const;

export const drillRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  app.post(
    '/drills',
    {
      schema: {
        body: DrillRequest,
        response: {
          200: z.string().meta({ description: 'The drill script in the format and language asked (md, html, json or csv)' }),
          ...ERRORS,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const scenario = ctx.studyBase(b);
      const replications = ctx.checkReplications({ replications: b.replications ?? scenario.replications }, scenario);
      if (b.start !== undefined) parseStart(b.start);
      const drill = await buildDrill(scenario, {
        executor: ctx.executor,
        replications,
        ...(b.severity !== undefined && { severity: b.severity }),
        ...(b.replication !== undefined && { replication: b.replication }),
        ...(b.hazard !== undefined && { hazard: b.hazard }),
        ...(b.kpi !== undefined && { kpi: b.kpi }),
        ...(b.seed !== undefined && { seed: b.seed }),
        ...(b.deadlineHours !== undefined && { deadlineHours: b.deadlineHours }),
      });
      const text = renderDrill(drill, b.format, {
        lang: b.lang ?? requestLang(req),
        audience: b.audience,
        compress: b.compress,
        ...(b.start !== undefined && { start: b.start }),
      });
      req.log.info({ scenarioId: drill.scenario.id, replication: drill.replication }, 'drill written');
      return sendText(reply, `${DRILL_TYPES[b.format]}; charset=utf-8`, text);
    },
  );
};
