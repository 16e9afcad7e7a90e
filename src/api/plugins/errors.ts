/**
 * Every error as one JSON shape, `{error, message, details}`, its message from the catalogue in
 * the request's language: catalogued HTTP errors, scenario problems (field paths, as the CLI
 * tells them), dsim's own errors, the zod validation of bodies and queries, and fastify's own.
 * A 5xx is logged; no stack reaches the client.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { DsimError, ErrorCodes, issuesHead, publicIssue, ScenarioError, type ScenarioIssue, tell } from '../../errors.js';
import { t } from '../../i18n/messages.js';
import { zodIssues } from '../../scenario/load.js';
import { HttpError, requestLang } from '../http.js';
import type { ErrorBody } from '../schemas.js';

/** fastify's error codes, as the API names them. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
};

const errors: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((err: unknown, req, reply) => {
    const send = (status: number, body: z.infer<typeof ErrorBody>, headers: Record<string, string> = {}) => {
      // a store outage is logged once, by the store, not once per request
      if (status >= 500 && body.error !== 'store_unavailable') req.log.error({ err }, 'request failed');
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
    if (err instanceof DsimError && err.code === ErrorCodes.STORE_UNAVAILABLE) {
      return send(503, { error: 'store_unavailable', message: err.text(lang) }, { 'retry-after': '5' });
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
      const told = zodIssues({ issues: zis }, sent).map((i) => {
        const one = publicIssue(i, lang);
        return { ...one, path: one.path === '' ? part : `${part}${one.path.startsWith('[') ? '' : '.'}${one.path}` };
      });
      return send(400, { error: 'invalid_request', message: t(lang, 'api.schema'), details: told });
    }
    const e = err as { statusCode?: number; code?: string; message?: string; headers?: Record<string, string> };
    const status = e.statusCode ?? 500;
    const code =
      (e.code && FASTIFY_CODES[e.code]) ??
      (status === 429 ? 'rate_limited' : status === 400 ? 'invalid_json' : status < 500 ? 'invalid_request' : 'internal');
    return send(status, { error: code, message: status >= 500 ? t(lang, 'api.internal') : (e.message ?? 'bad request') }, e.headers ?? {});
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: 'not_found', message: t(requestLang(req), 'api.noRoute', { method: req.method, path: req.url.split('?')[0] ?? '' }) });
  });
};

export default fp(errors, { name: 'dsim-errors' });
