/**
 * Scenarios: the bundled ones and those uploaded (`POST /scenarios`, JSON or YAML; `extends` names
 * a bundled or uploaded id), listed and read back (YAML as uploaded when the client asks for it).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { ScenarioError } from '../../errors.js';
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
  })
  .meta({ id: 'ScenarioSummary' });

export function summary(s: Scenario, hash: string, origin: 'bundled' | 'uploaded'): z.infer<typeof ScenarioSummary> {
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

export const scenarioRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { bundled, store, resolveExtends }) => {
  app.get('/scenarios', { schema: { response: { 200: z.object({ scenarios: z.array(ScenarioSummary) }) } } }, async () => ({
    scenarios: [
      ...[...bundled.values()].map((b) => summary(b.scenario, b.hash, 'bundled')),
      ...store
        .scenarios()
        .map((s) => ({ id: s.id, name: s.name, district: s.district, hazards: [...s.hazards], hash: s.hash, origin: 'uploaded' as const })),
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

  app.post(
    '/scenarios',
    {
      schema: {
        body: z
          .unknown()
          .meta({ description: 'A scenario, JSON or YAML (application/yaml); `extends` names a bundled or uploaded scenario id' }),
        response: { 201: ScenarioSummary, 409: ErrorBody, ...ERRORS },
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
};
