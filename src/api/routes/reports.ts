/**
 * The HTML reports of runs, sweeps, sizings and what-binds studies (`GET /runs/:id/report`,
 * `/sweeps/:id/report`, `/sizings/:id/report`, `/binds/:id/report`): one self-contained file each, in ?lang= or the Accept-Language; 409
 * while the run or study has no result.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RunResult } from '../../kpi/result.js';
import { geometryOf, renderReport } from '../../report/html.js';
import { renderBindsReport, renderCheapestReport, renderSizingReport, renderSweepReport } from '../../report/study-html.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Binds } from '../../studies/binds.js';
import type { Sweep } from '../../studies/compare.js';
import type { Cheapest, Sizing } from '../../studies/size.js';
import type { ApiContext } from '../context.js';
import { HttpError, requestLang, sendHtml } from '../http.js';
import { ERRORS, IdParams } from '../schemas.js';
import type { RunStatus } from '../store/store.js';
import { storedRun } from './runs.js';
import { storedStudy } from './studies.js';

/** The schema of a report route: an id, `?lang=`, an HTML page. */
const reportSchema = {
  params: IdParams,
  querystring: z.strictObject({ lang: z.enum(['zh', 'en']).optional() }),
  response: {
    200: z
      .string()
      .meta({ description: 'One self-contained HTML file (charts inlined, no network requests), in ?lang= or Accept-Language' }),
    ...ERRORS,
  },
};

const notDone = (what: 'run' | 'sweep' | 'sizing' | 'binds', x: { id: string; status: RunStatus }) =>
  new HttpError(409, 'not_done', 'api.notDone', { what: { key: `what.${what}` }, id: x.id, status: { key: `status.${x.status}` } });

export const reportRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { store }) => {
  app.get('/runs/:id/report', { schema: reportSchema }, async (req, reply) => {
    const run = storedRun(store, req.params.id);
    if (run.result === null) throw notDone('run', run);
    const result = JSON.parse(run.result) as RunResult;
    // An imported scenario's polygons, kept with it in the store: the report draws the real map.
    const polygons = store.scenario(run.scenarioId)?.geometry;
    const scenario = JSON.parse(run.scenario) as Scenario;
    const geometry = geometryOf(
      scenario,
      undefined,
      polygons === undefined
        ? undefined
        : { bytes: new TextEncoder().encode(polygons), label: scenario.district.geo?.zones ?? 'zones.geojson' },
    );
    // What binds: the newest what-binds study of this very scenario (its hash), seed and deadline, if one was run
    const binds = store
      .doneStudies('binds', run.scenarioId)
      .map((x) => (x.result === null ? undefined : (JSON.parse(x.result) as Binds)))
      .find(
        (b) =>
          b?.assumptions?.base.hash === result.scenario.hash &&
          b.seed === result.seed &&
          b.deadlineHours === result.kpis.reliefWithinDeadline.deadlineHours,
      );
    return sendHtml(reply, renderReport(result, requestLang(req), geometry, binds, 'api'));
  });

  for (const kind of ['sweep', 'sizing'] as const) {
    app.get(`/${kind}s/:id/report`, { schema: reportSchema }, async (req, reply) => {
      const x = storedStudy(store, kind, req.params.id);
      if (x.result === null) throw notDone(kind, x);
      const lang = requestLang(req);
      const result = JSON.parse(x.result) as Sweep | Sizing | Cheapest;
      const html =
        result.kind === 'dsim.sweep'
          ? renderSweepReport(result, lang)
          : result.kind === 'dsim.cheapest'
            ? renderCheapestReport(result, lang)
            : renderSizingReport(result, lang);
      return sendHtml(reply, html);
    });
  }

  app.get('/binds/:id/report', { schema: reportSchema }, async (req, reply) => {
    const x = storedStudy(store, 'binds', req.params.id);
    if (x.result === null) throw notDone('binds', x);
    return sendHtml(reply, renderBindsReport(JSON.parse(x.result) as Binds, requestLang(req)));
  });
};
