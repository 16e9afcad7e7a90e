/**
 * The bearer token: every request but the health check and the console page itself (which asks
 * for the token for the rest) must present it; compared in constant time. Without a token the
 * plugin does nothing (the server refuses to listen beyond loopback without one).
 *
 * The check runs after the rate limit (limits.ts, on request), so a wrong token counts against
 * the client's rate like any request, and before the body is parsed. A client that fails it
 * `maxFailures` times in a minute is refused with 429 for the rest of that minute, right or
 * wrong token: guessing is slow.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http.js';

export interface AuthOptions {
  readonly token?: string | undefined;
  /** Failed authentications a client may make in a minute (default 10). */
  readonly maxFailures?: number;
}

/** Constant-time comparison of a presented token with the configured one (hashed to equal length). */
function tokenMatches(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

const OPEN = new Set(['/health', '/']);
const WINDOW_MS = 60_000;
/** Clients whose failures are remembered at once, at most (the oldest windows are dropped first). */
const MAX_CLIENTS = 10_000;

/** Failed authentications per client address over fixed one-minute windows. */
class Failures {
  private readonly byClient = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly max: number) {}

  /** Seconds until the client may try again, when it has used up its failures; else 0. */
  blockedFor(client: string, now: number): number {
    const f = this.byClient.get(client);
    if (!f || f.resetAt <= now) return 0;
    return f.count >= this.max ? Math.ceil((f.resetAt - now) / 1000) : 0;
  }

  add(client: string, now: number): void {
    const f = this.byClient.get(client);
    if (f && f.resetAt > now) {
      f.count++;
      return;
    }
    this.byClient.delete(client);
    if (this.byClient.size >= MAX_CLIENTS) {
      for (const [k, v] of this.byClient) if (v.resetAt <= now || this.byClient.size >= MAX_CLIENTS) this.byClient.delete(k);
    }
    this.byClient.set(client, { count: 1, resetAt: now + WINDOW_MS });
  }
}

const auth: FastifyPluginAsync<AuthOptions> = async (app, o) => {
  const token = o.token;
  if (!token) return;
  const failures = new Failures(o.maxFailures ?? 10);
  const check = async (req: FastifyRequest): Promise<void> => {
    if (OPEN.has(req.url.split('?')[0] ?? '')) return;
    const now = Date.now();
    const wait = failures.blockedFor(req.ip, now);
    if (wait > 0) {
      throw new HttpError(429, 'rate_limited', 'api.authBlocked', { seconds: wait }, undefined, { 'retry-after': String(wait) });
    }
    const h = req.headers.authorization;
    const given = typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : undefined;
    if (given === undefined || !tokenMatches(given, token)) {
      failures.add(req.ip, now);
      throw new HttpError(401, 'unauthorised', 'api.unauthorised', {}, undefined, { 'www-authenticate': 'Bearer' });
    }
  };
  // preParsing: after every onRequest hook (the rate limit), before the body is read
  app.addHook('preParsing', async (req, _reply, payload) => {
    await check(req);
    return payload;
  });
};

export default fp(auth, { name: 'dsim-auth' });
