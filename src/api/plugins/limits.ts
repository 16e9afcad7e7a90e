/**
 * Request limits: a rate per client per minute on every route but those that opt out (the health
 * check), answered 429 with Retry-After from the catalogue. The body size limit is the server's
 * (buildServer's bodyLimit).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http.js';

export interface LimitsOptions {
  /** Requests per client per minute. */
  readonly rateLimit: number;
}

const limits: FastifyPluginAsync<LimitsOptions> = async (app, o) => {
  await app.register(rateLimit, {
    global: true,
    max: o.rateLimit,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(429, 'rate_limited', 'api.rateLimited', { max: ctx.max, seconds: Math.ceil(ctx.ttl / 1000) }, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      }),
  });
};

export default fp(limits, { name: 'dsim-limits' });
