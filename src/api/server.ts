/**
 * `dsim serve`: a fastify server that runs the scenarios. Bodies are validated by the zod schemas
 * of schemas.ts (and the scenario schema, which reports the same field-path problems as the CLI);
 * the OpenAPI document is generated from them. Runs execute on one long-lived executor shared by
 * every run (runs.ts) and are stored in SQLite (store.ts), so the event loop only answers
 * requests. Every error is JSON `{error, message, details}`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { buildDrill } from '../drill/build.js';
import { parseStart, renderDrill } from '../drill/render.js';
import { DsimError, ErrorCodes, issue, issuesHead, type Params, publicIssue, ScenarioError, type ScenarioIssue, tell } from '../errors.js';
import { type Lang, type MessageKey, t } from '../i18n/messages.js';
import type { RunResult } from '../kpi/result.js';
import { ENGINE_VERSION } from '../kpi/summary.js';
import { targetsFor } from '../kpi/targets.js';
import { geometryOf, renderReport } from '../report/html.js';
import { renderCheapestReport, renderSizingReport, renderSweepReport } from '../report/study-html.js';
import type { Executor } from '../run/executor.js';
import { WorkerPool } from '../run/pool.js';
import { compile, scenarioHash } from '../scenario/compile.js';
import { listBundled, loadScenario, overlay, parseYaml, validateScenario, zodIssues } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { applySets, numberAt } from '../scenario/set.js';
import { type Sweep, sweepGrid } from '../studies/compare.js';
import type { Cheapest, Sizing } from '../studies/size.js';
import { consolePage } from './console.js';
import { errorBody, RunManager, type RunParams } from './runs.js';
import {
  Accepted,
  BatchAccepted,
  BatchRequest,
  DrillRequest,
  ErrorBody,
  Health,
  Id,
  RunList,
  RunRequest,
  RunsQuery,
  RunView,
  ScenarioSummary,
  SizingRequest,
  StudyView,
  SweepRequest,
} from './schemas.js';
import { type RunStatus, Store, type StoredRun, type StoredStudy } from './store.js';
import { StudyManager } from './studies.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** Folder of the SQLite store. */
  readonly dataDir: string;
  readonly workers: number;
  /** `redis://…`: run on `dsim worker` processes instead of a local pool. */
  readonly queue?: string;
  /** Bearer token; required when the server listens on anything but loopback. */
  readonly token?: string;
  readonly maxRunning: number;
  readonly maxQueued: number;
  readonly maxReplications: number;
  /** Request body limit, bytes. */
  readonly bodyLimit: number;
  /** Requests per client per minute (health checks excepted). */
  readonly rateLimit: number;
  /** pino options, or false for none. */
  readonly logger: boolean | { level: string };
  /** An executor to use instead of making one (tests); the caller closes it. */
  readonly executor?: Executor;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './dsim-data',
  workers: 1,
  maxRunning: 2,
  maxQueued: 16,
  maxReplications: 1_000_000,
  bodyLimit: 2 * 1024 * 1024,
  rateLimit: 600,
} as const;

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** An HTTP error with the API's JSON body; its message comes from the catalogue, told in the request's language. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Params = {},
    readonly details?: readonly ScenarioIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(tell('en', key, params));
  }
}

/**
 * The language a request asks for: `?lang=zh|en`, else its Accept-Language's first choice;
 * Chinese first, so English only when the client's first choice is English.
 */
export function requestLang(req: FastifyRequest): Lang {
  const q = (req.query as { lang?: unknown } | undefined)?.lang;
  if (q === 'zh' || q === 'en') return q;
  return /^\s*en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'zh';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Constant-time comparison of a presented token with the configured one (hashed to equal length). */
function tokenMatches(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

interface Bundled {
  readonly name: string;
  readonly scenario: Scenario;
  readonly hash: string;
}

function summary(s: Scenario, hash: string, origin: 'bundled' | 'uploaded'): z.infer<typeof ScenarioSummary> {
  return {
    id: s.id,
    name: s.name,
    ...(s.nameZh !== undefined && { nameZh: s.nameZh }),
    district: s.district.name,
    hazards: s.hazards.map((h) => h.type),
    hash,
    origin,
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

/** Sends JSON text as it is (stored results are not re-encoded: their bytes are the CLI's). */
/** A 202 Accepted naming where the queued run or study will be. */
function accepted(reply: FastifyReply, id: string, location: string) {
  return reply.code(202).header('location', location).send({ id, status: 'queued', location });
}

function sendJsonText(reply: FastifyReply, text: string) {
  return reply
    .type('application/json')
    .serializer((x: unknown) => x as string)
    .send(text);
}

const newId = (prefix: string): string => `${prefix}${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

/** Builds the server (not listening yet): routes, store, run manager. */
export async function buildServer(
  o: ServeOptions,
): Promise<{ app: FastifyInstance; store: Store; manager: RunManager; studies: StudyManager }> {
  if (!isLoopback(o.host) && !o.token) {
    throw new DsimError(
      ErrorCodes.USAGE,
      `refusing to listen on ${o.host} without a token: anyone who can reach it could run and read scenarios; give --token or DSIM_TOKEN`,
    );
  }
  const app = Fastify({
    logger: o.logger,
    bodyLimit: o.bodyLimit,
    genReqId: () => newId('q'),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const store = new Store(o.dataDir);
  const executor: Executor =
    o.executor ??
    (o.queue !== undefined
      ? await (await import('../run/queue/coordinator.js')).QueueExecutor.connect(o.queue)
      : new WorkerPool(Math.max(1, o.workers)));
  const manager = new RunManager(store, executor, app.log, { maxRunning: o.maxRunning, maxQueued: o.maxQueued });
  const studies = new StudyManager(store, app.log, 1);
  const started = Date.now();

  const bundled = new Map<string, Bundled>();
  for (const name of listBundled()) {
    const { scenario } = loadScenario(name);
    bundled.set(scenario.id, { name, scenario, hash: scenarioHash(scenario) });
  }

  // ---- errors: one JSON shape, statuses from the catalogue
  app.setErrorHandler((err: unknown, req, reply) => {
    const send = (status: number, body: z.infer<typeof ErrorBody>, headers: Record<string, string> = {}) => {
      if (status >= 500) req.log.error({ err }, 'request failed');
      void reply.code(status).headers(headers).type('application/json').send(JSON.stringify(body));
    };
    const lang = requestLang(req);
    const details = (issues: readonly ScenarioIssue[]) => issues.map((i) => publicIssue(i, lang));
    if (err instanceof HttpError)
      return send(
        err.status,
        { error: err.code, message: tell(lang, err.key, err.params), ...(err.details && { details: details(err.details) }) },
        err.headers,
      );
    if (err instanceof ScenarioError) {
      return send(400, {
        error: 'invalid_scenario',
        message: issuesHead(err.file, err.issues.length, lang),
        details: details(err.issues),
      });
    }
    if (err instanceof DsimError) {
      const status = err.code === ErrorCodes.SCENARIO_NOT_FOUND ? 404 : err.code === ErrorCodes.QUEUE_UNAVAILABLE ? 503 : 400;
      return send(status, { error: err.code, message: err.text(lang) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // the zod issues behind fastify's validation errors, told like a scenario's (in `lang`,
      // with the value that was sent)
      const part = err.validationContext ?? 'body';
      const sent = { body: req.body, querystring: req.query, params: req.params, headers: req.headers }[part];
      const zis = err.validation.map(
        (v) =>
          ({
            ...v.params,
            code: v.keyword,
            message: v.message ?? 'invalid',
            path: v.instancePath
              .split('/')
              .slice(1)
              .filter((p) => p !== '')
              .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          }) as unknown as z.core.$ZodIssue,
      );
      const details = zodIssues({ issues: zis }, sent).map((i) => {
        const told = publicIssue(i, lang);
        return { ...told, path: told.path === '' ? part : `${part}${told.path.startsWith('[') ? '' : '.'}${told.path}` };
      });
      return send(400, { error: 'invalid_request', message: t(lang, 'api.schema'), details });
    }
    const e = err as { statusCode?: number; code?: string; message?: string; headers?: Record<string, string> };
    const status = e.statusCode ?? 500;
    const codes: Record<string, string> = {
      FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
    };
    const code =
      (e.code && codes[e.code]) ??
      (status === 429 ? 'rate_limited' : status === 400 ? 'invalid_json' : status < 500 ? 'invalid_request' : 'internal');
    return send(status, { error: code, message: status >= 500 ? t(lang, 'api.internal') : (e.message ?? 'bad request') }, e.headers ?? {});
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: 'not_found', message: t(requestLang(req), 'api.noRoute', { method: req.method, path: req.url.split('?')[0] ?? '' }) });
  });

  // ---- bearer token on everything but the health check
  app.addHook('onRequest', async (req) => {
    // the health check and the console page itself are open; the page asks for the token for the rest
    const path = req.url.split('?')[0];
    if (!o.token || path === '/health' || path === '/') return;
    const h = req.headers.authorization;
    const given = typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : undefined;
    if (given === undefined || !tokenMatches(given, o.token)) {
      throw new HttpError(401, 'unauthorised', 'api.unauthorised', {}, undefined, {
        'www-authenticate': 'Bearer',
      });
    }
  });

  await app.register(rateLimit, {
    global: true,
    max: o.rateLimit,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => {
      const e = new HttpError(429, 'rate_limited', 'api.rateLimited', { max: ctx.max, seconds: Math.ceil(ctx.ttl / 1000) }, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      });
      return e;
    },
  });

  // YAML bodies arrive as text and are parsed with the scenario loader's limits (aliases, size).
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'dsim API',
        version: ENGINE_VERSION,
        description: 'Runs dsim scenarios: floods, fires and chemical releases against teams, reserves and transport.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 429: ErrorBody };

  /** The scenario data a run starts from: bundled or uploaded by id, or given inline. */
  const baseScenario = (scenarioId: string | undefined, inline: unknown): Scenario => {
    if (scenarioId !== undefined) {
      const b = bundled.get(scenarioId);
      if (b) return b.scenario;
      const s = store.scenario(scenarioId);
      if (s) return JSON.parse(s.scenario) as Scenario;
      throw new HttpError(404, 'not_found', 'api.noScenario', { id: scenarioId });
    }
    return validateScenario(resolveExtends(inline), 'request.scenario');
  };

  /** `extends` names a bundled or stored scenario by id: never a file. */
  const resolveExtends = (data: unknown): unknown => {
    if (data === null || typeof data !== 'object' || Array.isArray(data) || !('extends' in data)) return data;
    const { extends: parent, ...rest } = data as Record<string, unknown>;
    const parsed = Id.safeParse(parent);
    if (!parsed.success) {
      throw new ScenarioError('scenario', [issue('extends', 'invalid_extends', 'api.extends')]);
    }
    const base = bundled.get(parsed.data)?.scenario ?? (store.scenario(parsed.data) && JSON.parse(store.scenario(parsed.data)!.scenario));
    if (!base) throw new ScenarioError('scenario', [issue('extends', 'invalid_extends', 'api.noExtends', { id: parsed.data })]);
    return overlay(base, rest);
  };

  const withOverridesApplied = (s: Scenario, overrides: Record<string, unknown> | undefined): Scenario =>
    overrides === undefined ? s : validateScenario(overlay(s, overrides), 'request.overrides');

  const checkReplications = (p: { replications?: number; untilCi?: number; maxReplications?: number }, s: Scenario): number => {
    const total =
      p.untilCi !== undefined ? (p.maxReplications ?? Math.min(o.maxReplications, 1_000_000)) : (p.replications ?? s.replications);
    if (total > o.maxReplications) {
      throw new HttpError(400, 'invalid_request', 'api.tooManyReplications', { max: o.maxReplications.toLocaleString('en-US') }, [
        issue(p.untilCi !== undefined ? 'body.maxReplications' : 'body.replications', 'too_big', 'api.atMost', {
          max: o.maxReplications,
          got: total,
        }),
      ]);
    }
    return total;
  };

  const refuseWhenFull = (n: number): void => {
    if (!manager.fits(n)) {
      const c = manager.counts;
      throw new HttpError(
        429,
        'too_many_runs',
        'api.full',
        { running: c.running, queued: c.queued, maxRunning: manager.limits.maxRunning, maxQueued: manager.limits.maxQueued },
        undefined,
        { 'retry-after': '10' },
      );
    }
  };

  // ---- routes
  api.get('/health', { schema: { response: { 200: Health } }, config: { rateLimit: false } }, async () => ({
    status: 'ok' as const,
    engineVersion: ENGINE_VERSION,
    runs: manager.counts,
    uptimeSeconds: (Date.now() - started) / 1000,
  }));

  // the browser console (api/console.ts)
  api.get('/', { schema: { hide: true, querystring: z.strictObject({ lang: z.enum(['zh', 'en']).optional() }) } }, async (req, reply) => {
    const lang = requestLang(req);
    return reply
      .type('text/html; charset=utf-8')
      .serializer((x: unknown) => x as string)
      .send(consolePage(lang));
  });

  api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  api.get('/scenarios', { schema: { response: { 200: z.object({ scenarios: z.array(ScenarioSummary) }) } } }, async () => ({
    scenarios: [
      ...[...bundled.values()].map((b) => summary(b.scenario, b.hash, 'bundled')),
      ...store
        .scenarios()
        .map((s) => ({ id: s.id, name: s.name, district: s.district, hazards: [...s.hazards], hash: s.hash, origin: 'uploaded' as const })),
    ],
  }));

  api.get('/scenarios/:id', { schema: { params: z.object({ id: Id }), response: { 200: z.unknown(), ...errors } } }, async (req, reply) => {
    const b = bundled.get(req.params.id);
    const s = b ? undefined : store.scenario(req.params.id);
    if (!b && !s) throw new HttpError(404, 'not_found', 'api.noScenario', { id: req.params.id });
    const data = b ? b.scenario : (JSON.parse(s!.scenario) as Scenario);
    const accept = req.headers.accept ?? '';
    if (YAML_TYPES.some((t) => accept.includes(t))) {
      return reply
        .type('application/yaml')
        .serializer((x: unknown) => x as string)
        .send(s?.format === 'yaml' ? s.text : toYaml(data));
    }
    return data;
  });

  api.post(
    '/scenarios',
    {
      schema: {
        body: z
          .unknown()
          .meta({ description: 'A scenario, JSON or YAML (application/yaml); `extends` names a bundled or uploaded scenario id' }),
        response: { 201: ScenarioSummary, 409: ErrorBody, ...errors },
      },
    },
    async (req, reply) => {
      const isYaml = typeof req.body === 'string';
      let data: unknown = req.body;
      if (isYaml) {
        const parsed = parseYaml(req.body as string);
        if (parsed.issues.length > 0) throw new ScenarioError('scenario', parsed.issues);
        data = parsed.data;
      }
      const scenario = validateScenario(resolveExtends(data), 'scenario');
      if (bundled.has(scenario.id)) throw new HttpError(409, 'conflict', 'api.bundledId', { id: scenario.id });
      const hash = scenarioHash(scenario);
      const added = store.addScenario({
        id: scenario.id,
        name: scenario.name,
        district: scenario.district.name,
        hazards: scenario.hazards.map((h) => h.type),
        hash,
        format: isYaml ? 'yaml' : 'json',
        text: isYaml ? (req.body as string) : JSON.stringify(req.body),
        scenario: JSON.stringify(scenario),
      });
      if (!added) throw new HttpError(409, 'conflict', 'api.stored', { id: scenario.id });
      req.log.info({ scenarioId: scenario.id }, 'scenario stored');
      return reply
        .code(201)
        .header('location', `/scenarios/${scenario.id}`)
        .send(summary(scenario, hash, 'uploaded'));
    },
  );

  const paramsOf = (b: RunRequest | BatchRequest, deadlineHours?: number): RunParams => ({
    ...(b.replications !== undefined && { replications: b.replications }),
    ...(b.untilCi !== undefined && { untilCi: b.untilCi }),
    ...(b.maxReplications !== undefined && { maxReplications: b.maxReplications }),
    ...(b.seed !== undefined && { seed: b.seed }),
    ...(b.mode !== undefined && { mode: b.mode }),
    ...((deadlineHours ?? b.deadlineHours) !== undefined && { deadlineHours: deadlineHours ?? b.deadlineHours }),
  });

  const newRun = (
    scenarioId: string,
    scenario: Scenario,
    params: RunParams,
    extra: { batchId?: string; variant?: string; overrides?: unknown },
  ) => {
    const total = checkReplications(params, scenario);
    const run = scenario.mode === (params.mode ?? scenario.mode) ? scenario : { ...scenario, mode: params.mode! };
    return {
      id: newId('r'),
      ...(extra.batchId !== undefined && { batchId: extra.batchId }),
      ...(extra.variant !== undefined && { variant: extra.variant }),
      scenarioId,
      scenario: JSON.stringify(run),
      params: JSON.stringify({ ...params, ...(extra.overrides !== undefined && { overrides: extra.overrides }) }),
      seed: params.seed ?? scenario.seed,
      hash: scenarioHash(run),
      engineVersion: ENGINE_VERSION,
      total,
    };
  };

  api.post('/runs', { schema: { body: RunRequest, response: { 202: Accepted, ...errors } } }, async (req, reply) => {
    const b = req.body;
    const base = baseScenario(b.scenarioId, b.scenario);
    const scenario = withOverridesApplied(base, b.overrides);
    const params = paramsOf(b);
    const run = newRun(b.scenarioId ?? scenario.id, scenario, params, { overrides: b.overrides });
    refuseWhenFull(1);
    store.addRuns([run]);
    manager.enqueue([run.id]);
    req.log.info({ runId: run.id, scenarioId: run.scenarioId, total: run.total }, 'run queued');
    return accepted(reply, run.id, `/runs/${run.id}`);
  });

  api.post('/runs/batch', { schema: { body: BatchRequest, response: { 202: BatchAccepted, ...errors } } }, async (req, reply) => {
    const b = req.body;
    const base = baseScenario(b.scenarioId, b.scenario);
    const batchId = newId('b');
    const runs = b.variants.map((v, i) => {
      const scenario = (() => {
        try {
          return withOverridesApplied(base, v.overrides);
        } catch (e) {
          if (e instanceof ScenarioError) {
            throw new ScenarioError(
              `variants[${i}].overrides`,
              e.issues.map((x) => ({ ...x, path: `variants[${i}].overrides → ${x.path}` })),
            );
          }
          throw e;
        }
      })();
      return {
        ...newRun(b.scenarioId ?? base.id, scenario, paramsOf(b, v.deadlineHours), { batchId, variant: v.name, overrides: v.overrides }),
        name: v.name,
      };
    });
    refuseWhenFull(runs.length);
    store.addRuns(runs);
    manager.enqueue(runs.map((r) => r.id));
    req.log.info({ batchId, runs: runs.length }, 'batch queued');
    return reply
      .code(202)
      .header('location', `/runs?batch=${batchId}`)
      .send({
        batchId,
        runs: runs.map((r) => ({ id: r.id, variant: r.name, status: 'queued', location: `/runs/${r.id}` })),
      });
  });

  api.get('/runs', { schema: { querystring: RunsQuery, response: { 200: RunList, ...errors } } }, async (req) => {
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

  const storedRun = (id: string): StoredRun => {
    const r = store.run(id);
    if (!r) throw new HttpError(404, 'not_found', 'api.noRun', { id });
    return r;
  };

  /** Sends a run with its stored result verbatim (the schema documents it; the text is the stored one). */
  const sendRun = (reply: FastifyReply, r: StoredRun) =>
    reply
      .type('application/json')
      .serializer((x: unknown) => x as string)
      .send(runJson(r));

  api.get('/runs/:id', { schema: { params: z.object({ id: Id }), response: { 200: RunView, ...errors } } }, async (req, reply) =>
    sendRun(reply, storedRun(req.params.id)),
  );

  api.delete(
    '/runs/:id',
    { schema: { params: z.object({ id: Id }), response: { 200: RunView, 409: ErrorBody, ...errors } } },
    async (req, reply) => {
      const r = storedRun(req.params.id);
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
      return sendRun(reply, storedRun(r.id));
    },
  );

  /** The schema of a report route: an id, `?lang=`, an HTML page. */
  const reportSchema = {
    params: z.object({ id: Id }),
    querystring: z.strictObject({ lang: z.enum(['zh', 'en']).optional() }),
    response: {
      200: z
        .string()
        .meta({ description: 'One self-contained HTML file (charts inlined, no network requests), in ?lang= or Accept-Language' }),
      ...errors,
    },
  };
  const sendHtml = (reply: FastifyReply, html: string) =>
    reply
      .type('text/html; charset=utf-8')
      .serializer((x: unknown) => x as string)
      .send(html);
  const notDone = (what: 'run' | 'sweep' | 'sizing', x: { id: string; status: RunStatus }) =>
    new HttpError(409, 'not_done', 'api.notDone', { what: { key: `what.${what}` }, id: x.id, status: { key: `status.${x.status}` } });

  api.get('/runs/:id/report', { schema: reportSchema }, async (req, reply) => {
    const run = storedRun(req.params.id);
    if (run.result === null) throw notDone('run', run);
    const lang = requestLang(req);
    return sendHtml(reply, renderReport(JSON.parse(run.result) as RunResult, lang, geometryOf(JSON.parse(run.scenario) as Scenario)));
  });

  app.get('/runs/:id/events', { schema: { params: z.object({ id: Id }), hide: false } }, (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as { id: string };
    const r = storedRun(id);
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

  // ---- sweeps and sizings: many runs of one scenario on common random numbers, in a worker thread
  const studyView = (x: StoredStudy): string => {
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
  };
  const studyBase = (b: { scenarioId?: string | undefined; scenario?: unknown; set?: Record<string, unknown> | undefined }): Scenario => {
    const base = baseScenario(b.scenarioId, b.scenario);
    const sets = Object.entries(b.set ?? {}).map(([path, value]) => ({ path, value }));
    return sets.length === 0 ? base : validateScenario(applySets(base, sets), 'request.set');
  };
  /** Stores and queues a sweep or sizing; the request's seed and deadline join its parameters. */
  const queueStudy = (
    kind: 'sweep' | 'sizing',
    scenario: Scenario,
    b: { scenarioId?: string | undefined; seed?: number | undefined; deadlineHours?: number | undefined },
    params: Record<string, unknown>,
    total: number,
  ) => {
    if (studies.busy >= o.maxQueued) {
      throw new HttpError(429, 'too_many_runs', 'api.studiesFull', { busy: studies.busy }, undefined, {
        'retry-after': '30',
      });
    }
    const id = newId(kind === 'sweep' ? 's' : 'z');
    const all = {
      ...params,
      ...(b.seed !== undefined && { seed: b.seed }),
      ...(b.deadlineHours !== undefined && { deadlineHours: b.deadlineHours }),
    };
    const scenarioId = b.scenarioId ?? scenario.id;
    store.addStudy({ id, kind, scenarioId, scenario: JSON.stringify(scenario), params: JSON.stringify(all), total });
    studies.enqueue(id);
    return id;
  };

  api.post('/sweeps', { schema: { body: SweepRequest, response: { 202: Accepted, ...errors } } }, async (req, reply) => {
    const b = req.body;
    const scenario = studyBase(b);
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
      checkReplications({ replications: (b.replications ?? scenario.replications) * points.length }, scenario) / points.length;
    const id = queueStudy('sweep', scenario, b, { ranges, replications }, replications);
    return accepted(reply, id, `/sweeps/${id}`);
  });

  api.post('/sizings', { schema: { body: SizingRequest, response: { 202: Accepted, ...errors } } }, async (req, reply) => {
    const b = req.body;
    const scenario = studyBase(b);
    const current = numberAt(scenario, b.vary);
    const compiled = compile(scenario);
    const ids = targetsFor(compiled, compiled.targets).map((t) => t.id);
    if (!ids.includes(b.target))
      throw new HttpError(400, 'invalid_request', 'api.target', { target: b.target, ids: ids.join(', ') }, [
        issue('body.target', 'invalid_value', 'api.oneOf', { ids: ids.join(', ') }),
      ]);
    const integer = Number.isInteger(current) && Number.isInteger(b.min) && Number.isInteger(b.max);
    const replications = b.replications ?? scenario.replications;
    checkReplications({ replications: replications * 40 }, scenario);
    const expectedProbes = 2 + Math.ceil(Math.log2(Math.max(2, integer ? b.max - b.min : 1024)));
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
    const id = queueStudy('sizing', scenario, b, params, expectedProbes);
    return accepted(reply, id, `/sizings/${id}`);
  });

  const DRILL_TYPES = { md: 'text/markdown', html: 'text/html', json: 'application/json', csv: 'text/csv' } as const;
  api.post(
    '/drills',
    {
      schema: {
        body: DrillRequest,
        response: {
          200: z.string().meta({ description: 'The drill script in the format and language asked (md, html, json or csv)' }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const scenario = studyBase(b);
      const replications = checkReplications({ replications: b.replications ?? scenario.replications }, scenario);
      if (b.start !== undefined) parseStart(b.start);
      const drill = await buildDrill(scenario, {
        executor,
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
      return reply
        .type(`${DRILL_TYPES[b.format]}; charset=utf-8`)
        .serializer((x: unknown) => x as string)
        .send(text);
    },
  );

  for (const kind of ['sweep', 'sizing'] as const) {
    const route = `/${kind}s/:id`;
    const found = (id: string): StoredStudy => {
      const x = store.study(id);
      if (!x || x.kind !== kind) throw new HttpError(404, 'not_found', 'api.noStudy', { what: { key: `what.${kind}` }, id });
      return x;
    };
    api.get(route, { schema: { params: z.object({ id: Id }), response: { 200: StudyView, ...errors } } }, async (req, reply) =>
      sendJsonText(reply, studyView(found((req.params as { id: string }).id))),
    );
    api.get(`${route}/report`, { schema: reportSchema }, async (req, reply) => {
      const x = found((req.params as { id: string }).id);
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
    api.delete(
      route,
      { schema: { params: z.object({ id: Id }), response: { 200: StudyView, 409: ErrorBody, ...errors } } },
      async (req, reply) => {
        const x = found((req.params as { id: string }).id);
        if (!(await studies.cancel(x.id)))
          throw new HttpError(409, 'not_running', 'api.notRunning', {
            what: { key: `what.${kind}` },
            id: x.id,
            status: { key: `status.${x.status}` },
          });
        return sendJsonText(reply, studyView(found(x.id)));
      },
    );
  }

  app.addHook('onClose', async () => {
    await studies.close();
    await manager.close();
    if (!o.executor) await executor.close();
    store.close();
  });
  return { app, store, manager, studies };
}

/** Starts the server: builds it, resumes the runs a previous server left, listens. */
export async function serve(o: ServeOptions): Promise<FastifyInstance> {
  const { app, manager, studies } = await buildServer(o);
  await app.listen({ host: o.host, port: o.port });
  const resumed = manager.recover() + studies.recover();
  if (resumed > 0) app.log.info({ resumed }, 'resumed runs left by the previous server');
  return app;
}

export { errorBody };
