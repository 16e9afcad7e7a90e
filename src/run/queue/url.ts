/**
 * Redis URLs for distributed runs, parsed without loading BullMQ (so `dsim run` can refuse a bad
 * `--queue` at once, and commands that use no queue never load it).
 *
 * Accepted: `redis://[[user]:password@]host[:port][/db]` and `rediss://…` (TLS; the server's
 * certificate is checked against the system CAs, or against the PEM file named by
 * DSIM_REDIS_CA_FILE). `env:NAME` reads the URL from the environment variable NAME, so a password
 * stays out of process lists and shell history. A password is never echoed: errors and logs show
 * the URL with it replaced by `***` (`redactedUrl`).
 */
import { readFileSync } from 'node:fs';
import { DsimError, ErrorCodes } from '../../errors.js';

export interface Connection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: { ca?: string; servername: string };
  maxRetriesPerRequest: null;
  /** Milliseconds to establish a connection before it counts as failed. */
  connectTimeout: number;
}

/** The URL to use for `--queue VALUE`: VALUE itself, or the environment variable `env:NAME` names. */
export function queueUrl(value: string, option = '--queue', env: NodeJS.ProcessEnv = process.env): string {
  const named = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (!named) return value;
  const url = env[named[1]!];
  if (url === undefined || url === '') throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.envNotSet', { option, name: named[1]! });
  return url;
}

/** The URL with any password replaced by `***` (and anything unparsable reduced to its scheme). */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    const scheme = /^[a-z]+:\/\//i.exec(url)?.[0];
    return scheme ? `${scheme}…` : '(not a URL)';
  }
}

/** `redis[s]://…` → connection options; anything else is a usage error naming the option (never the password). */
export function redisConnection(url: string, option = '--queue'): Connection {
  const bad = (why: string): DsimError =>
    new DsimError(
      ErrorCodes.RUN_OPTION,
      `${option}: ${why}; expected redis://[user:password@]host[:port][/db] or rediss://… (got ${redactedUrl(url)})`,
    );
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`unsupported scheme "${u.protocol.replace(/:$/, '')}"`);
  if (u.hostname === '') throw bad('no host');
  if (u.search !== '' || u.hash !== '') throw bad('no query or fragment is accepted');
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('port out of range');
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw bad('the path must be a database number');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const conn: Connection = { host, port, maxRetriesPerRequest: null, connectTimeout: 5000 };
  if (u.username !== '') conn.username = decodeURIComponent(u.username);
  if (u.password !== '') conn.password = decodeURIComponent(u.password);
  if (path !== '') conn.db = Number(path);
  if (u.protocol === 'rediss:') {
    const caFile = process.env['DSIM_REDIS_CA_FILE'];
    let ca: string | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (e) {
        throw new DsimError(
          ErrorCodes.RUN_OPTION,
          `DSIM_REDIS_CA_FILE: cannot read ${caFile} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
    conn.tls = { servername: host, ...(ca !== undefined && { ca }) };
  }
  return conn;
}
