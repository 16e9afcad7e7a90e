/**
 * The OpenAPI document, generated from every route's zod schemas (`GET /openapi.json`), and its
 * page (`/docs`); every operation's summary and description come from the catalogue, in English
 * in the document and in Chinese at `/openapi.json?lang=zh` and `/docs?lang=zh`. Registered before the routes it describes: swagger collects them as they are added.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { EN, type Lang, type MessageKey, t } from '../../i18n/messages.js';
import { ENGINE_VERSION } from '../../kpi/summary.js';
import { requestLang } from '../http.js';

/** Each route's operation: its summary and description in the catalogue (`op.NAME`, `op.NAME.d`), in both languages. */
const OPERATIONS: Readonly<Record<string, string>> = {
  'GET /health': 'health',
  'GET /scenarios': 'listScenarios',
  'GET /scenarios/:id': 'getScenario',
  'POST /scenarios': 'uploadScenario',
  'PUT /scenarios/:id': 'replaceScenario',
  'POST /comparisons': 'startComparison',
  'GET /comparisons/:id': 'getComparison',
  'DELETE /comparisons/:id': 'cancelComparison',
  'GET /scenarios/:id/versions': 'scenarioVersions',
  'DELETE /scenarios/:id': 'deleteScenario',
  'POST /runs': 'startRun',
  'POST /runs/batch': 'startBatch',
  'GET /runs': 'listRuns',
  'GET /runs/:id': 'getRun',
  'DELETE /runs/:id': 'cancelRun',
  'GET /runs/:id/events': 'runEvents',
  'GET /runs/:id/report': 'runReport',
  'POST /sweeps': 'startSweep',
  'POST /sizings': 'startSizing',
  'POST /binds': 'startBinds',
  'GET /sweeps/:id': 'getSweep',
  'GET /sizings/:id': 'getSizing',
  'GET /binds/:id': 'getBinds',
  'GET /drills/:id': 'getDrill',
  'DELETE /sweeps/:id': 'cancelSweep',
  'DELETE /sizings/:id': 'cancelSizing',
  'DELETE /binds/:id': 'cancelBinds',
  'DELETE /drills/:id': 'cancelDrill',
  'GET /sweeps/:id/report': 'sweepReport',
  'GET /sizings/:id/report': 'sizingReport',
  'GET /binds/:id/report': 'bindsReport',
  'POST /drills': 'startDrill',
  'GET /drills/:id/script': 'drillScript',
  'POST /imports': 'startImport',
};

type Doc = {
  info?: { description?: string };
  paths?: Record<string, Record<string, { operationId?: string; summary?: string; description?: string }>>;
};

/** The document with every operation's summary and description (and the API's) in `lang`. */
export function documentIn(doc: Readonly<Record<string, unknown>>, lang: Lang): Record<string, unknown> {
  const d = structuredClone(doc) as Doc & Record<string, unknown>;
  if (d.info) d.info.description = t(lang, 'op.info');
  for (const ops of Object.values(d.paths ?? {}))
    for (const op of Object.values(ops)) {
      const name = op.operationId;
      if (name === undefined || !(`op.${name}` in EN)) continue;
      op.summary = t(lang, `op.${name}` as MessageKey);
      op.description = t(lang, `op.${name}.d` as MessageKey);
    }
  return d;
}

/** The language a docs request asks for: ?lang=, else the page's (the JSON is fetched by the page at /docs?lang=zh), else Accept-Language. */
function docsLang(req: FastifyRequest): Lang {
  const q = (req.query as { lang?: unknown } | undefined)?.lang;
  if (q === 'zh' || q === 'en') return q;
  const referer = /[?&]lang=(zh|en)\b/.exec(req.headers.referer ?? '')?.[1];
  if (referer === 'zh' || referer === 'en') return referer;
  return requestLang(req);
}

const openapi: FastifyPluginAsync = async (app) => {
  // every route's operation id, summary and description (English in the document; /docs?lang=zh and /openapi.json?lang=zh translate)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const name = OPERATIONS[`${method} ${route.url}`];
      if (name === undefined || route.schema?.hide) continue;
      route.schema = {
        ...route.schema,
        operationId: name,
        summary: t('en', `op.${name}` as MessageKey),
        description: t('en', `op.${name}.d` as MessageKey),
      };
    }
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'dsim API',
        version: ENGINE_VERSION,
        description: t('en', 'op.info'),
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformSpecification: (doc, req) => (docsLang(req) === 'en' ? { ...doc } : documentIn(doc, 'zh')),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async (req) => {
    const q = (req.query as { lang?: unknown } | undefined)?.lang;
    return q === 'zh' ? documentIn(app.swagger() as unknown as Record<string, unknown>, 'zh') : app.swagger();
  });
};

/** Registered at the root (not encapsulated), so that swagger sees every route. */
export const openapiRoutes = fp(openapi, { name: 'dsim-openapi' });
