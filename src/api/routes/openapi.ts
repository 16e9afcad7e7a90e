/**
 * The OpenAPI document, generated from every route's zod schemas (`GET /openapi.json`), and its
 * page (`/docs`). Registered before the routes it describes: swagger collects them as they are added.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ENGINE_VERSION } from '../../kpi/summary.js';

const openapi: FastifyPluginAsync = async (app) => {
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
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

/** Registered at the root (not encapsulated), so that swagger sees every route. */
export const openapiRoutes = fp(openapi, { name: 'dsim-openapi' });
