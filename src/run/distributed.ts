/**
 * Distributed runs on BullMQ (Redis). The coordinator adds one flow per run: a parent job on a
 * queue of its own, with one child per replication range on the shared `dsim-batches` queue.
 * `dsim worker` processes on any number of machines run the children on their local worker pool
 * and return the range's accumulator as plain data; when every child is done BullMQ hands the
 * parent to the coordinator, which merges the children's values.
 *
 * - Batches are idempotent: a range's result depends only on (scenario, seed, range). A worker
 *   killed mid-job loses its lock; the job is moved back to the queue (stalled-job check) and
 *   another worker runs it again. A job completes once, so no replication is lost or counted
 *   twice.
 * - Accumulators merge exactly in any order, so the result equals a local run with the same seed.
 * - An invalid scenario is an unrecoverable error (BullMQ does not retry it).
 */
import { randomBytes } from 'node:crypto';
import { FlowProducer, Queue, QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { DsimError, ErrorCodes, ScenarioError } from '../errors.js';
import { validateScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { compile, type CompiledModel } from '../scenario/compile.js';
import { KpiAccumulator, type AccumulatorData } from '../kpi/accumulator.js';
import { planBatches } from './plan.js';
import { WorkerPool } from './pool.js';
import { withOverrides } from './local.js';
import type { ScenarioRunOptions, ScenarioRunOutput } from './runner.js';

export const BATCH_QUEUE = 'dsim-batches';

/** What a batch job carries: everything needed to run it anywhere. */
export interface BatchJobData {
  readonly scenario: Scenario;
  readonly hash: string;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
}

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

/** Timing of locks and stalled-job checks (ms): how fast a killed worker's job is retried. */
export interface LockTiming {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
}
const DEFAULT_LOCKS: LockTiming = { lockDurationMs: 10_000, stalledIntervalMs: 5_000 };

export async function runDistributed(
  scenario: Scenario,
  o: ScenarioRunOptions & { readonly queue: string; readonly locks?: LockTiming },
): Promise<ScenarioRunOutput> {
  const started = performance.now();
  const connection = redisConnection(o.queue);
  const model = compile(withOverrides(scenario, o));
  const seed = o.seed ?? scenario.seed;
  const n = o.replications ?? scenario.replications;
  const batches = planBatches(0, n, o.batchSize ?? Math.max(1, Math.ceil(n / 64)));
  const runQueue = `dsim-run-${model.hash}-${randomBytes(6).toString('hex')}`;
  const flow = new FlowProducer({ connection });
  const events = new QueueEvents(BATCH_QUEUE, { connection });
  const acc = new KpiAccumulator(model);
  let parentWorker: Worker | undefined;
  try {
    await events.waitUntilReady();
    const ours = new Map<string, number>();
    let done = 0;
    events.on('completed', ({ jobId }) => {
      const size = ours.get(jobId);
      if (size === undefined) return;
      ours.delete(jobId);
      done += size;
      const seconds = (performance.now() - started) / 1000;
      o.onProgress?.({ done, total: n, replicationsPerSecond: done / seconds, etaSeconds: ((n - done) * seconds) / Math.max(done, 1) });
    });
    const merged = new Promise<void>((resolve, reject) => {
      parentWorker = new Worker(
        runQueue,
        async (job: Job) => {
          const values = (await job.getChildrenValues()) as Record<string, AccumulatorData>;
          // Merge in a fixed order (by first replication) — not needed for exactness, but tidy.
          const parts = Object.values(values);
          if (parts.length !== batches.length) throw new Error(`expected ${batches.length} batch results, got ${parts.length}`);
          for (const d of parts) acc.merge(KpiAccumulator.fromData(model, d));
          resolve();
        },
        { connection },
      );
      parentWorker.on('failed', (_job, err) => reject(err));
    });
    const tree = await flow.add({
      name: 'run',
      queueName: runQueue,
      data: { hash: model.hash, seed, replications: n },
      children: batches.map((b) => ({
        name: 'batch',
        queueName: BATCH_QUEUE,
        data: { scenario: model.scenario, hash: model.hash, seed, from: b.from, to: b.to } satisfies BatchJobData,
        opts: { attempts: 5, backoff: { type: 'fixed', delay: 1000 }, failParentOnFailure: true },
      })),
    });
    for (const child of tree.children ?? []) if (child.job.id) ours.set(child.job.id, (child.job.data as BatchJobData).to - (child.job.data as BatchJobData).from);
    const aborted = new Promise<never>((_, reject) => o.signal?.addEventListener('abort', () => reject(o.signal!.reason), { once: true }));
    await Promise.race([merged, aborted]);
  } catch (e) {
    if (!o.signal?.aborted) throw e;
    return { model, seed, replications: acc.replications, acc, wallMs: performance.now() - started, workers: 0, interrupted: true };
  } finally {
    await parentWorker?.close();
    await events.close();
    await flow.close();
    const q = new Queue(runQueue, { connection });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  return { model, seed, replications: acc.replications, acc, wallMs: performance.now() - started, workers: 0, interrupted: false };
}

/**
 * A queue worker: takes batch jobs and runs them on a local pool of `workers` threads (so the
 * event loop stays free to renew job locks). Returns a function that stops it.
 */
export async function startQueueWorker(
  url: string,
  o: { workers: number; name?: string; locks?: LockTiming; log?: (line: string) => void },
): Promise<() => Promise<void>> {
  const connection = redisConnection(url);
  const locks = o.locks ?? DEFAULT_LOCKS;
  const pools = new Map<string, { model: CompiledModel; pool: WorkerPool }>();
  const processor = async (job: Job): Promise<AccumulatorData> => {
    const d = job.data as BatchJobData;
    let entry = pools.get(d.hash);
    if (!entry) {
      let scenario: Scenario;
      try {
        scenario = validateScenario(d.scenario, `job ${job.id ?? '?'}`);
      } catch (e) {
        throw new UnrecoverableError(e instanceof ScenarioError ? e.message : String(e));
      }
      const model = compile(scenario);
      for (const old of pools.values()) await old.pool.destroy();
      pools.clear();
      entry = { model, pool: new WorkerPool(model, o.workers) };
      pools.set(d.hash, entry);
    }
    const acc = new KpiAccumulator(entry.model);
    await entry.pool.run(d.seed, d.from, d.to, acc);
    o.log?.(`batch ${d.from}-${d.to} of ${d.hash} done`);
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
  await worker.waitUntilReady();
  return async () => {
    await worker.close();
    for (const e of pools.values()) await e.pool.destroy();
  };
}
