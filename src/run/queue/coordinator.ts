/**
 * Distributed runs on BullMQ (Redis). The coordinator adds one flow per range: a parent job on a
 * queue of its own, with one child per batch of replications on the shared `dsim-batches` queue.
 * `dsim worker` processes on any number of machines run the children on their local worker pool
 * and return the batch's accumulator as plain data; when every child is done BullMQ hands the
 * parent to the coordinator, which checks and merges the children's values.
 *
 * - A worker trusts no job (job.ts): it validates the job, recomputes the scenario hash from the
 *   content, checks the signature when a secret is shared, and that the job's run is still alive.
 * - A coordinator trusts no result: each is checked against the accumulator schema and the model's
 *   shape before it is merged.
 * - Runs own their jobs: the coordinator keeps a heartbeat key while it runs; a worker refuses a
 *   job whose run has no heartbeat (its coordinator died or was stopped). An abort removes the
 *   run's pending batches; completed batches are removed once their value reached the parent.
 * - Every wait has an end: the coordinator checks Redis before it starts (a clear error within
 *   seconds, never a hang), and fails with QUEUE_UNAVAILABLE when Redis stays away during a run;
 *   a worker logs one line per outage and retries with backoff.
 * - Batches are idempotent: a range's result depends only on (scenario, seed, range). A worker
 *   killed mid-job loses its lock; the job is moved back to the queue and run again elsewhere.
 *   Accumulators merge exactly in any order, so the result equals a local run with the same seed.
 */
import { randomBytes } from 'node:crypto';
import { FlowProducer, type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DsimError, ErrorCodes } from '../../errors.js';
import { KpiAccumulator } from '../../kpi/accumulator.js';
import { ENGINE_VERSION } from '../../kpi/summary.js';
import type { Executor, RangeJob } from '../executor.js';
import { planBatches } from '../plan.js';
import { type BatchJob, failureFrom, JOB_PROTOCOL, signJob } from './job.js';
import {
  BATCH_QUEUE,
  bounded,
  checkRedis,
  coordinatorName,
  HEARTBEAT_MS,
  HEARTBEAT_TTL_MS,
  isRedisFailure,
  KEEP_FAILED,
  MAX_STALLED,
  runKey,
  unavailable,
  unavailableAfterMs,
  within,
} from './redis.js';
import { type Connection, redisConnection } from './url.js';

/**
 * Runs replication ranges through the queue: one flow per range asked for (a parent on a queue of
 * its own, children of at most `batchSize` replications on `dsim-batches`), merging the
 * children's accumulators into the caller's when BullMQ hands the parent over. Make one with
 * `QueueExecutor.connect`, which checks Redis first.
 */
export class QueueExecutor implements Executor {
  readonly kind = 'queue';
  readonly workers = 0;
  private readonly flow: FlowProducer;
  private readonly events: QueueEvents;
  private readonly batches: Queue;
  private readonly runQueues: string[] = [];
  private readonly secret = process.env['DSIM_QUEUE_SECRET'] || undefined;
  private unreachableSince: number | undefined;
  /** Redis has been unreachable too long: clean-up is skipped (there is nothing to reach). */
  private lost = false;

  private constructor(
    private readonly url: string,
    private readonly connection: Connection,
    /** Pings, and keeps each run's heartbeat key. */
    private readonly control: Redis,
    private readonly batchSize?: number,
    /** This coordinator's id: the value of its runs' heartbeat keys, and (coordinatorName) its control connection's name. */
    private readonly id = '',
  ) {
    const quiet = (): void => undefined; // outages are reported by the heartbeat, once
    this.flow = new FlowProducer({ connection });
    this.flow.on('error', quiet);
    this.events = new QueueEvents(BATCH_QUEUE, { connection });
    this.events.on('error', quiet);
    this.batches = new Queue(BATCH_QUEUE, { connection });
    this.batches.on('error', quiet);
  }

  static async connect(url: string, batchSize?: number): Promise<QueueExecutor> {
    const connection = redisConnection(url);
    await checkRedis(url, connection).then((c) => c.disconnect());
    // The control connection carries the coordinator's name: workers see it die with the process (RunLiveness).
    const id = randomBytes(8).toString('hex');
    const control = new Redis({
      ...connection,
      connectionName: coordinatorName(id),
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (n) => Math.min(n * 200, 1000),
    });
    control.on('error', () => undefined);
    await control.connect().catch((e: unknown) => {
      control.disconnect();
      throw unavailable('cannot use', url, e);
    });
    return new QueueExecutor(url, connection, control, batchSize, id);
  }

  /** Refreshes the run's heartbeat; rejects `fail` once Redis has been unreachable too long. */
  private heartbeat(run: string, fail: (e: Error) => void): () => void {
    const beat = async (): Promise<void> => {
      try {
        await within(this.control.set(runKey(run), this.id, 'PX', HEARTBEAT_TTL_MS), HEARTBEAT_MS);
        this.unreachableSince = undefined;
      } catch (e) {
        const now = Date.now();
        this.unreachableSince ??= now;
        if (now - this.unreachableSince >= unavailableAfterMs()) {
          this.lost = true;
          fail(unavailable('lost', this.url, e));
        }
      }
    };
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    return () => clearInterval(timer);
  }

  /** Runs the range; a Redis failure that is not already told (a client library's words) is QUEUE_UNAVAILABLE naming the queue. */
  async run(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    try {
      await this.runRange(job, into, onDone, signal);
    } catch (e) {
      if (e instanceof DsimError || signal?.aborted || !isRedisFailure(e)) throw e;
      throw unavailable('lost', this.url, e);
    }
  }

  private async runRange(job: RangeJob, into: KpiAccumulator, onDone?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    const { model, seed, from, to } = job;
    const targets = job.targets ?? model.targets;
    signal?.throwIfAborted();
    const batches = planBatches(from, to, this.batchSize ?? Math.max(1, Math.ceil((to - from) / 64)));
    const run = randomBytes(12).toString('hex');
    const runQueue = `dsim-run-${model.hash}-${run}`;
    this.runQueues.push(runQueue);
    await this.control.set(runKey(run), this.id, 'PX', HEARTBEAT_TTL_MS);
    const ours = new Map<string, { from: number; to: number }>();
    const reasons = new Map<string, string>();
    let done = 0;
    const onCompleted = ({ jobId }: { jobId: string }): void => {
      const b = ours.get(jobId);
      if (b === undefined) return;
      ours.delete(jobId);
      done += b.to - b.from;
      onDone?.(done);
    };
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }): void => {
      if (ours.has(jobId)) reasons.set(jobId, failedReason);
    };
    this.events.on('completed', onCompleted);
    this.events.on('failed', onFailed);
    let parent: Worker | undefined;
    let stopBeat = (): void => undefined;
    let parentId: string | undefined;
    try {
      const merged = new Promise<void>((resolve, reject) => {
        stopBeat = this.heartbeat(run, reject);
        parent = new Worker(
          runQueue,
          async (p: Job) => {
            const values = (await p.getChildrenValues()) as Record<string, unknown>;
            const parts = Object.entries(values);
            if (parts.length !== batches.length) throw new Error(`expected ${batches.length} batch results, got ${parts.length}`);
            const accs = parts.map(([key, d]) => {
              try {
                return KpiAccumulator.fromUntrusted(model, d, targets);
              } catch (e) {
                throw new DsimError(ErrorCodes.QUEUE_UNAVAILABLE, `a worker's result for ${key} is malformed: ${(e as Error).message}`);
              }
            });
            for (const a of accs) into.merge(a);
            resolve();
          },
          { connection: this.connection },
        );
        parent.on('error', () => undefined);
        parent.on('failed', (_job, err) => {
          if (err instanceof DsimError) return reject(err);
          // The child's reason: from the failed events seen so far, else read from its job.
          const named = /child bull:[^:]+:(\S+) failed/.exec(err.message)?.[1];
          const id = named ?? [...reasons.keys()][0];
          const b = id === undefined ? undefined : ours.get(id);
          const known = id === undefined ? undefined : reasons.get(id);
          const why =
            known !== undefined || id === undefined ? Promise.resolve(known) : this.batches.getJob(id).then((j) => j?.failedReason);
          void within(why, 2000)
            .catch(() => undefined)
            .then((reason) => reject(b && reason ? batchFailure(b, reason) : new Error(`the run failed: ${err.message}`)));
        });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const data = (b: { from: number; to: number }): BatchJob =>
        signJob(
          {
            protocol: JOB_PROTOCOL,
            engine: ENGINE_VERSION,
            run,
            scenario: model.scenario,
            hash: model.hash,
            targets,
            seed,
            from: b.from,
            to: b.to,
          },
          this.secret,
        );
      const tree = await this.flow.add({
        name: 'run',
        queueName: runQueue,
        data: { run, hash: model.hash, seed, from, to },
        opts: { removeOnComplete: true, removeOnFail: KEEP_FAILED },
        children: batches.map((b) => ({
          name: 'batch',
          queueName: BATCH_QUEUE,
          data: data(b),
          opts: {
            attempts: 5,
            backoff: { type: 'fixed', delay: 1000 },
            failParentOnFailure: true,
            removeOnComplete: true,
            removeOnFail: KEEP_FAILED,
          },
        })),
      });
      parentId = tree.job.id;
      for (const child of tree.children ?? []) {
        const d = child.job.data as BatchJob;
        if (child.job.id) ours.set(child.job.id, { from: d.from, to: d.to });
      }
      await merged;
    } catch (e) {
      // This run's batches are now orphans: workers refuse them once the heartbeat key is gone, and
      // the pending ones are removed here.
      if (!this.lost) await bounded(this.removeRun(run, runQueue, parentId, [...ours.keys()]), 3000);
      throw e;
    } finally {
      stopBeat();
      this.events.off('completed', onCompleted);
      this.events.off('failed', onFailed);
      if (this.lost) await bounded(parent?.disconnect() ?? Promise.resolve(), 200);
      else await bounded(parent?.close(true) ?? Promise.resolve(), 2000);
      if (!this.lost) await bounded(this.control.del(runKey(run)), 1000);
    }
  }

  /** Removes a stopped run's heartbeat, its parent and its batches still waiting (running ones finish or are refused). */
  private async removeRun(run: string, runQueue: string, parentId: string | undefined, children: string[]): Promise<void> {
    await this.control.del(runKey(run)).catch(() => undefined);
    for (const id of children) await this.batches.remove(id).catch(() => undefined);
    if (parentId !== undefined) {
      const q = new Queue(runQueue, { connection: this.connection });
      q.on('error', () => undefined);
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.lost) {
      // nothing to clean up on a Redis that is gone: drop the connections
      await bounded(Promise.all([this.events.disconnect(), this.flow.disconnect(), this.batches.disconnect()]), 500);
      this.control.disconnect();
      return;
    }
    for (const name of this.runQueues) {
      const q = new Queue(name, { connection: this.connection });
      q.on('error', () => undefined);
      await bounded(
        q.obliterate({ force: true }).finally(() => q.close()),
        2000,
      );
    }
    await bounded(Promise.all([this.events.close(), this.flow.close(), this.batches.close()]), 3000);
    this.control.disconnect();
  }
}

/**
 * Why a batch failed, as the coordinator tells it: the worker's catalogued error (out of memory,
 * …) under its own code; a batch whose workers kept dying as WORKER_LOST; a refusal (unsigned, a
 * run gone, another engine) as QUEUE_UNAVAILABLE, in the worker's words.
 */
function batchFailure(b: { from: number; to: number }, reason: string): DsimError {
  const range = { from: b.from, to: b.to };
  const told = failureFrom(reason);
  if (told) return DsimError.after(DsimError.of(told.code, 'err.batchFailed', range), told.key, told.params);
  if (/stalled more than allowable limit/.test(reason)) {
    return DsimError.after(DsimError.of(ErrorCodes.WORKER_LOST, 'err.batchFailed', range), 'err.workerLost', { times: MAX_STALLED + 1 });
  }
  return DsimError.of(ErrorCodes.QUEUE_UNAVAILABLE, 'err.batchFailed', range, reason.split('\n', 1)[0]!.slice(0, 500));
}
