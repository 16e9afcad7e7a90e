/**
 * The API with --queue: runs go to `dsim worker` processes through a real redis-server; progress,
 * results and cancelling work as with the local pool.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, DEFAULTS } from '../../src/api/server.js';
import { BATCH_QUEUE } from '../../src/run/queue/redis.js';
import { redisConnection } from '../../src/run/queue/url.js';
import { runScenario } from '../../src/run/runner.js';
import { ThreadExecutor } from '../../src/run/thread.js';
import { loadScenario } from '../../src/scenario/load.js';
import { redisAvailable, startRedis, startWorker, stopAll } from '../redis-helpers.js';

describe.skipIf(!redisAvailable('API queue tests'))('the API running on the queue', () => {
  let url = process.env['DSIM_REDIS_URL'] ?? '';
  const procs: (ChildProcess | undefined)[] = [];
  let app: FastifyInstance;
  let base = '';
  beforeAll(async () => {
    if (!url) {
      const own = await startRedis();
      procs.push(own.proc);
      url = `redis://127.0.0.1:${own.port}`;
    }
    const q = new Queue(BATCH_QUEUE, { connection: redisConnection(url) });
    await q.obliterate({ force: true });
    await q.close();
    procs.push((await startWorker(['--queue', url, '--name', 'api-w'])).proc);
    const built = await buildServer({
      ...DEFAULTS,
      dataDir: mkdtempSync(join(tmpdir(), 'dsim-apiq-')),
      logger: false,
      queue: url,
      rateLimit: 1e6,
    });
    app = built.app;
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await stopAll(procs);
  });

  const get = async (path: string) => (await fetch(base + path)).json() as Promise<Record<string, any>>;
  const post = async (body: unknown) =>
    (
      await fetch(`${base}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    ).json() as Promise<Record<string, any>>;
  /** A run read until `pred` holds (the test's ceiling bounds the wait). */
  const until = async (id: string, pred: (r: Record<string, any>) => boolean) => {
    for (;;) {
      const r = await get(`/runs/${id}`);
      if (pred(r)) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  };

  it('a run on the workers gives the in-process result', async () => {
    const r = await post({ scenarioId: 'huantai-flood-50y', replications: 300, seed: 9 });
    const done = await until(r['id'], (x) => x['status'] === 'done');
    const executor = new ThreadExecutor();
    const want = await runScenario(loadScenario('huantai/flood-50y').scenario, { replications: 300, seed: 9, executor });
    await executor.close();
    expect(JSON.stringify(done['result'])).toBe(JSON.stringify(want));
  });

  it('cancelling stops the queued batches and keeps what was merged', async () => {
    const r = await post({ scenarioId: 'huantai-annual', replications: 100_000 });
    await until(r['id'], (x) => x['progress']['done'] > 0);
    const c = (await (await fetch(`${base}/runs/${r['id']}`, { method: 'DELETE' })).json()) as Record<string, any>;
    expect(c['status']).toBe('cancelled');
    expect(c['result']['replications']).toBeLessThan(100_000);
    expect((await get('/health'))['status']).toBe('ok');
  });
});

describe.skipIf(!redisAvailable('API queue-down test'))('the API when its queue goes down', () => {
  it('a run posted with Redis gone fails naming the queue and the catalogued reason, not a client library’s words', async () => {
    const { port, proc } = await startRedis();
    const url = `redis://127.0.0.1:${port}`;
    const built = await buildServer({
      ...DEFAULTS,
      dataDir: mkdtempSync(join(tmpdir(), 'dsim-apiq-down-')),
      logger: false,
      queue: url,
      rateLimit: 1e6,
    });
    try {
      await built.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(built.app.server.address() as { port: number }).port}`;
      await stopAll([proc]);
      const posted = (await (
        await fetch(`${base}/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"scenarioId":"validation-one-truck"}',
        })
      ).json()) as Record<string, any>;
      let run: Record<string, any> = {};
      while (!['failed', 'done'].includes(run['status'])) {
        await new Promise((res) => setTimeout(res, 50));
        run = (await (await fetch(`${base}/runs/${posted['id']}`)).json()) as Record<string, any>;
      }
      expect(run['status']).toBe('failed');
      expect(run['error']['error']).toBe('DSIM_ERR_QUEUE_UNAVAILABLE');
      expect(run['error']['message']).toMatch(new RegExp(`^lost the queue at ${url}: (connection lost|connection refused)$`));
      expect((await (await fetch(`${base}/health`)).json())['status']).toBe('ok');
    } finally {
      await built.app.close();
      await stopAll([proc]);
    }
  });
});
