/**
 * Every error as one JSON shape, `{error, message, details}`, its message from the catalogue in
 * the request's language: catalogued HTTP errors, scenario problems (field paths, as the CLI
 * tells them), dsim's own errors, the zod validation of bodies and queries, and fastify's own.
 * A 5xx is logged; no stack reaches the client.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { DsimError, ErrorCodes, issuesHead, publicIssue, ScenarioError, type ScenarioIssue, tell } from '../../errors.js';
import { type Lang, type MessageKey, t } from '../../i18n/messages.js';
import { zodIssues } from '../../scenario/load.js';
import { HttpError, IMPORT_LIMITS, requestLang } from '../http.js';
import type { ErrorBody } from '../schemas.js';

/** fastify's own errors, as the API names and tells them (status, code, message key). */
const FASTIFY: Record<string, { status: number; code: string; key: MessageKey }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', key: 'api.bodyTooLarge' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', key: 'api.mediaType' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', key: 'api.invalidJson' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', key: 'api.invalidJson' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request', key: 'api.badRequest' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', key: 'api.urlTooLong' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_request', key: 'api.badRequest' },
  // @fastify/multipart (POST /imports)
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'body_too_large', key: 'api.uploadLimit' },
  FST_FILES_LIMIT: { status: 413, code: 'body_too_large', key: 'api.uploadLimit' },
  FST_PARTS_LIMIT: { status: 413, code: 'body_too_large', key: 'api.uploadLimit' },
  FST_FIELDS_LIMIT: { status: 413, code: 'body_too_large', key: 'api.uploadLimit' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type', key: 'api.importMultipart' },
  FST_PROTO_VIOLATION: { status: 400, code: 'invalid_request', key: 'api.badRequest' },
};

/** The body of one of fastify's errors (or a client library's), told from the catalogue in `lang`. */
function frameworkBody(
  e: { statusCode?: number; code?: string },
  req: FastifyRequest,
  lang: Lang,
): { status: number; body: { error: string; message: string } } {
  const known = e.code !== undefined ? FASTIFY[e.code] : undefined;
  const status = known?.status ?? e.statusCode ?? 500;
  if (status >= 500) return { status, body: { error: 'internal', message: t(lang, 'api.internal') } };
  const params = {
    limit: req.routeOptions?.bodyLimit ?? 0,
    type: String(req.headers['content-type'] ?? ''),
    code: e.code ?? String(status),
    max: 100,
    files: IMPORT_LIMITS.files,
    fileSize: IMPORT_LIMITS.fileSize,
  };
  if (known) return { status, body: { error: known.code, message: t(lang, known.key, params) } };
  const code = status === 429 ? 'rate_limited' : status === 400 ? 'invalid_json' : 'invalid_request';
  return { status, body: { error: code, message: t(lang, 'api.badRequest', params) } };
}

/**
 * fastify's `frameworkErrors`: errors met before a route is chosen (a path part beyond the
 * parameter length, a malformed URL), answered like every other error.
 */
export function frameworkErrors(error: { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = frameworkBody(error, req, requestLang(req));
  void reply.code(status).type('application/json').send(JSON.stringify(body));
}

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
    const e = err as { statusCode?: number; code?: string; headers?: Record<string, string> };
    const { status, body } = frameworkBody(e, req, lang);
    return send(status, body, e.headers ?? {});
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: 'not_found', message: t(requestLang(req), 'api.noRoute', { method: req.method, path: req.url.split('?')[0] ?? '' }) });
  });
};

export default fp(errors, { name: 'dsim-errors' });
