/**
 * What the queue's coordinator (coordinator.ts) and its workers (worker.ts) share: the queue's
 * name, the run heartbeat key and timings, and Redis errors told in one line (password redacted).
 */
import { Redis } from 'ioredis';
import { DsimError, ErrorCodes } from '../../errors.js';
import { type Connection, redactedUrl, redisConnection } from './url.js';

export const BATCH_QUEUE = 'dsim-batches';

/** The heartbeat key of a run: present while its coordinator is alive. */
export const runKey = (run: string): string => `dsim:run:${run}`;
export const HEARTBEAT_MS = 2_000;
export const HEARTBEAT_TTL_MS = 15_000;
/** A run fails when Redis has been unreachable this long (DSIM_QUEUE_TIMEOUT_MS, default 10 s). */
export function unavailableAfterMs(): number {
  const v = Number(process.env['DSIM_QUEUE_TIMEOUT_MS']);
  return Number.isFinite(v) && v >= 500 && v <= 3_600_000 ? v : 10_000;
}
/** Finished jobs are kept at most this long (failed ones, for diagnosis). */
export const KEEP_FAILED = { age: 3600, count: 1000 };

/** Timing of locks and stalled-job checks (ms): how fast a killed worker's job is retried. */
export interface LockTiming {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
}
export const DEFAULT_LOCKS: LockTiming = { lockDurationMs: 10_000, stalledIntervalMs: 5_000 };

/** One line for a Redis error: what happened, never a stack or a password. */
export function redisReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text = String(err?.message ?? e);
  if (/NOAUTH/i.test(text)) return 'Redis asks for a password (NOAUTH): put it in the URL, redis://:PASSWORD@host:port';
  if (/WRONGPASS|invalid username-password/i.test(text)) return 'wrong user name or password (WRONGPASS)';
  if (err?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(text)) return 'connection refused';
  if (/max retries per request|Connection is closed|ECONNRESET|EPIPE/i.test(text)) return 'connection lost';
  if (err?.code === 'ENOTFOUND' || /ENOTFOUND/.test(text)) return 'host not found';
  if (/ETIMEDOUT|timed? ?out/i.test(text)) return 'connection timed out';
  if (/certificate|SSL|TLS|EPROTO/i.test(text)) return `TLS failed: ${text.split('\n')[0]}`;
  return text.split('\n')[0]!.slice(0, 200);
}

/** The one-line QUEUE_UNAVAILABLE error: what failed, where (password redacted), why. */
export function unavailable(what: 'cannot use' | 'lost', url: string, e: unknown): DsimError {
  return new DsimError(ErrorCodes.QUEUE_UNAVAILABLE, `${what} the queue at ${redactedUrl(url)}: ${redisReason(e)}`);
}

/** Connects once, with a bounded wait, and checks that Redis answers; QUEUE_UNAVAILABLE otherwise. */
export async function checkRedis(url: string, conn: Connection = redisConnection(url)): Promise<Redis> {
  const client = new Redis({ ...conn, lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let cause: unknown;
  client.on('error', (e) => (cause ??= e)); // the socket's error; connect() only says the connection closed
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (e) {
    client.disconnect();
    throw unavailable('cannot use', url, cause ?? e);
  }
}

/** p, or a rejection once ms pass (a Redis command must not wait forever on a dead connection). */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Waits for p at most ms (for closing connections to a Redis that may be gone). */
export async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
