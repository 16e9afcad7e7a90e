/** `GET /`: the browser console (console-page.ts), in ?lang= or the Accept-Language. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { consolePage } from '../console-page.js';
import { requestLang, sendHtml } from '../http.js';

export const consoleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', { schema: { hide: true, querystring: z.strictObject({ lang: z.enum(['zh', 'en']).optional() }) } }, async (req, reply) =>
    sendHtml(reply, consolePage(requestLang(req))),
  );
};
