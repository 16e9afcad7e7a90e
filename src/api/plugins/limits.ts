/**
 * Request limits, for every client alike:
 * - a rate per client address per minute on every route but those that opt out (the health
 *   check), answered 429 with Retry-After from the catalogue. It runs on request, before the
 *   token is checked (auth.ts, before parsing), so wrong tokens count too;
 * - a body deadline: a request whose body has not fully arrived `bodyTimeoutMs` after its headers
 *   is answered 408 (a client trickling a byte every few seconds holds nothing for long);
 * - answers a client can read: a 408 or 413 sent while the client is still uploading is not
 *   followed by a reset. The connection is half-closed after the answer and the rest of the body
 *   read and dropped (at most DRAIN_BYTES, for at most DRAIN_MS), so the client sees the answer
 *   instead of a broken pipe.
 * The body size limit itself is the server's (buildServer's bodyLimit).
 */
import { PassThrough } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http.js';

export interface LimitsOptions {
  /** Requests per client per minute. */
  readonly rateLimit: number;
  /** Most milliseconds a request body may take to arrive (default 30 s). */
  readonly bodyTimeoutMs?: number;
}

const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

const hasBody = (req: FastifyRequest): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** After the answer: half-close, read and drop what the client still sends (bounded), then close. */
function closeGently(req: FastifyRequest): void {
  const socket = req.raw.socket;
  req.raw.unpipe();
  let drained = 0;
  const stop = setTimeout(() => socket.destroy(), DRAIN_MS);
  stop.unref();
  socket.once('close', () => clearTimeout(stop));
  req.raw.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) socket.destroy();
  });
  req.raw.on('end', () => socket.destroy());
  req.raw.resume();
  socket.end();
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

  const bodyTimeoutMs = o.bodyTimeoutMs ?? 30_000;
  app.addHook('preParsing', async (req, reply, payload) => {
    if (!hasBody(req)) return payload;
    if (/^multipart\//i.test(String(req.headers['content-type'] ?? ''))) {
      // Multipart bodies are read by their route from the request itself (@fastify/multipart),
      // not through a parser: a second reader would hold the stream back. The deadline ends the
      // request instead.
      const timer = setTimeout(() => {
        req.raw.destroy(new HttpError(408, 'request_timeout', 'api.bodyTimeout', { seconds: bodyTimeoutMs / 1000 }));
      }, bodyTimeoutMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      req.raw.once('end', clear);
      req.raw.once('close', clear);
      reply.raw.once('close', clear);
      return payload;
    }
    const body = new PassThrough();
    const timer = setTimeout(() => {
      body.destroy(new HttpError(408, 'request_timeout', 'api.bodyTimeout', { seconds: bodyTimeoutMs / 1000 }));
    }, bodyTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    body.once('end', clear);
    body.once('close', clear);
    reply.raw.once('close', clear);
    payload.pipe(body);
    return body;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if ((reply.statusCode === 408 || reply.statusCode === 413) && !req.raw.complete) {
      // not "connection: close": node would reset the connection while the client still sends
      reply.removeHeader('connection');
      reply.raw.once('finish', () => closeGently(req));
    }
    return payload;
  });
};

export default fp(limits, { name: 'dsim-limits' });
