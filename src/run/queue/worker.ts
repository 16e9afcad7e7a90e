/**
 * `dsim worker`: takes batch jobs from the shared queue, checks each (job.ts) and runs it on a
 * local worker pool; the coordinator (coordinator.ts) merges the results.
 */
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type AccumulatorData, KpiAccumulator } from '../../kpi/accumulator.js';
import { type CompiledModel, compile } from '../../scenario/compile.js';
import { WorkerPool } from '../pool.js';
import { checkJob, JobRefused } from './job.js';
import { BATCH_QUEUE, bounded, checkRedis, DEFAULT_LOCKS, type LockTiming, redisReason, runKey, within } from './redis.js';
import { redactedUrl, redisConnection } from './url.js';

/**
 * A queue worker: takes batch jobs, checks each (job.ts) and runs it on a local pool of `workers`
 * threads (so the event loop stays free to renew job locks). Returns a function that stops it.
 * Redis outages are logged as one line each and retried with backoff; a Redis that refuses the
 * credentials is an error at start.
 */
export async function startQueueWorker(
  url: string,
  o: { workers: number; name?: string; locks?: LockTiming; log?: (line: string) => void },
): Promise<() => Promise<void>> {
  const log = o.log ?? (() => undefined);
  const base = redisConnection(url);
  // Wait for Redis at start (a worker is a service); only wrong credentials end it.
  for (let attempt = 0; ; attempt++) {
    try {
      (await checkRedis(url, base)).disconnect();
      break;
    } catch (e) {
      const msg = (e as Error).message;
      if (/NOAUTH|WRONGPASS/.test(msg)) throw e;
      if (attempt === 0) log(`${msg}; retrying`);
      await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 10_000)));
    }
  }
  let down = false;
  const connection = {
    ...base,
    retryStrategy: (n: number): number => Math.min(200 * 2 ** Math.min(n, 6), 10_000),
  };
  const locks = o.locks ?? DEFAULT_LOCKS;
  const secret = process.env['DSIM_QUEUE_SECRET'] || undefined;
  const control = new Redis({ ...connection, maxRetriesPerRequest: 1 });
  control.on('error', () => undefined);
  // One pool for every scenario: its workers keep the compiled models they saw last.
  const pool = new WorkerPool(o.workers);
  const models = new Map<string, CompiledModel>();
  const processor = async (job: Job): Promise<AccumulatorData> => {
    const name = `job ${job.id ?? '?'}`;
    let checked: ReturnType<typeof checkJob>;
    try {
      checked = checkJob(job.data, secret, name);
    } catch (e) {
      const why = e instanceof JobRefused ? e.message : `${name}: ${(e as Error).message}`;
      log(`refused ${why}`);
      throw new UnrecoverableError(`refused: ${why}`);
    }
    const { job: d, scenario, hash } = checked;
    if ((await control.exists(runKey(d.run))) === 0) {
      log(`dropped ${name}: its run is gone`);
      throw new UnrecoverableError('refused: its run is gone (the coordinator stopped or was stopped)');
    }
    let model = models.get(hash); // keyed by the hash computed from the content, never the claimed one
    if (!model) {
      model = compile(scenario);
      if (models.size >= 4) models.delete(models.keys().next().value!);
      models.set(hash, model);
    }
    const acc = new KpiAccumulator(model, d.targets);
    await pool.run({ model, targets: d.targets, seed: d.seed, from: d.from, to: d.to }, acc);
    log(`batch ${d.from}-${d.to} of ${hash} done`);
    return acc.toData();
  };
  const worker = new Worker(BATCH_QUEUE, processor, {
    connection,
    concurrency: 1,
    lockDuration: locks.lockDurationMs,
    stalledInterval: locks.stalledIntervalMs,
    maxStalledCount: 10,
    ...(o.name !== undefined && { name: o.name }),
  });
  worker.on('error', () => undefined); // outages are reported by the watchdog below, one line each
  const watchdog = setInterval(() => {
    within(control.ping(), 2000).then(
      () => {
        if (!down) return;
        down = false;
        log(`queue at ${redactedUrl(url)} is back`);
      },
      (e: unknown) => {
        if (down) return;
        down = true;
        log(`lost the queue at ${redactedUrl(url)}: ${redisReason(e)}; retrying`);
      },
    );
  }, 1000);
  await worker.waitUntilReady();
  return async () => {
    clearInterval(watchdog);
    await bounded(worker.close(), 5000);
    control.disconnect();
    await pool.close();
  };
}
