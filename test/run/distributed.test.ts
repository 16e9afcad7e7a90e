/**
 * Distributed runs through a real redis-server: .ci/run starts one and exports DSIM_REDIS_URL;
 * otherwise the test starts its own when `redis-server` is installed, and is skipped (saying so)
 * when neither is available.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarise } from '../../src/kpi/summary.js';
import { BATCH_QUEUE } from '../../src/run/distributed.js';
import { redisConnection } from '../../src/run/redis-url.js';
import { executeRun } from '../../src/run/runner.js';
import { loadScenario } from '../../src/scenario/load.js';

const haveRedisBinary = spawnSync('redis-server', ['--version']).status === 0;
const available = process.env['DSIM_REDIS_URL'] !== undefined || haveRedisBinary;
if (!available) console.warn('distributed tests skipped: no DSIM_REDIS_URL and no redis-server on PATH');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const json = (out: Awaited<ReturnType<typeof executeRun>>): string => JSON.stringify(summarise(out.model, out.acc, out.seed));

describe.skipIf(!available)('distributed runs on BullMQ', () => {
  let url = process.env['DSIM_REDIS_URL'] ?? '';
  let redis: ChildProcess | undefined;
  const workers = new Map<string, ChildProcess>();
  const startWorker = (name: string): ChildProcess => {
    const p = spawn(
      process.execPath,
      ['bin/dsim.js', 'worker', '--queue', url, '--workers', '1', '--name', name, '--lock-ms', '2000', '--stalled-ms', '1000'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    workers.set(name, p);
    return p;
  };
  const ready = (p: ChildProcess): Promise<void> =>
    new Promise((resolve) => p.stderr!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve()));

  beforeAll(async () => {
    if (!url) {
      const port = await freePort();
      redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
      url = `redis://127.0.0.1:${port}`;
      await new Promise((r) => setTimeout(r, 300));
    }
    const q = new Queue(BATCH_QUEUE, { connection: redisConnection(url) });
    await q.obliterate({ force: true });
    await q.close();
    await Promise.all(['A', 'B'].map((n) => ready(startWorker(n))));
  }, 30_000);

  afterAll(async () => {
    const exited = (p: ChildProcess): Promise<unknown> =>
      p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r));
    const all = [...workers.values(), ...(redis ? [redis] : [])];
    for (const p of all) p.kill('SIGTERM');
    await Promise.all(all.map(exited));
  });

  it('equals the local run for the same seed (two workers)', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const remote = await executeRun(scenario, { queue: url, replications: 300, batchSize: 30 });
    const local = await executeRun(scenario, { replications: 300 });
    expect(remote.replications).toBe(300);
    expect(json(remote)).toBe(json(local));
  }, 60_000);

  it('loses and double-counts nothing when a worker is killed mid-job', async () => {
    const { scenario } = loadScenario('huantai/annual');
    const events = new QueueEvents(BATCH_QUEUE, { connection: redisConnection(url) });
    await events.waitUntilReady();
    const queue = new Queue(BATCH_QUEUE, { connection: redisConnection(url) });
    let killed = false;
    events.on('active', async ({ jobId }) => {
      if (killed) return;
      const job = await queue.getJob(jobId);
      if (job?.processedBy === 'A' || (job && job.processedBy === undefined)) {
        killed = true;
        workers.get('A')!.kill('SIGKILL'); // mid-job: its lock lapses and B runs the job again
      }
    });
    const remote = await executeRun(scenario, { queue: url, replications: 1600, batchSize: 400 });
    await events.close();
    await queue.close();
    expect(killed).toBe(true);
    expect(remote.replications).toBe(1600);
    const local = await executeRun(scenario, { replications: 1600 });
    expect(json(remote)).toBe(json(local));
  }, 120_000);

  it('stops on precision at the same checkpoint as a local run', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const remote = await executeRun(scenario, { queue: url, untilCi: 0.02, maxReplications: 8000, batchSize: 250 });
    const local = await executeRun(scenario, { untilCi: 0.02, maxReplications: 8000 });
    expect(remote.replications).toBe(local.replications);
    expect(remote.stopping).toEqual(local.stopping);
  }, 120_000);
});
