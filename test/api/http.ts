/**
 * Helpers of the API tests: a server built in this process on a loopback port, or a `dsim serve`
 * process; JSON calls over real HTTP; waiting for a run to reach a state.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, DEFAULTS, type ServeOptions } from '../../src/api/server.js';

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

export async function until(base: string, id: string, pred: (r: Json) => boolean, ms = 60_000): Promise<Json> {
  const t0 = Date.now();
  for (;;) {
    const r = await call(base, 'GET', `/runs/${id}`);
    if (pred(r.json)) return r.json;
    if (Date.now() - t0 > ms) throw new Error(`run ${id} never reached the state: ${JSON.stringify(r.json).slice(0, 300)}`);
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

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
export const launch = (port: number, dir: string): ChildProcess =>
  spawn(process.execPath, ['bin/dsim.js', 'serve', '--port', String(port), '--data', dir, '--workers', '1', '--log-level', 'warn'], {
    stdio: 'ignore',
  });
export const ready = async (base: string) => {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
};
