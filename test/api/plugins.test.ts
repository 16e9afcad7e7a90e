/**
 * The API's plugins stand alone: an app built of only the plugins a test needs, with fastify's
 * inject (no socket), answers as the full server does — the catalogue's messages in zh and en,
 * the token, the rate limit — and a route plugin runs on a context of the test's own.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/api/context.js';
import auth from '../../src/api/plugins/auth.js';
import errors from '../../src/api/plugins/errors.js';
import limits from '../../src/api/plugins/limits.js';
import { healthRoutes } from '../../src/api/routes/health.js';
import { issue, ScenarioError } from '../../src/errors.js';
import { t } from '../../src/i18n/messages.js';
import { ENGINE_VERSION } from '../../src/kpi/summary.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function app(build: (a: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const a = Fastify({ logger: false });
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  apps.push(a);
  await build(a);
  a.get('/secret', async () => ({ ok: true }));
  a.get('/bad-scenario', async () => {
    throw new ScenarioError('x.yaml', [
      issue('resources.fleet[0].count', 'invalid_type', 'err.expectedGot', { expected: 'number', got: '"ten"' }),
    ]);
  });
  await a.ready();
  return a;
}

describe('the API plugins, each alone', () => {
  it('errors: a scenario problem and an unknown route as the catalogue tells them, in zh first and en when asked', async () => {
    const a = await app(async (x) => {
      await x.register(errors);
    });
    const bad = await a.inject({ url: '/bad-scenario', headers: { 'accept-language': 'en-GB' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'invalid_scenario',
      details: [{ path: 'resources.fleet[0].count', message: 'expected number, got "ten"' }],
    });
    const none = await a.inject({ url: '/nowhere?x=1' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({ error: 'not_found', message: t('zh', 'api.noRoute', { method: 'GET', path: '/nowhere' }) });
    const en = await a.inject({ url: '/nowhere?lang=en' });
    expect(en.json().message).toBe('no route GET /nowhere');
  });

  it('auth: no token or a wrong one is 401 with WWW-Authenticate, the right one passes, the health check stays open', async () => {
    const a = await app(async (x) => {
      await x.register(errors);
      await x.register(auth, { token: 's3cret' });
      x.get('/health', async () => ({ status: 'ok' }));
    });
    const none = await a.inject({ url: '/secret' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toEqual({ error: 'unauthorised', message: t('zh', 'api.unauthorised') });
    const wrong = await a.inject({ url: '/secret?lang=en', headers: { authorization: 'Bearer s3cre' } });
    expect(wrong.json()).toEqual({ error: 'unauthorised', message: t('en', 'api.unauthorised') });
    expect((await a.inject({ url: '/secret', headers: { authorization: 'Bearer s3cret' } })).json()).toEqual({ ok: true });
    expect((await a.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('auth without a token configured lets every request through', async () => {
    const a = await app(async (x) => {
      await x.register(auth, {});
    });
    expect((await a.inject({ url: '/secret' })).statusCode).toBe(200);
  });

  it('limits: the third request of a client allowed two a minute is 429 with Retry-After, from the catalogue', async () => {
    const a = await app(async (x) => {
      await x.register(errors);
      await x.register(limits, { rateLimit: 2 });
    });
    expect((await a.inject({ url: '/secret' })).statusCode).toBe(200);
    expect((await a.inject({ url: '/secret' })).statusCode).toBe(200);
    const third = await a.inject({ url: '/secret?lang=en' });
    expect(third.statusCode).toBe(429);
    const seconds = Number(third.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(third.json()).toEqual({ error: 'rate_limited', message: t('en', 'api.rateLimited', { max: 2, seconds }) });
  });

  it('a route plugin on a context of its own: /health reports the counts its manager gives', async () => {
    const ctx = { manager: { counts: { running: 1, queued: 3 } }, started: Date.now() } as unknown as ApiContext;
    const a = await app(async (x) => {
      await x.register(healthRoutes, ctx);
    });
    const h = (await a.inject({ url: '/health' })).json();
    expect(h).toMatchObject({ status: 'ok', engineVersion: ENGINE_VERSION, runs: { running: 1, queued: 3 } });
  });
});
