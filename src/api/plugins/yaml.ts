/**
 * YAML bodies (a scenario upload) arrive as text, to be parsed by the route with the scenario
 * loader's own limits (aliases, size) and its line-numbered problems.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { YAML_TYPES } from '../http.js';

const yaml: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
};

export default fp(yaml, { name: 'dsim-yaml' });
