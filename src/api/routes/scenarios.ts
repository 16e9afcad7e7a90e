/**
 * Scenarios: the bundled ones and those uploaded (`POST /scenarios`, JSON or YAML; `extends` names
 * a bundled or uploaded id), listed and read back (YAML as uploaded when the client asks for it).
 * An upload is replaced by a new version (`PUT /scenarios/:id`: its id stays, every version is
 * kept and listed at `/scenarios/:id/versions`) and deleted (`DELETE`) only while no run or study
 * names it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { issue, ScenarioError } from '../../errors.js';
import { scenarioHash } from '../../scenario/compile.js';
import { parseYaml, validateScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import type { ApiContext } from '../context.js';
import { HttpError, sendText, YAML_TYPES } from '../http.js';
import { ERRORS, ErrorBody, IdParams } from '../schemas.js';

export const ScenarioSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    nameZh: z.string().optional(),
    district: z.string(),
    hazards: z.array(z.string()),
    hash: z.string(),
    origin: z.enum(['bundled', 'uploaded']),
    version: z.number().int().optional().meta({ description: 'An upload’s current version (1 when first stored)' }),
  })
  .meta({ id: 'ScenarioSummary' });

export function summary(s: Scenario, hash: string, origin: 'bundled' | 'uploaded', version?: number): z.infer<typeof ScenarioSummary> {
  return {
    id: s.id,
    name: s.name,
    ...(s.nameZh !== undefined && { nameZh: s.nameZh }),
    district: s.district.name,
    hazards: s.hazards.map((h) => h.type),
    hash,
    origin,
    ...(version !== undefined && { version }),
  };
}

const ScenarioBody = z
  .unknown()
  .meta({ description: 'A scenario, JSON or YAML (application/yaml); `extends` names a bundled or uploaded scenario id' });

export const scenarioRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { bundled, store, resolveExtends }) => {
  app.get('/scenarios', { schema: { response: { 200: z.object({ scenarios: z.array(ScenarioSummary) }) } } }, async () => ({
    scenarios: [
      ...[...bundled.values()].map((b) => summary(b.scenario, b.hash, 'bundled')),
      // uploads with their Chinese names and versions, as stored
      ...store.scenarios().map((s) => summary(JSON.parse(s.scenario) as Scenario, s.hash, 'uploaded', s.version ?? 1)),
    ],
  }));

  app.get('/scenarios/:id', { schema: { params: IdParams, response: { 200: z.unknown(), ...ERRORS } } }, async (req, reply) => {
    const b = bundled.get(req.params.id);
    const s = b ? undefined : store.scenario(req.params.id);
    if (!b && !s) throw new HttpError(404, 'not_found', 'api.noScenario', { id: req.params.id });
    const data = b ? b.scenario : (JSON.parse(s!.scenario) as Scenario);
    const accept = req.headers.accept ?? '';
    if (YAML_TYPES.some((t) => accept.includes(t)))
      return sendText(reply, 'application/yaml', s?.format === 'yaml' ? s.text : toYaml(data));
    return data;
  });

  /** The request's scenario, validated, with what the store keeps of it. */
  const received = (body: unknown) => {
    const isYaml = typeof body === 'string';
    let data: unknown = body;
    if (isYaml) {
      const parsed = parseYaml(body as string);
      if (parsed.issues.length > 0) throw new ScenarioError('scenario', parsed.issues);
      data = parsed.data;
    }
    const scenario = validateScenario(resolveExtends(data), 'scenario');
    if (bundled.has(scenario.id)) throw new HttpError(409, 'conflict', 'api.bundledId', { id: scenario.id });
    const hash = scenarioHash(scenario);
    const row = {
      id: scenario.id,
      name: scenario.name,
      district: scenario.district.name,
      hazards: scenario.hazards.map((h) => h.type),
      hash,
      format: isYaml ? ('yaml' as const) : ('json' as const),
      text: isYaml ? (body as string) : JSON.stringify(body),
      scenario: JSON.stringify(scenario),
    };
    return { scenario, hash, row };
  };

  app.post(
    '/scenarios',
    { schema: { body: ScenarioBody, response: { 201: ScenarioSummary, 409: ErrorBody, ...ERRORS } } },
    async (req, reply) => {
      const { scenario, hash, row } = received(req.body);
      // the detail's code tells a client (the console) to offer a new version instead
      if (!store.addScenario(row))
        throw new HttpError(409, 'conflict', 'api.stored', { id: scenario.id }, [
          issue('id', 'already_stored', 'api.stored', { id: scenario.id }),
        ]);
      req.log.info({ scenarioId: scenario.id }, 'scenario stored');
      return reply
        .code(201)
        .header('location', `/scenarios/${scenario.id}`)
        .send(summary(scenario, hash, 'uploaded', 1));
    },
  );

  app.put(
    '/scenarios/:id',
    { schema: { params: IdParams, body: ScenarioBody, response: { 200: ScenarioSummary, 409: ErrorBody, ...ERRORS } } },
    async (req) => {
      if (bundled.has(req.params.id)) throw new HttpError(409, 'conflict', 'api.bundledId', { id: req.params.id });
      const { scenario, hash, row } = received(req.body);
      if (scenario.id !== req.params.id)
        throw new HttpError(400, 'invalid_request', 'api.idMismatch', { id: scenario.id, path: req.params.id });
      const version = store.replaceScenario(row);
      if (version === undefined) throw new HttpError(404, 'not_found', 'api.noScenario', { id: req.params.id });
      req.log.info({ scenarioId: scenario.id, version }, 'scenario replaced');
      return summary(scenario, hash, 'uploaded', version);
    },
  );

  app.get(
    '/scenarios/:id/versions',
    {
      schema: {
        params: IdParams,
        response: {
          200: z.object({
            id: z.string(),
            versions: z.array(z.object({ version: z.number().int(), hash: z.string(), createdAt: z.string() })),
          }),
          ...ERRORS,
        },
      },
    },
    async (req) => {
      const versions = store.scenarioVersions(req.params.id);
      if (versions.length === 0) throw new HttpError(404, 'not_found', 'api.noScenario', { id: req.params.id });
      return { id: req.params.id, versions };
    },
  );

  app.delete(
    '/scenarios/:id',
    { schema: { params: IdParams, response: { 204: z.null(), 409: ErrorBody, ...ERRORS } } },
    async (req, reply) => {
      const id = req.params.id;
      if (bundled.has(id)) throw new HttpError(409, 'conflict', 'api.bundledId', { id });
      if (!store.scenario(id)) throw new HttpError(404, 'not_found', 'api.noScenario', { id });
      const uses = store.scenarioUses(id);
      if (uses > 0 || !store.deleteScenario(id)) throw new HttpError(409, 'conflict', 'api.scenarioInUse', { id, uses });
      req.log.info({ scenarioId: id }, 'scenario deleted');
      return reply.code(204).send(null);
    },
  );
};
