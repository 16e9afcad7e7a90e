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
 * The orchestration (checkpoints, progress, abort) is run/runner.ts's, as for local runs.
 */
import { randomBytes } from 'node:crypto';
import { FlowProducer, type Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { ScenarioError } from '../errors.js';
import { type AccumulatorData, KpiAccumulator } from '../kpi/accumulator.js';
import { type CompiledModel, compile, type Targets } from '../scenario/compile.js';
import { validateScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import type { Executor, RangeJob } from './executor.js';
import { planBatches } from './plan.js';
import { WorkerPool } from './pool.js';
import { type Connection, redisConnection } from './redis-url.js';

export const BATCH_QUEUE = 'dsim-batches';

/** What a batch job carries: everything needed to run it anywhere. */
export interface BatchJobData {
  readonly scenario: Scenario;
  readonly hash: string;
  /** Targets the batch's accumulator evaluates. */
  readonly targets: Targets;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
}

/** Timing of locks and stalled-job checks (ms): how fast a killed worker's job is retried. */
export interface LockTiming {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
}
const DEFAULT_LOCKS: LockTiming = { lockDurationMs: 10_000, stalledIntervalMs: 5_000 };

/**
 * Runs replication ranges through the queue: one flow per range asked for (a parent on a queue of
 * its own, children of at most `batchSize` replications on `dsim-batches`), merging the
 * children's accumulators into the caller's when BullMQ hands the parent over.
 */
export class QueueExecutor implements Executor {
  readonly kind = 'queue';
  readonly workers = 0;
  private readonly connection: Connection;
  private readonly flow: FlowProducer;
  private readonly events: QueueEvents;
  private readonly cleanup: string[] = [];

  constructor(
    url: string,
    private readonly batchSize?: number,
  ) {
    this.connection = redisConnection(url);
    this.flow = new FlowProducer({ connection: this.connection });
    this.events = new QueueEvents(BATCH_QUEUE, { connection: this.connection });
  }

  async run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    const { model, seed, from, to } = job;
    const targets = job.targets ?? model.targets;
    await this.events.waitUntilReady();
    const batches = planBatches(from, to, this.batchSize ?? Math.max(1, Math.ceil((to - from) / 64)));
    const runQueue = `dsim-run-${model.hash}-${randomBytes(6).toString('hex')}`;
    this.cleanup.push(runQueue);
    const ours = new Map<string, number>();
    let done = 0;
    const onCompleted = ({ jobId }: { jobId: string }): void => {
      const size = ours.get(jobId);
      if (size === undefined) return;
      ours.delete(jobId);
      done += size;
      onDone?.(done);
    };
    this.events.on('completed', onCompleted);
    let parent: Worker | undefined;
    try {
      const merged = new Promise<void>((resolve, reject) => {
        parent = new Worker(
          runQueue,
          async (job: Job) => {
            const parts = Object.values((await job.getChildrenValues()) as Record<string, AccumulatorData>);
            if (parts.length !== batches.length) throw new Error(`expected ${batches.length} batch results, got ${parts.length}`);
            for (const d of parts) into.merge(KpiAccumulator.fromData(model, d, targets));
            resolve();
          },
          { connection: this.connection },
        );
        parent.on('failed', (_job, err) => reject(err));
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const tree = await this.flow.add({
        name: 'run',
        queueName: runQueue,
        data: { hash: model.hash, seed, from, to },
        children: batches.map((b) => ({
          name: 'batch',
          queueName: BATCH_QUEUE,
          data: { scenario: model.scenario, hash: model.hash, targets, seed, from: b.from, to: b.to } satisfies BatchJobData,
          opts: { attempts: 5, backoff: { type: 'fixed', delay: 1000 }, failParentOnFailure: true },
        })),
      });
      for (const child of tree.children ?? []) {
        const d = child.job.data as BatchJobData;
        if (child.job.id) ours.set(child.job.id, d.to - d.from);
      }
      await merged;
    } finally {
      this.events.off('completed', onCompleted);
      await parent?.close();
    }
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.flow.close();
    for (const name of this.cleanup) {
      const q = new Queue(name, { connection: this.connection });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
  }
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
  // One pool for every scenario: its workers keep the compiled models they saw last.
  const pool = new WorkerPool(o.workers);
  const models = new Map<string, CompiledModel>();
  const processor = async (job: Job): Promise<AccumulatorData> => {
    const d = job.data as BatchJobData;
    let model = models.get(d.hash);
    if (!model) {
      let scenario: Scenario;
      try {
        scenario = validateScenario(d.scenario, `job ${job.id ?? '?'}`);
      } catch (e) {
        throw new UnrecoverableError(e instanceof ScenarioError ? e.message : String(e));
      }
      model = compile(scenario);
      if (models.size >= 4) models.delete(models.keys().next().value!);
      models.set(d.hash, model);
    }
    const acc = new KpiAccumulator(model, d.targets);
    await pool.run({ model, targets: d.targets, seed: d.seed, from: d.from, to: d.to }, acc);
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
    await pool.close();
  };
}
