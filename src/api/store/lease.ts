/**
 * One server per store: `dsim serve` holds an exclusive lease in the store (a token, its pid and
 * host, its start and a heartbeat every 5 s). A second server on the same `--data` refuses,
 * naming the holder. A lease whose holder is gone is taken over: at once when the holder was on
 * this host and its process no longer exists, else when its heartbeat is older than 15 s. A
 * server that finds its lease taken (it was paused past the heartbeat) stops writing.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { DsimError, ErrorCodes } from '../../errors.js';
import type { StoreLog } from './guard.js';
import { now } from './rows.js';

export const LEASE_HEARTBEAT_MS = 5_000;
export const LEASE_TTL_MS = 15_000;

interface LeaseRow {
  token: string;
  pid: number;
  host: string;
  started_at: string;
  heartbeat_at: number;
}

/** Whether a process of this host is alive (EPERM: it is, and not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Lease {
  readonly token = randomBytes(12).toString('hex');

  /** Takes the lease, or throws STORE_LOCKED naming the holder. */
  constructor(
    private readonly db: Database.Database,
    path: string,
    log: StoreLog,
  ) {
    const host = hostname();
    this.db
      .transaction(() => {
        const held = this.db.prepare('SELECT * FROM lease WHERE id = 1').get() as LeaseRow | undefined;
        if (held) {
          const age = Date.now() - held.heartbeat_at;
          const gone = held.host === host ? !alive(held.pid) : false;
          if (!gone && age < LEASE_TTL_MS) {
            throw DsimError.of(ErrorCodes.STORE_LOCKED, 'err.storeLocked', {
              path,
              pid: held.pid,
              host: held.host,
              since: held.started_at,
              seconds: Math.max(0, Math.round(age / 1000)),
              ttl: LEASE_TTL_MS / 1000,
            });
          }
          log.warn(
            { pid: held.pid, host: held.host, heartbeatSecondsAgo: Math.round(age / 1000) },
            'took over the lease of a server that is gone',
          );
        }
        this.db
          .prepare('INSERT OR REPLACE INTO lease (id, token, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)')
          .run(this.token, process.pid, host, now(), Date.now());
      })
      .immediate();
  }

  /** Renews the heartbeat; false when another server holds the lease now. */
  beat(): boolean {
    return this.db.prepare('UPDATE lease SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(Date.now(), this.token).changes === 1;
  }

  release(): void {
    this.db.prepare('DELETE FROM lease WHERE id = 1 AND token = ?').run(this.token);
  }
}
