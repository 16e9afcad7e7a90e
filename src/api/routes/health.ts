/** `GET /health`: open to all (no token, no rate limit), for supervisors and load balancers. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ENGINE_VERSION } from '../../kpi/summary.js';
import type { ApiContext } from '../context.js';

export const Health = z.object({
  status: z.literal('ok'),
  engineVersion: z.string(),
  runs: z.object({ running: z.number().int(), queued: z.number().int() }),
  uptimeSeconds: z.number(),
});

export const healthRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  app.get('/health', { schema: { response: { 200: Health } }, config: { rateLimit: false } }, async () => ({
    status: 'ok' as const,
    engineVersion: ENGINE_VERSION,
    runs: ctx.manager.counts,
    uptimeSeconds: (Date.now() - ctx.started) / 1000,
  }));
};
