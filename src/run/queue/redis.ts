/**
 * What the queue's coordinator (coordinator.ts) and its workers (worker.ts) share: the queue's
 * name, the run heartbeat key and timings, and Redis errors told in one line (password redacted).
 */
import { Redis } from 'ioredis';
import { DsimError, ErrorCodes } from '../../errors.js';
import { type MessageKey, t } from '../../i18n/messages.js';
import { type Connection, redactedUrl, redisConnection } from './url.js';

export const BATCH_QUEUE = 'dsim-batches';

/** The heartbeat key of a run: present while its coordinator is alive; its value names the coordinator. */
export const runKey = (run: string): string => `dsim:run:${run}`;
/** The client name of a coordinator's control connection: its heartbeat keys hold `id`. */
export const coordinatorName = (id: string): string => `dsim-coordinator-${id}`;
export const HEARTBEAT_MS = 2_000;
/** How long a heartbeat outlives its coordinator when Redis does not list its clients (see RunLiveness). */
export const HEARTBEAT_TTL_MS = 10_000;
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
/** How often a batch may lose its worker (its lock lapsing) before the run fails with WORKER_LOST. */
export const MAX_STALLED = 2;
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

/**
 * Whether a run's coordinator is alive, as a worker sees it. A run is gone when its heartbeat key
 * is gone (the coordinator stopped the run, or stopped beating for HEARTBEAT_TTL_MS), or at once
 * when the coordinator's control connection is no longer among Redis's clients (CLIENT LIST): a
 * killed process's sockets close with it, so its batches are dropped within about a second
 * instead of delaying the next run by the heartbeat's lifetime. A connection missing from one
 * listing is looked for again a second later (a reconnect in flight is not a death). Where Redis
 * refuses CLIENT LIST (an ACL), the heartbeat's lifetime alone decides. Runs found gone stay gone.
 */
export class RunLiveness {
  private listed: { at: number; names: ReadonlySet<string> | null } | undefined;
  private readonly gone = new Set<string>();

  constructor(
    private readonly control: Redis,
    private readonly recheckMs = 1_000,
  ) {}

  async alive(run: string): Promise<boolean> {
    if (this.gone.has(run)) return false;
    const owner = await within(this.control.get(runKey(run)), 5_000);
    if (owner !== null && (owner === '1' || (await this.connected(owner, false)) || (await this.connected(owner, true)))) return true;
    if (this.gone.size >= 10_000) this.gone.clear();
    this.gone.add(run);
    return false;
  }

  /** Whether the coordinator `owner` has a connection open; `again` waits recheckMs and lists afresh. */
  private async connected(owner: string, again: boolean): Promise<boolean> {
    if (again) await new Promise((r) => setTimeout(r, this.recheckMs));
    const fresh = this.listed !== undefined && !again && Date.now() - this.listed.at < this.recheckMs;
    if (!fresh) this.listed = { at: Date.now(), names: await this.clientNames() };
    const names = this.listed!.names;
    return names === null || names.has(coordinatorName(owner));
  }

  private async clientNames(): Promise<ReadonlySet<string> | null> {
    try {
      const list = String(await within(this.control.client('LIST'), 5_000));
      return new Set(Array.from(list.matchAll(/(?:^| )name=(\S*)/gm), (m) => m[1]!));
    } catch (e) {
      if (isRedisFailure(e)) throw e; // the queue is failing, not the permission
      return null; // CLIENT LIST refused (NOPERM): the heartbeat alone decides
    }
  }
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
