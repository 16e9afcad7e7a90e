/**
 * What the queue's coordinator (coordinator.ts) and its workers (worker.ts) share: the queue's
 * name, the run heartbeat key and timings, and Redis errors told in one line (password redacted).
 */
import { Redis } from 'ioredis';
import { DsimError, ErrorCodes } from '../../errors.js';
import { type MessageKey, t } from '../../i18n/messages.js';
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

/** The catalogue's name for the reasons a Redis call fails, by the words of the error. */
const REASONS: readonly [RegExp, ReasonKey][] = [
  [/NOAUTH/i, 'queue.reason.noauth'],
  [/WRONGPASS|invalid username-password/i, 'queue.reason.wrongpass'],
  [/ECONNREFUSED/, 'queue.reason.refused'],
  [/max retries per request|Connection is closed|ECONNRESET|EPIPE/i, 'queue.reason.lost'],
  [/ENOTFOUND/, 'queue.reason.notFound'],
  [/ETIMEDOUT|timed? ?out/i, 'queue.reason.timeout'],
];
type ReasonKey = Extract<MessageKey, `queue.reason.${string}`>;

/** Why a Redis call failed, as a message parameter: a catalogue key, or the error's first line (TLS and the rest). */
function reasonOf(e: unknown): string | { key: ReasonKey } {
  const err = e as NodeJS.ErrnoException;
  const text = `${err?.code ?? ''} ${String(err?.message ?? e)}`;
  for (const [re, key] of REASONS) if (re.test(text)) return { key };
  const first = String(err?.message ?? e)
    .split('\n')[0]!
    .slice(0, 200);
  return /certificate|SSL|TLS|EPROTO/i.test(first) ? `TLS failed: ${first}` : first;
}

/** Whether an error is Redis (or the connection to it) failing, as opposed to a run's own failure. */
export function isRedisFailure(e: unknown): boolean {
  return typeof reasonOf(e) !== 'string';
}

/** One line for a Redis error, in English (the worker's log): what happened, never a stack or a password. */
export function redisReason(e: unknown): string {
  const r = reasonOf(e);
  return typeof r === 'string' ? r : t('en', r.key);
}

/** The one-line QUEUE_UNAVAILABLE error, from the catalogue: what failed, where (password redacted), why. */
export function unavailable(what: 'cannot use' | 'lost', url: string, e: unknown): DsimError {
  return DsimError.of(ErrorCodes.QUEUE_UNAVAILABLE, what === 'lost' ? 'err.queueLost' : 'err.queueCannotUse', {
    url: redactedUrl(url),
    reason: reasonOf(e),
  });
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
