/**
 * The edges of the API over real HTTP (and raw sockets where a client misbehaves): limits that hold
 * for everyone — wrong tokens are rate-limited and a client that keeps failing authentication is
 * shut out for the minute; a body trickled in is cut off with 408; a body over the limit gets a 413
 * the client can read, not a reset — and fastify's own errors told from the catalogue in zh and en,
 * with one id rule for uploads and routes.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/messages.js';
import { call, start } from './http.js';

/** Sends `head` then `body` in `chunks` pieces `everyMs` apart; resolves with what came back and whether the socket was reset. */
function rawRequest(
  port: number,
  head: string,
  o: { body?: Buffer; chunks?: number; everyMs?: number } = {},
): Promise<{ text: string; reset: boolean; writeError: string | null }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    let reset = false;
    let writeError: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    s.on('data', (d) => {
      text += d.toString('utf8');
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET') reset = true;
      else writeError = e.code ?? e.message;
    });
    s.on('close', () => {
      clearInterval(timer);
      resolve({ text, reset, writeError });
    });
    s.write(head);
    const body = o.body ?? Buffer.alloc(0);
    const n = o.chunks ?? 1;
    const size = Math.ceil(body.length / n);
    let i = 0;
    const next = () => {
      if (s.destroyed || i >= n) return clearInterval(timer);
      s.write(body.subarray(i * size, (i + 1) * size));
      i++;
    };
    next();
    if (n > 1) timer = setInterval(next, o.everyMs ?? 0);
  });
}

const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: string; message: string };
const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);

describe('limits that hold for everyone', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start({ token: 's3cret', rateLimit: 6 });
  });
  afterAll(async () => {
    await s.app.close();
  });

  it('wrong tokens count against the rate limit, and a client failing authentication is shut out for the minute', async () => {
    const wrong = { authorization: 'Bearer guess' };
    const first = await call(s.base, 'GET', '/runs', undefined, wrong);
    expect(first.status).toBe(401);
    // the limiter runs before the token check: its headers are on the 401 already
    expect(first.headers.get('x-ratelimit-remaining')).toBe('5');
    const statuses = [];
    for (let i = 0; i < 9; i++) statuses.push((await call(s.base, 'GET', '/runs', undefined, wrong)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await call(s.base, 'GET', '/runs?lang=en', undefined, wrong);
    expect(limited.status).toBe(429);
    expect(limited.json['error']).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('failed authentications', () => {
  it('after ten failures in a minute the address is refused, even with the right token, with Retry-After', async () => {
    const s = await start({ token: 's3cret', rateLimit: 1000 });
    try {
      for (let i = 0; i < 10; i++)
        expect((await call(s.base, 'GET', '/runs', undefined, { authorization: `Bearer no${i}` })).status).toBe(401);
      const blocked = await call(s.base, 'GET', '/runs?lang=en', undefined, { authorization: 'Bearer s3cret' });
      expect(blocked.status).toBe(429);
      const seconds = Number(blocked.headers.get('retry-after'));
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(blocked.json).toEqual({ error: 'rate_limited', message: t('en', 'api.authBlocked', { seconds }) });
      expect((await call(s.base, 'GET', '/health')).status).toBe(200);
    } finally {
      await s.app.close();
    }
  });
});

describe('bodies', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let port: number;
  beforeAll(async () => {
    s = await start({ bodyTimeoutMs: 1000, bodyLimit: 64 * 1024 });
    port = Number(new URL(s.base).port);
  });
  afterAll(async () => {
    await s.app.close();
  });

  it('a body trickled a byte at a time is cut off with 408 from the catalogue after the body deadline', async () => {
    const body = Buffer.from(JSON.stringify({ scenarioId: 'validation-one-truck', seed: 1234567 }));
    const t0 = Date.now();
    const r = await rawRequest(
      port,
      `POST /runs?lang=en HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      { body, chunks: body.length, everyMs: 400 },
    );
    expect(statusOf(r.text)).toBe(408);
    expect(bodyOf(r.text)).toEqual({ error: 'request_timeout', message: t('en', 'api.bodyTimeout', { seconds: 1 }) });
    expect(r.reset).toBe(false);
    // cut off well before the whole body (about 20 s at this pace) could have arrived
    expect(Date.now() - t0).toBeLessThan(body.length * 400);
    expect((await call(s.base, 'GET', '/health')).status).toBe(200);
  });

  it('a body over the limit sent without waiting for an answer gets a 413 it can read, not a reset', async () => {
    const body = Buffer.alloc(1024 * 1024, 0x61);
    const r = await rawRequest(
      port,
      `POST /runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      { body, chunks: 64, everyMs: 1 },
    );
    expect(statusOf(r.text)).toBe(413);
    expect(bodyOf(r.text)).toEqual({ error: 'body_too_large', message: t('zh', 'api.bodyTooLarge', { limit: 64 * 1024 }) });
    expect(r.reset).toBe(false);
    expect(r.writeError).toBeNull();
  });

  it('fastify’s own errors from the catalogue: a path part too long, a media type, bad JSON, an empty body', async () => {
    const long = await call(s.base, 'GET', `/runs/${'a'.repeat(120)}`);
    expect(long.status).toBe(414);
    expect(long.json).toEqual({ error: 'uri_too_long', message: t('zh', 'api.urlTooLong', { max: 100 }) });
    const longEn = await call(s.base, 'GET', `/runs/${'a'.repeat(120)}?lang=en`);
    expect(longEn.json['message']).toBe(t('en', 'api.urlTooLong', { max: 100 }));
    const media = await call(s.base, 'POST', '/runs?lang=en', '<run/>', { 'content-type': 'application/xml' });
    expect(media.status).toBe(415);
    expect(media.json).toEqual({ error: 'unsupported_media_type', message: t('en', 'api.mediaType', { type: 'application/xml' }) });
    const json = await call(s.base, 'POST', '/runs', '{"scenarioId": ');
    expect(json.json).toEqual({ error: 'invalid_json', message: t('zh', 'api.invalidJson') });
    const empty = await call(s.base, 'POST', '/runs?lang=en', '', { 'content-type': 'application/json' });
    expect(empty.json).toEqual({ error: 'invalid_json', message: t('en', 'api.invalidJson') });
  });

  it('one id rule: an uploaded scenario with a dot in its id is served by every route', async () => {
    const up = await call(s.base, 'POST', '/scenarios', { extends: 'validation-one-truck', id: 'api.dot' });
    expect(up.status).toBe(201);
    expect((await call(s.base, 'GET', '/scenarios/api.dot')).status).toBe(200);
    const run = await call(s.base, 'POST', '/runs', { scenarioId: 'api.dot' });
    expect(run.status).toBe(202);
    const refused = await call(s.base, 'POST', '/scenarios', { extends: 'validation-one-truck', id: '-dash-first' });
    expect(refused.status).toBe(400);
    expect(refused.json['details'][0]['path']).toBe('id');
  });
});
