/**
 * The store's one write path. Every write goes through `write`: it checks that the store file is
 * still the one opened (same device and inode: a deleted or replaced file is an outage, not a
 * silent loss), runs the write, and turns a storage failure (read-only, disk full, I/O error) into
 * an outage instead of an exception that would end the server. During an outage writes are refused
 * at once with StoreUnavailable (the API answers 503), reads go on, one line is logged, and a probe
 * retries on a backoff (1 s doubling to 30 s); the first probe that writes ends the outage.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DsimError, ErrorCodes, type Params } from '../../errors.js';

/** What the store logs (pino's shape: fastify's logger fits). */
export interface StoreLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

export const SILENT: StoreLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Why the store cannot be written: SQLite's words, or a catalogued cause (deleted, replaced, lease lost). */
export type OutageCause = string | { readonly key: 'store.cause.deleted' | 'store.cause.replaced' | 'store.cause.leaseLost' };

/** A write refused because the store is unavailable; the API answers 503 `store_unavailable`. */
export class StoreUnavailable extends DsimError {
  constructor(cause: OutageCause) {
    const e = DsimError.of(ErrorCodes.STORE_UNAVAILABLE, 'api.storeUnavailable', { cause } as Params);
    super(e.code, e.message);
    this.key = e.key;
    this.params = e.params;
    this.name = 'StoreUnavailable';
  }
}

/** A failure of the storage itself (as opposed to a query dsim got wrong). */
export function isStorageError(e: unknown): e is InstanceType<typeof Database.SqliteError> {
  return e instanceof Database.SqliteError && !e.code.startsWith('SQLITE_CONSTRAINT') && !e.code.startsWith('SQLITE_ERROR');
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export class StoreGuard {
  private outage: { since: number; cause: OutageCause; permanent: boolean } | null = null;
  private retry: NodeJS.Timeout | undefined;
  private backoff = FIRST_RETRY_MS;
  private readonly identity: { dev: number; ino: number };

  constructor(
    private readonly file: string,
    private readonly log: StoreLog,
    /** A small write that succeeds only when the store can be written again. */
    private readonly probe: () => void,
    /** Called when an outage ends (deferred writes are flushed then). */
    private readonly recovered: () => void,
  ) {
    const st = statSync(file);
    this.identity = { dev: st.dev, ino: st.ino };
  }

  /** The outage now, or null. */
  get down(): { since: number; cause: OutageCause } | null {
    return this.outage;
  }

  /** Runs a write; a storage failure, a lost file or an outage already on throws StoreUnavailable. */
  write<T>(fn: () => T): T {
    if (this.outage) throw new StoreUnavailable(this.outage.cause);
    const lost = this.identityProblem();
    if (lost) throw this.fail(lost, true);
    try {
      return fn();
    } catch (e) {
      if (isStorageError(e)) throw this.fail(e.message, false);
      throw e;
    }
  }

  /** Starts an outage that no probe ends (another server took the store). */
  stop(cause: OutageCause): void {
    this.fail(cause, true);
  }

  close(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
  }

  private identityProblem(): OutageCause | undefined {
    try {
      const st = statSync(this.file);
      return st.ino === this.identity.ino && st.dev === this.identity.dev ? undefined : { key: 'store.cause.replaced' };
    } catch {
      return { key: 'store.cause.deleted' };
    }
  }

  private fail(cause: OutageCause, permanent: boolean): StoreUnavailable {
    if (!this.outage) {
      this.outage = { since: Date.now(), cause, permanent };
      this.log.error(
        { store: this.file, cause: typeof cause === 'string' ? cause : cause.key },
        'store unavailable: writes refused, reads go on',
      );
      if (!permanent) this.schedule();
    }
    return new StoreUnavailable(this.outage.cause);
  }

  private schedule(): void {
    this.retry = setTimeout(() => this.tryAgain(), this.backoff);
    this.retry.unref();
    this.backoff = Math.min(MAX_RETRY_MS, this.backoff * 2);
  }

  private tryAgain(): void {
    const o = this.outage;
    if (!o || o.permanent) return;
    if (this.identityProblem()) {
      this.schedule();
      return;
    }
    try {
      this.probe();
    } catch (e) {
      if (!isStorageError(e)) this.log.error({ err: (e as Error).message }, 'store probe failed');
      this.schedule();
      return;
    }
    this.outage = null;
    this.backoff = FIRST_RETRY_MS;
    this.log.warn({ store: this.file, seconds: Math.round((Date.now() - o.since) / 100) / 10 }, 'store available again');
    try {
      this.recovered();
    } catch (e) {
      // on a timer: a throw here would end the server
      this.log.error({ err: (e as Error).message }, 'writing what waited for the store failed');
    }
  }
}
