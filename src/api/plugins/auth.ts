/**
 * The bearer token: every request but the health check and the console page itself (which asks
 * for the token for the rest) must present it; compared in constant time. Without a token the
 * plugin does nothing (the server refuses to listen beyond loopback without one).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http.js';

export interface AuthOptions {
  readonly token?: string | undefined;
}

/** Constant-time comparison of a presented token with the configured one (hashed to equal length). */
function tokenMatches(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

const OPEN = new Set(['/health', '/']);

const auth: FastifyPluginAsync<AuthOptions> = async (app, o) => {
  const token = o.token;
  if (!token) return;
  app.addHook('onRequest', async (req) => {
    if (OPEN.has(req.url.split('?')[0] ?? '')) return;
    const h = req.headers.authorization;
    const given = typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : undefined;
    if (given === undefined || !tokenMatches(given, token)) {
      throw new HttpError(401, 'unauthorised', 'api.unauthorised', {}, undefined, { 'www-authenticate': 'Bearer' });
    }
  });
};

export default fp(auth, { name: 'dsim-auth' });
