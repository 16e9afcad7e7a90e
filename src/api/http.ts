/**
 * What every route and plugin of the API shares: the catalogued HTTP error, the language a request
 * asks for, and replies whose text is sent as it is (stored results keep the CLI's bytes).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Params, type ScenarioIssue, tell } from '../errors.js';
import type { Lang, MessageKey } from '../i18n/messages.js';

/** The media types of a YAML body (a scenario upload). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** An HTTP error with the API's JSON body; its message comes from the catalogue, told in the request's language. */
export class HttpError extends Error {
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
  // the query is parsed by then, except for errors met before routing (fastify's frameworkErrors)
  const q = (req.query as { lang?: unknown } | undefined)?.lang ?? new URLSearchParams(req.url.split('?')[1] ?? '').get('lang');
  if (q === 'zh' || q === 'en') return q;
  return /^\s*en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'zh';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** A new id: the prefix (r run, b batch, s sweep, z sizing, q request), the time, 40 random bits. */
export const newId = (prefix: string): string => `${prefix}${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

/** Sends text of the given media type as it is. */
export function sendText(reply: FastifyReply, type: string, text: string) {
  return reply
    .type(type)
    .serializer((x: unknown) => x as string)
    .send(text);
}

/** Sends JSON text as it is (stored results are not re-encoded: their bytes are the CLI's). */
export const sendJsonText = (reply: FastifyReply, text: string) => sendText(reply, 'application/json', text);

export const sendHtml = (reply: FastifyReply, html: string) => sendText(reply, 'text/html; charset=utf-8', html);

/** A 202 Accepted naming where the queued run or study will be. */
export function accepted(reply: FastifyReply, id: string, location: string) {
  return reply.code(202).header('location', location).send({ id, status: 'queued', location });
}

/** POST /imports: per file and in all (a county's four 10,000² depth rasters, deflated, fit). */
export const IMPORT_LIMITS = { fileSize: 512 * 1024 * 1024, files: 40, fields: 4, fieldSize: 256 * 1024 } as const;
