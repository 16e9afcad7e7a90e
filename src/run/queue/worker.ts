/**
 * `dsim worker`: takes batch jobs from the shared queue, checks each (job.ts) and runs it on a
 * local worker pool; the coordinator (coordinator.ts) merges the results.
 */
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DsimError } from '../../errors.js';
import { type AccumulatorData, KpiAccumulator } from '../../kpi/accumulator.js';
import { type CompiledModel, compile } from '../../scenario/compile.js';
import { WorkerPool } from '../pool.js';
import { checkJob, failureReason, JobRefused } from './job.js';
import {
  BATCH_QUEUE,
  bounded,
  checkRedis,
  DEFAULT_LOCKS,
  HEARTBEAT_MS,
  type LockTiming,
  MAX_STALLED,
  RunLiveness,
  redisReason,
  within,
} from './redis.js';
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
  const liveness = new RunLiveness(control);
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
    const gone = (): UnrecoverableError => {
      log(`dropped ${name}: its run is gone`);
      return new UnrecoverableError('refused: its run is gone (the coordinator stopped or was stopped)');
    };
    if (!(await liveness.alive(d.run))) throw gone();
    let model = models.get(hash); // keyed by the hash computed from the content, never the claimed one
    if (!model) {
      model = compile(scenario);
      if (models.size >= 4) models.delete(models.keys().next().value!);
      models.set(hash, model);
    }
    const acc = new KpiAccumulator(model, d.targets);
    // A run that goes while its batch runs (its coordinator killed or stopped) stops the batch:
    // the pool takes no further slice of it (a slice is about a quarter of a second).
    const stop = new AbortController();
    const watch = setInterval(() => {
      liveness.alive(d.run).then(
        (alive) => alive || stop.abort(),
        () => undefined, // Redis failing: the watchdog reports it, and BullMQ's lock decides
      );
    }, HEARTBEAT_MS / 2);
    try {
      await pool.run({ model, targets: d.targets, seed: d.seed, from: d.from, to: d.to }, acc, undefined, stop.signal);
    } catch (e) {
      if (stop.signal.aborted) throw gone();
      // a batch that ran out of memory will again: no retry, the coordinator is told the cause
      if (e instanceof DsimError) {
        log(`failed ${name} (${d.from}-${d.to}): ${e.message}`);
        throw new UnrecoverableError(failureReason(e));
      }
      throw e;
    } finally {
      clearInterval(watch);
    }
    log(`batch ${d.from}-${d.to} of ${hash} done`);
    return acc.toData();
  };
  const worker = new Worker(BATCH_QUEUE, processor, {
    connection,
    concurrency: 1,
    lockDuration: locks.lockDurationMs,
    stalledInterval: locks.stalledIntervalMs,
    // a batch whose worker died (killed, out of memory) is retried twice, then fails the run (WORKER_LOST)
    maxStalledCount: MAX_STALLED,
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
