/**
 * Redis URLs for distributed runs, parsed without loading BullMQ (so `dsim run` can refuse a bad
 * `--queue` at once, and commands that use no queue never load it).
 */
import { DsimError, ErrorCodes } from '../errors.js';

export interface Connection {
  host: string;
  port: number;
  maxRetriesPerRequest: null;
}

/** `redis://HOST:PORT` → connection options; anything else is a usage error naming the option. */
export function redisConnection(url: string): Connection {
  const m = /^redis:\/\/([^:/\s]+):(\d{1,5})\/?$/.exec(url);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--queue: expected redis://HOST:PORT, got "${url}"`);
  }
  return { host: m[1]!, port, maxRetriesPerRequest: null };
}
