/**
 * Helpers of the API tests: a server built in this process on a loopback port, or a `dsim serve`
 * process; JSON calls over real HTTP; waiting for a run to reach a state.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, DEFAULTS, type ServeOptions } from '../../src/api/server.js';
import { ended, spawnTracked } from '../procs.js';

export type Json = Record<string, any>;

export async function start(o: Partial<ServeOptions> = {}): Promise<{ app: FastifyInstance; base: string; dir: string }> {
  const dir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'dsim-api-'));
  const { app, manager } = await buildServer({ ...DEFAULTS, dataDir: dir, logger: false, rateLimit: 1e6, ...o });
  await app.listen({ host: '127.0.0.1', port: 0 });
  manager.recover();
  const addr = app.server.address() as { port: number };
  return { app, base: `http://127.0.0.1:${addr.port}`, dir };
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: res.status, json, headers: res.headers };
}

/** A run read until `pred` holds (the test's ceiling bounds the wait: the state, not a time, is awaited). */
export async function until(base: string, id: string, pred: (r: Json) => boolean): Promise<Json> {
  for (;;) {
    const r = await call(base, 'GET', `/runs/${id}`);
    if (pred(r.json)) return r.json;
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** A study (sweep, sizing, binds, comparison…) read until it has ended: done, failed or cancelled (the test's own timeout bounds the wait). */
export async function untilStudy(base: string, path: string): Promise<Json> {
  for (;;) {
    const r = (await call(base, 'GET', path)).json;
    if (['done', 'failed', 'cancelled'].includes(r['status'])) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

export { freePort } from '../redis-helpers.js';

/** `dsim serve` as a process of the test (test/procs.ts). */
export const launch = (port: number, dir: string): ChildProcess =>
  spawnTracked(process.execPath, ['bin/dsim.js', 'serve', '--port', String(port), '--data', dir, '--workers', '1', '--log-level', 'warn'], {
    stdio: 'ignore',
  });

/** Resolves once the server `child` answers /health at `base`; rejects if it exits first. */
export const ready = async (base: string, child: ChildProcess) => {
  for (;;) {
    if (ended(child)) throw new Error(`dsim serve exited (${child.exitCode ?? child.signalCode}) before it answered`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
};
