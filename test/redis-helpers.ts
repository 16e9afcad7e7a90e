/** A private redis-server and dsim workers for the tests that need a real queue. */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ended, once, spawnTracked } from './procs.js';

/** Whether a Redis can be had (DSIM_REDIS_URL, or a redis-server to start); says so when not. */
export function redisAvailable(what: string): boolean {
  const ok = process.env['DSIM_REDIS_URL'] !== undefined || spawnSync('redis-server', ['--version']).status === 0;
  if (!ok) console.warn(`${what} skipped: no DSIM_REDIS_URL and no redis-server on PATH`);
  return ok;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A private redis-server on a free loopback port, once it accepts connections; `portArgs` may serve it over TLS instead. */
export async function startRedis(
  extra: string[] = [],
  portArgs: (port: number) => string[] = (port) => ['--port', String(port)],
): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawnTracked('redis-server', [...portArgs(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(proc, 'stdout', 'Ready to accept connections').ready;
  return { port, proc };
}

/** A `dsim worker` process, once it says it is ready; `log()` is what it has written to stderr so far. */
export async function startWorker(args: string[], env: Record<string, string> = {}): Promise<{ proc: ChildProcess; log: () => string }> {
  const proc = spawnTracked(process.execPath, ['bin/dsim.js', 'worker', '--workers', '1', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const { ready, log } = once(proc, 'stderr', 'ready');
  await ready;
  return { proc, log };
}

/** Stops processes and waits until they have exited. */
export async function stopAll(procs: readonly (ChildProcess | undefined)[]): Promise<void> {
  const live = procs.filter((p): p is ChildProcess => p !== undefined);
  for (const p of live) p.kill('SIGTERM');
  await Promise.all(live.map((p) => (ended(p) ? undefined : new Promise((r) => p.once('exit', r)))));
}
